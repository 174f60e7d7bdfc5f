// Commands of the Local Images view. Each takes (node?, nodes?) from the tree and falls
// back to a QuickPick from the palette.

import * as vscode from 'vscode';
import { registryDigest } from '../../engine/imageGroups';
import { pruneDanglingImages } from '../../engine/images';
import { formatReference, parseReference } from '../../image/reference';
import { formatBytes } from '../../util/format';
import { type LayerlensContext } from '../../context';
import { type CommandHandler, registerCommand } from '../registerCommand';
import { inspectUri } from './inspect';
import { type ImageNodeTarget } from './nodes';
import { resolveTargets } from './pick';
import { removeImagesWithConfirmation } from './remove';
import { DOCKER_HOST_SETTING } from '../engine/endpointInputs';
import { withNotificationProgress } from '../notificationProgress';

export function registerImageCommands(ctx: LayerlensContext): void {
  const { images, session, log } = ctx;
  const register = (id: string, handler: CommandHandler): void => registerCommand(ctx, id, handler);

  register('layerlens.images.refresh', () => images.retry());

  register('layerlens.image.inspect', async (node, nodes) => {
    const [target] = await resolveTargets(images, node, nodes, { title: 'Inspect Image' });
    if (!target) return;
    const document = await vscode.workspace.openTextDocument(inspectUri(target.engineName, target.displayName));
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
  });

  register('layerlens.image.copyFullName', async (node, nodes) => {
    const targets = await resolveTargets(images, node, nodes, { title: 'Copy Full Name', canPickMany: true, filter: (t) => Boolean(t.tagReference) });
    if (!targets.length) return;
    await copy(targets.map((target) => formatReference(parseReference(target.tagReference!))).join('\n'));
  });

  register('layerlens.image.copyId', async (node, nodes) => {
    const targets = await resolveTargets(images, node, nodes, { title: 'Copy Image ID', canPickMany: true });
    if (!targets.length) return;
    await copy([...new Set(targets.map((target) => target.image.id))].join('\n'));
  });

  register('layerlens.image.copyDigest', async (node, nodes) => {
    const targets = await resolveTargets(images, node, nodes, { title: 'Copy Digest', filter: (t) => t.image.repoDigests.length > 0 || Boolean(t.tagReference) });
    const [target] = targets;
    if (!target) return;
    const digest = registryDigest(target.image, target.engineName);
    if (!digest) throw new Error(noDigestMessage(target));
    await copy(digest);
  });

  register('layerlens.image.remove', async (node, nodes) => {
    const targets = await resolveTargets(images, node, nodes, { title: 'Remove Images', canPickMany: true });
    await removeImagesWithConfirmation(session, targets);
  });

  register('layerlens.images.removeDangling', async () => {
    const state = await images.whenSettled();
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
      session.run('prune dangling images', (connection) => pruneDanglingImages(connection.calls)),
    );
    // "Deleted" lists layers too; count the images.
    const count = result.deleted.filter((id) => id.startsWith('sha256:') && (state.kind !== 'ready' || state.groups.dangling.some((image) => image.id === id))).length;
    void vscode.window.showInformationMessage(
      count ? `Removed ${count} dangling image${count === 1 ? '' : 's'}, reclaimed ${formatBytes(result.spaceReclaimed)}.` : 'No dangling images were removed (images that containers use are kept).',
    );
  });

  register('layerlens.engine.openSettings', async () => {
    await vscode.commands.executeCommand('workbench.action.openSettings', DOCKER_HOST_SETTING);
  });

  register('layerlens.engine.showLog', async () => {
    log.show(true);
    return Promise.resolve();
  });
}

async function copy(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Copied ${text.split('\n').length > 1 ? `${text.split('\n').length} lines` : text}`, 3000);
}

function noDigestMessage(target: ImageNodeTarget): string {
  return `${target.displayName} has no registry digest: it was built or imported here and never pushed or pulled, and a digest exists only in a registry. Push it first, or use "Copy Image ID" for the local ID.`;
}
