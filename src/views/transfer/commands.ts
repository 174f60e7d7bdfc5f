// Pull, Tag, Push and Log In: from the tree and the palette, with bounded concurrency for
// several at once.

import * as vscode from 'vscode';
import { tagImage } from '../../engine/images';
import { familiarRepositoryName, formatFamiliarReference, type ImageReference, parseReference, repositoryName, withDefaultTag } from '../../image/reference';
import { settleWithConcurrency } from '../../util/concurrency';
import { type CommandContext } from '../commandContext';
import { COMMANDS } from '../commandIds';
import { type CommandTable } from '../registerCommand';
import { resolveTargets } from '../images/pick';
import { type ImageNodeTarget, RepositoryNode } from '../images/nodes';
import { logInToRegistry } from './logIn';
import { askForPullReference, askForTagTarget, type ReferenceRequest } from './referenceInput';
import { transferImage } from './transferImage';
import { pullPrefill } from './pullInput';
import { announceSuccess } from '../announce';

const CONCURRENT_TRANSFERS = 3;

async function pullImages(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  const fromTree = (Array.isArray(nodes) && nodes.length ? nodes : node ? [node] : []) as unknown[];
  const requests: ReferenceRequest[] = [];
  for (const item of fromTree) {
    if (item instanceof RepositoryNode) {
      const request = await askForPullReference(ctx.images, pullPrefill(item.group));
      if (request) requests.push(request);
    } else if (item && typeof item === 'object' && 'tagReference' in item && typeof item.tagReference === 'string') {
      requests.push({ reference: withDefaultTag(parseReference(item.tagReference)) });
    }
  }
  if (!fromTree.length) {
    const request = await askForPullReference(ctx.images);
    if (request) requests.push(request);
  }
  await settleWithConcurrency(requests, CONCURRENT_TRANSFERS, (request) => transferImage(ctx, 'pull', request));
}

async function pushImages(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  const targets = await resolveTargets(ctx.images, node, nodes, { title: 'Push Images', canPickMany: true, filter: (target) => Boolean(target.tagReference) });
  await settleWithConcurrency(targets, CONCURRENT_TRANSFERS, (target) => transferImage(ctx, 'push', { reference: withDefaultTag(parseReference(target.tagReference!)) }));
}

async function tagLocalImage(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  const [target] = await resolveTargets(ctx.images, node, nodes, { title: 'Tag Image' });
  if (!target) return;
  const next = await askForTagTarget(currentName(target));
  if (!next) return;
  await ctx.session.run(`tag ${target.engineName} ${formatFamiliarReference(next)}`, (connection) => tagImage(connection.calls, target.image.id, { repository: tagRepository(next), tag: next.tag ?? 'latest' }));
  const name = formatFamiliarReference(next);
  announceSuccess(`Tagged ${target.displayName} as ${name}`);
  void ctx.imagesTree.revealTag(name);
}

/** `host` is a host name (a tree message's argument) or a registry node from the tree. */
async function logIn(ctx: CommandContext, host?: unknown): Promise<void> {
  const hostName = typeof host === 'string' ? host : host && typeof host === 'object' && 'entry' in host ? (host as { entry: { host: string } }).entry.host : undefined;
  if (await logInToRegistry(ctx, hostName)) await vscode.commands.executeCommand(COMMANDS.refreshRegistries);
}

async function logOut(ctx: CommandContext): Promise<void> {
  const host = await vscode.window.showInputBox({ title: 'Log Out of Registry', prompt: 'The registry host whose Layerlens credentials to forget' });
  if (!host?.trim()) return;
  await ctx.credentials.delete(host.trim());
  ctx.registryClients.forget(host.trim());
  vscode.window.setStatusBarMessage(`Layerlens: forgot the credentials for ${host.trim()} (your Docker configuration is unchanged)`, 4000);
}

export const TRANSFER_COMMANDS = {
  [COMMANDS.pullImage]: pullImages,
  [COMMANDS.pushImage]: pushImages,
  [COMMANDS.tagImage]: tagLocalImage,
  [COMMANDS.logIn]: logIn,
  [COMMANDS.logOut]: logOut,
} satisfies CommandTable<CommandContext>;

function currentName(target: ImageNodeTarget): string {
  if (target.tagReference) return formatFamiliarReference(parseReference(target.tagReference));
  return '';
}

/** The repository as the engine's tag API wants it: the familiar name keeps docker.io images short. */
function tagRepository(ref: ImageReference): string {
  return ref.domain === 'docker.io' ? familiarRepositoryName(ref) : repositoryName(ref);
}
