// Commands on a tag of the Registries view: copy its reference, digest or pinned reference, and
// delete it from the registry. They run from the tree only (hidden in the palette).

import * as vscode from 'vscode';
import { type CommandContext } from '../commandContext';
import { COMMANDS } from '../commandIds';
import { type CommandTable } from '../registerCommand';
import { RegistryTagNode } from './nodes';

async function copyTagReference(_ctx: CommandContext, node?: unknown): Promise<void> {
  if (node instanceof RegistryTagNode) await copy(node.tagReference);
}

async function copyTagDigest(_ctx: CommandContext, node?: unknown): Promise<void> {
  if (node instanceof RegistryTagNode) await copy(digestOf(node));
}

async function copyPinnedTagReference(_ctx: CommandContext, node?: unknown): Promise<void> {
  if (node instanceof RegistryTagNode) await copy(`${node.tagReference}@${digestOf(node)}`);
}

async function deleteTag(ctx: CommandContext, node?: unknown): Promise<void> {
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
  await ctx.registries.deleteTag(node, digest);
  vscode.window.setStatusBarMessage(`Layerlens: deleted ${node.tagReference}`, 4000);
}

export const REGISTRY_TAG_COMMANDS = {
  [COMMANDS.copyTagReference]: copyTagReference,
  [COMMANDS.copyTagDigest]: copyTagDigest,
  [COMMANDS.copyPinnedTagReference]: copyPinnedTagReference,
  [COMMANDS.deleteTag]: deleteTag,
} satisfies CommandTable<CommandContext>;

async function copy(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
}

function digestOf(node: RegistryTagNode): string {
  const details = node.details();
  if (details.state !== 'ready') throw new Error(`The digest of ${node.tagReference} is ${details.state === 'loading' ? 'still being read; try again in a moment' : `not known: ${details.message}`}.`);
  return details.manifest.digest;
}
