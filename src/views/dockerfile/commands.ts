// Pin, Unpin and Retry from the lenses (their arguments are the file and the line); Pin All,
// Update All and Unpin All from the palette and the editor's title menu.

import * as vscode from 'vscode';
import { type PinnableImage } from '../../pinning/pinnable';
import { pinEdit, unpinEdit } from '../../pinning/pin';
import { type BulkSummary } from '../../pinning/bulkPlan';
import { type PinStatus } from '../../pinning/pinStatus';
import { DescribedError } from '../../util/errors';
import { type CommandContext } from '../commandContext';
import { COMMANDS } from '../commandIds';
import { type CommandTable } from '../registerCommand';
import { changeAllPins } from './bulkPins';
import { applyEdits, pinnableDigest } from './pinEdits';
import { type DockerfilePinning } from './pinning';

async function pinImage(ctx: CommandContext, uri?: unknown, line?: unknown): Promise<void> {
  const { document, image } = await lensTarget(ctx.pinning, uri, line);
  const status = await ctx.pinning.status(image, document.uri);
  const digest = pinnableDigest(status);
  if (!digest) throw new DescribedError(`Cannot pin ${image.text} on line ${image.line + 1}: ${statusReason(status)}`, { details: status.kind === 'error' ? status.details : undefined });
  await applyEdits(document, [pinEdit(document.getText(), image, digest)], `pin ${image.text}`);
}

async function unpinImage(ctx: CommandContext, uri?: unknown, line?: unknown): Promise<void> {
  const { document, image } = await lensTarget(ctx.pinning, uri, line);
  const edit = unpinEdit(document.getText(), image);
  if (!edit) throw new Error(`Line ${image.line + 1} has no tag next to its digest, so unpinning would lose the image: edit it by hand.`);
  await applyEdits(document, [edit], `unpin ${image.text}`);
}

function retryPinStatus(ctx: CommandContext): Promise<void> {
  ctx.pinning.retry();
  return Promise.resolve();
}

function pinAll(ctx: CommandContext, uri?: unknown): Promise<BulkSummary | undefined> {
  return changeAllPins(ctx, 'pin', uri);
}

function updateAllPins(ctx: CommandContext, uri?: unknown): Promise<BulkSummary | undefined> {
  return changeAllPins(ctx, 'update', uri);
}

function unpinAll(ctx: CommandContext, uri?: unknown): Promise<BulkSummary | undefined> {
  return changeAllPins(ctx, 'unpin', uri);
}

export const DOCKERFILE_COMMANDS = {
  [COMMANDS.pinImage]: pinImage,
  [COMMANDS.unpinImage]: unpinImage,
  [COMMANDS.retryPinStatus]: retryPinStatus,
  [COMMANDS.pinAll]: pinAll,
  [COMMANDS.updateAllPins]: updateAllPins,
  [COMMANDS.unpinAll]: unpinAll,
} satisfies CommandTable<CommandContext>;

async function lensTarget(pinning: DockerfilePinning, uri: unknown, line: unknown): Promise<{ document: vscode.TextDocument; image: PinnableImage }> {
  if (!(uri instanceof vscode.Uri) || typeof line !== 'number') throw new Error('This command runs from the lens above a FROM line. To pin a whole Dockerfile, use "Layerlens: Pin All FROM Lines".');
  const document = await vscode.workspace.openTextDocument(uri);
  const image = pinning.imageAt(document, line);
  if (!image || image.kind !== 'image') throw new Error(`Line ${line + 1} of ${vscode.workspace.asRelativePath(uri)} no longer names an image to pin: the file changed. Look at the lenses again.`);
  return { document, image };
}

function statusReason(status: PinStatus): string {
  if (status.kind === 'error' || status.kind === 'not-pinnable') return status.message;
  return 'it names a digest without a tag, so there is no tag to resolve.';
}
