// Commands of the Registries view: add, remove, refresh, load more, and copying references.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { isLoopbackHost } from '../../registry/client';
import { registerCommand } from '../registerCommand';
import { LoadMoreNode, RegistryNode, RegistryRepositoryNode, RegistryTagNode } from './nodes';
import { type RegistriesProvider } from './provider';

const HOST = /^[a-zA-Z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/;

/** `https://registry.example.com:5000/` -> host and whether it speaks plain HTTP. */
export function parseRegistryInput(text: string): { host: string; insecure: boolean } | string {
  const trimmed = text.trim();
  const scheme = /^(https?):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  const host = trimmed.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!HOST.test(host)) return 'Write a registry host with an optional port, such as registry.example.com:5000 (http:// for a plain-HTTP registry).';
  return { host: host.toLowerCase(), insecure: scheme === 'http' && !isLoopbackHost(host) };
}

export function registerRegistriesCommands(ctx: LayerlensContext, provider: RegistriesProvider): void {
  registerCommand(ctx, 'layerlens.registry.add', async (hostArgument) => {
    const text =
      typeof hostArgument === 'string'
        ? hostArgument
        : await vscode.window.showInputBox({
            title: 'Add Registry',
            prompt: 'The registry host, as in image names (ghcr.io, registry.example.com:5000); http://host for a plain-HTTP registry',
            validateInput: (value) => {
              const parsed = parseRegistryInput(value);
              return typeof parsed === 'string' ? parsed : undefined;
            },
          });
    if (!text) return;
    const parsed = parseRegistryInput(text);
    if (typeof parsed === 'string') throw new Error(`Cannot add "${text}": ${parsed}`);
    await provider.addRegistry({ host: parsed.host, insecure: parsed.insecure, source: 'added' });
  });

  registerCommand(ctx, 'layerlens.registry.remove', async (node) => {
    if (!(node instanceof RegistryNode)) return;
    await provider.removeRegistry(node.entry);
  });

  registerCommand(ctx, 'layerlens.registries.refresh', (node) => {
    provider.refresh(node instanceof RegistryNode || node instanceof RegistryRepositoryNode ? node : undefined);
    return Promise.resolve();
  });

  registerCommand(ctx, 'layerlens.registries.loadMore', async (node) => {
    if (node instanceof LoadMoreNode) await provider.loadMore(node);
  });

  const copy = async (text: string): Promise<void> => {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
  };
  const digestOf = (node: RegistryTagNode): string => {
    const details = node.details();
    if (details.state !== 'ready') throw new Error(`The digest of ${node.tagReference} is ${details.state === 'loading' ? 'still being read; try again in a moment' : `not known: ${details.message}`}.`);
    return details.manifest.digest;
  };
  registerCommand(ctx, 'layerlens.registryTag.copyReference', async (node) => {
    if (node instanceof RegistryTagNode) await copy(node.tagReference);
  });
  registerCommand(ctx, 'layerlens.registryTag.copyDigest', async (node) => {
    if (node instanceof RegistryTagNode) await copy(digestOf(node));
  });
  registerCommand(ctx, 'layerlens.registryTag.copyPinnedReference', async (node) => {
    if (node instanceof RegistryTagNode) await copy(`${node.tagReference}@${digestOf(node)}`);
  });
}
