// Commands of the Local Images view. Each takes (node?, nodes?) from the tree and falls
// back to a QuickPick from the palette.

import * as vscode from 'vscode';
import { registryDigest } from '../../engine/imageGroups';
import { pruneDanglingImages } from '../../engine/images';
import { formatReference, parseReference } from '../../image/reference';
import { formatBytes } from '../../util/format';
import { type LayerlensContext } from '../../context';
import { COMMANDS } from '../commandIds';
import { type CommandTable } from '../registerCommand';
import { inspectUri } from './inspect';
import { type ImageNodeTarget } from './nodes';
import { resolveTargets } from './pick';
import { removeImagesWithConfirmation } from './remove';
import { DOCKER_HOST_SETTING } from '../engine/endpointInputs';
import { withNotificationProgress } from '../notificationProgress';

function refreshImages(ctx: LayerlensContext): Promise<void> {
  return ctx.images.retry();
}

async function inspectImage(ctx: LayerlensContext, node?: unknown, nodes?: unknown): Promise<void> {
  const [target] = await resolveTargets(ctx.images, node, nodes, { title: 'Inspect Image' });
  if (!target) return;
  const document = await vscode.workspace.openTextDocument(inspectUri(target.engineName, target.displayName));
  await vscode.languages.setTextDocumentLanguage(document, 'json');
  await vscode.window.showTextDocument(document, { preview: true });
}

async function copyImageFullNames(ctx: LayerlensContext, node?: unknown, nodes?: unknown): Promise<void> {
  const targets = await resolveTargets(ctx.images, node, nodes, { title: 'Copy Full Name', canPickMany: true, filter: (t) => Boolean(t.tagReference) });
  if (!targets.length) return;
  await copy(targets.map((target) => formatReference(parseReference(target.tagReference!))).join('\n'));
}

async function copyImageIds(ctx: LayerlensContext, node?: unknown, nodes?: unknown): Promise<void> {
  const targets = await resolveTargets(ctx.images, node, nodes, { title: 'Copy Image ID', canPickMany: true });
  if (!targets.length) return;
  await copy([...new Set(targets.map((target) => target.image.id))].join('\n'));
}

async function copyImageDigest(ctx: LayerlensContext, node?: unknown, nodes?: unknown): Promise<void> {
  const targets = await resolveTargets(ctx.images, node, nodes, { title: 'Copy Digest', filter: (t) => t.image.repoDigests.length > 0 || Boolean(t.tagReference) });
  const [target] = targets;
  if (!target) return;
  const digest = registryDigest(target.image, target.engineName);
  if (!digest) throw new Error(noDigestMessage(target));
  await copy(digest);
}

async function removeImages(ctx: LayerlensContext, node?: unknown, nodes?: unknown): Promise<void> {
  const targets = await resolveTargets(ctx.images, node, nodes, { title: 'Remove Images', canPickMany: true });
  await removeImagesWithConfirmation(ctx.session, targets);
}

async function removeDanglingImages(ctx: LayerlensContext): Promise<void> {
  const state = await ctx.images.whenSettled();
  if (state.kind === 'ready') {
    const dangling = state.groups.dangling;
    if (!dangling.length) {
      void vscode.window.showInformationMessage('There are no dangling images.');
      return;
    }
    const size = formatBytes(dangling.reduce((sum, image) => sum + image.size, 0));
    const inUse = dangling.filter((image) => image.containers.length).length;
    const choice = await vscode.window.showWarningMessage(
      `Remove ${dangling.length} dangling image${dangling.length === 1 ? '' : 's'} (${size})?`,
      { modal: true, detail: `Images with neither a tag nor a digest.${inUse ? ` ${inUse} used by containers will be kept.` : ''} This cannot be undone.` },
      'Remove',
    );
    if (choice !== 'Remove') return;
  }
  const result = await withNotificationProgress({ title: 'Removing dangling images' }, () =>
    ctx.session.run('prune dangling images', (connection) => pruneDanglingImages(connection.calls)),
  );
  // "Deleted" lists layers too; count the images.
  const count = result.deleted.filter((id) => id.startsWith('sha256:') && (state.kind !== 'ready' || state.groups.dangling.some((image) => image.id === id))).length;
  void vscode.window.showInformationMessage(
    count ? `Removed ${count} dangling image${count === 1 ? '' : 's'}, reclaimed ${formatBytes(result.spaceReclaimed)}.` : 'No dangling images were removed (images that containers use are kept).',
  );
}

async function openEngineSettings(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', DOCKER_HOST_SETTING);
}

function showLog(ctx: LayerlensContext): Promise<void> {
  ctx.log.show(true);
  return Promise.resolve();
}

export const IMAGE_COMMANDS = {
  [COMMANDS.refreshImages]: refreshImages,
  [COMMANDS.inspectImage]: inspectImage,
  [COMMANDS.copyImageFullName]: copyImageFullNames,
  [COMMANDS.copyImageId]: copyImageIds,
  [COMMANDS.copyImageDigest]: copyImageDigest,
  [COMMANDS.removeImages]: removeImages,
  [COMMANDS.removeDanglingImages]: removeDanglingImages,
  [COMMANDS.openEngineSettings]: openEngineSettings,
  [COMMANDS.showLog]: showLog,
} satisfies CommandTable<LayerlensContext>;

async function copy(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Copied ${text.split('\n').length > 1 ? `${text.split('\n').length} lines` : text}`, 3000);
}

function noDigestMessage(target: ImageNodeTarget): string {
  return `${target.displayName} has no registry digest: it was built or imported here and never pushed or pulled, and a digest exists only in a registry. Push it first, or use "Copy Image ID" for the local ID.`;
}
