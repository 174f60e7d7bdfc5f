// Commands of the Registries view: add, remove, refresh, load more, and copying references.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { repositoryWebPage } from '../../registry/browserUrl';
import { parseReference } from '../../image/reference';
import { registerCommand } from '../registerCommand';
import { parseRegistryInput } from './registryInput';
import { LoadMoreNode, RegistryNode, RegistryRepositoryNode, RegistryTagNode } from './nodes';
import { type RegistriesProvider } from './provider';
import { errorText } from '../../util/errors';

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
    if (typeof hostArgument === 'string') return;
    const credentials = await vscode.window.showQuickPick(
      [
        { label: 'Use my Docker credentials', description: 'from ~/.docker/config.json, or anonymous', login: false },
        { label: 'Log in with a user name and password…', description: "kept in VS Code's secret storage", login: true },
      ],
      { title: `Credentials for ${parsed.host}` },
    );
    if (credentials?.login) await vscode.commands.executeCommand('layerlens.registry.login', parsed.host);
  });

  registerCommand(ctx, 'layerlens.registry.edit', async (node) => {
    if (!(node instanceof RegistryNode) || node.entry.source !== 'added') return;
    const current = node.entry.insecure ? `http://${node.entry.host}` : node.entry.host;
    const text = await vscode.window.showInputBox({
      title: `Edit Registry ${node.entry.host}`,
      prompt: 'The registry host (http://host for a plain-HTTP registry)',
      value: current,
      validateInput: (value) => {
        const parsed = parseRegistryInput(value);
        return typeof parsed === 'string' ? parsed : undefined;
      },
    });
    if (!text || text === current) return;
    const parsed = parseRegistryInput(text);
    if (typeof parsed === 'string') throw new Error(`Cannot change ${node.entry.host} to "${text}": ${parsed}`);
    if (parsed.host !== node.entry.host) await provider.removeRegistry(node.entry);
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

  registerCommand(ctx, 'layerlens.registries.filter', async (textArgument) => {
    const text = typeof textArgument === 'string' ? textArgument : await vscode.window.showInputBox({ title: 'Filter Tags', prompt: 'Show the tags that contain this text (empty: all)', value: provider.filter });
    if (text !== undefined) provider.setFilter(text);
  });

  registerCommand(ctx, 'layerlens.registries.clearFilter', () => {
    provider.setFilter('');
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

export function registerRegistryEditCommands(ctx: LayerlensContext, provider: RegistriesProvider): void {
  registerCommand(ctx, 'layerlens.registry.addRepository', async (node, nameArgument) => {
    if (!(node instanceof RegistryNode)) return;
    const validate = (value: string): string | undefined => {
      try {
        const ref = parseReference(`${node.entry.host}/${value.trim()}`);
        return ref.tag || ref.digest ? 'A repository name only, without :tag or @digest.' : undefined;
      } catch (error) {
        return errorText(error);
      }
    };
    const name = typeof nameArgument === 'string' ? nameArgument : await vscode.window.showInputBox({ title: `Add Repository to ${node.entry.host}`, prompt: 'The repository name, as in org/app', validateInput: validate });
    if (!name) return;
    const problem = validate(name);
    if (problem) throw new Error(`Cannot add "${name}" to ${node.entry.host}: ${problem}`);
    await provider.addRepository(node, name.trim());
  });

  registerCommand(ctx, 'layerlens.registryTag.delete', async (node) => {
    if (!(node instanceof RegistryTagNode)) return;
    const details = node.details();
    if (details.state !== 'ready') throw new Error(`Cannot delete ${node.tagReference} yet: its digest is ${details.state === 'loading' ? 'still being read; try again in a moment' : `not known (${details.message})`}.`);
    const digest = details.manifest.digest;
    const choice = await vscode.window.showWarningMessage(
      `Delete ${node.tagReference} from ${node.repository.registry.host}?`,
      { modal: true, detail: `This deletes the manifest ${digest}: every tag of ${node.repository.name} that points at it goes too, for everyone who uses this registry. It cannot be undone.` },
      'Delete',
    );
    if (choice !== 'Delete') return;
    await provider.deleteTag(node, digest);
    vscode.window.setStatusBarMessage(`Layerlens: deleted ${node.tagReference}`, 4000);
  });

  registerCommand(ctx, 'layerlens.registryRepository.openInBrowser', async (node) => {
    const target = node instanceof RegistryTagNode ? node.repository : node;
    if (!(target instanceof RegistryRepositoryNode)) return;
    const page = repositoryWebPage(target.registry.host, target.name);
    if (!page) throw new Error(`${target.registry.host} has no web page Layerlens knows: Open in Browser knows Docker Hub, GHCR and Quay.`);
    await vscode.env.openExternal(vscode.Uri.parse(page));
  });
}
