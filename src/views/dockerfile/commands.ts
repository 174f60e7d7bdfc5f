// Pin, Unpin and Retry from the lenses; Pin All, Update All and Unpin All from the palette and
// the editor's title menu. Each command is one WorkspaceEdit: one undo step.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { type PinnableImage } from '../../pinning/pinnable';
import { mergeEdits, pinEdit, type TextEdit, unpinEdit } from '../../pinning/pin';
import { notPinnableMessage, type PinStatus } from '../../pinning/pinStatus';
import { formatReference } from '../../image/reference';
import { settleWithConcurrency } from '../../util/concurrency';
import { withNotificationProgress } from '../notificationProgress';
import { registerCommand } from '../registerCommand';
import { PIN_COMMAND, RETRY_COMMAND, UNPIN_COMMAND } from './lenses';
import { type DockerfilePinning } from './pinning';

/** Statuses asked at once by the bulk commands; the resolver still keeps to its per-registry limit. */
const BULK_CONCURRENCY = 8;

type BulkMode = 'pin' | 'update' | 'unpin';

export function registerDockerfileCommands(ctx: LayerlensContext, pinning: DockerfilePinning): void {
  registerCommand(ctx, PIN_COMMAND, async (uri, line) => {
    const { document, image } = await lensTarget(pinning, uri, line);
    const status = await pinning.status(image, document.uri);
    const digest = pinnableDigest(status);
    if (!digest) throw new Error(`Cannot pin ${image.text} on line ${image.line + 1}: ${statusReason(status)}`);
    await applyEdits(document, [pinEdit(document.getText(), image, digest)], `pin ${image.text}`);
  });

  registerCommand(ctx, UNPIN_COMMAND, async (uri, line) => {
    const { document, image } = await lensTarget(pinning, uri, line);
    const edit = unpinEdit(document.getText(), image);
    if (!edit) throw new Error(`Line ${image.line + 1} has no tag next to its digest, so unpinning would lose the image: edit it by hand.`);
    await applyEdits(document, [edit], `unpin ${image.text}`);
  });

  registerCommand(ctx, RETRY_COMMAND, () => {
    pinning.retry();
    return Promise.resolve();
  });

  registerCommand(ctx, 'layerlens.dockerfile.pinAll', (uri) => runBulk(ctx, pinning, 'pin', uri));
  registerCommand(ctx, 'layerlens.dockerfile.updateAll', (uri) => runBulk(ctx, pinning, 'update', uri));
  registerCommand(ctx, 'layerlens.dockerfile.unpinAll', (uri) => runBulk(ctx, pinning, 'unpin', uri));
}

async function lensTarget(pinning: DockerfilePinning, uri: unknown, line: unknown): Promise<{ document: vscode.TextDocument; image: PinnableImage }> {
  if (!(uri instanceof vscode.Uri) || typeof line !== 'number') throw new Error('This command runs from the lens above a FROM line. To pin a whole Dockerfile, use "Layerlens: Pin All FROM Lines".');
  const document = await vscode.workspace.openTextDocument(uri);
  const image = pinning.imageAt(document, line);
  if (!image || image.kind !== 'image') throw new Error(`Line ${line + 1} of ${vscode.workspace.asRelativePath(uri)} no longer names an image to pin: the file changed. Look at the lenses again.`);
  return { document, image };
}

async function runBulk(ctx: LayerlensContext, pinning: DockerfilePinning, mode: BulkMode, uri: unknown): Promise<void> {
  const document = await bulkDocument(pinning, uri);
  const candidates = pinning.parse(document).images.filter((image) => image.kind === 'image' && image.reference && isCandidate(image, mode));
  const skipped = pinning.parse(document).images.filter((image) => image.kind === 'unresolved' || image.kind === 'invalid' || (image.kind === 'image' && image.pinTarget.kind === 'none' && isCandidate(image, mode)));
  if (!candidates.length) {
    void vscode.window.showInformationMessage(`${nothingToDo(mode)} in ${vscode.workspace.asRelativePath(document.uri)}.${skippedText(skipped)}`);
    return;
  }
  // Digests are looked up by reference, then the edits are computed on the text as it is when
  // they are applied: typing during the lookups loses nothing.
  const digests = new Map<string, string>();
  const failures: string[] = [];
  if (mode !== 'unpin') {
    const cancelled = await withNotificationProgress({ title: `${mode === 'pin' ? 'Pinning' : 'Updating'} ${vscode.workspace.asRelativePath(document.uri)}`, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      let done = 0;
      try {
        await settleWithConcurrency(candidates, BULK_CONCURRENCY, async (image) => {
          if (abort.signal.aborted) return;
          const status = await pinning.status(image, document.uri, abort.signal);
          const digest = mode === 'pin' ? pinnableDigest(status) : status.kind === 'moved' ? status.choice.digest : undefined;
          if (digest) digests.set(imageKey(image), digest);
          else if (status.kind === 'error' || status.kind === 'not-pinnable') failures.push(`${image.text} (line ${image.line + 1}): ${status.message}`);
          progress.report({ message: `${++done}/${candidates.length} images`, increment: 100 / candidates.length });
        });
      } finally {
        subscription.dispose();
      }
      return abort.signal.aborted;
    });
    if (cancelled) {
      vscode.window.setStatusBarMessage('Layerlens: cancelled; the Dockerfile is unchanged', 4000);
      return;
    }
  }
  const text = document.getText();
  const edits: TextEdit[] = [];
  for (const image of pinning.parse(document).images) {
    if (image.kind !== 'image' || image.pinTarget.kind === 'none' || !isCandidate(image, mode)) continue;
    if (mode === 'unpin') {
      const edit = unpinEdit(text, image);
      if (edit) edits.push(edit);
      continue;
    }
    const digest = digests.get(imageKey(image));
    if (digest) edits.push(pinEdit(text, image, digest));
  }
  const changed = mergeEdits(edits).length;
  if (changed) await applyEdits(document, edits, `${mode} all`);
  for (const failure of failures) ctx.log.warn(`dockerfile: ${failure}`);
  const summary = `${doneText(mode, changed)} in ${vscode.workspace.asRelativePath(document.uri)}.${skippedText(skipped)}`;
  if (failures.length) {
    const choice = await vscode.window.showWarningMessage(`${summary} ${failures.length} could not be resolved: ${failures.join('; ')}`, 'Show Log');
    if (choice === 'Show Log') ctx.log.show(true);
  } else {
    vscode.window.setStatusBarMessage(`Layerlens: ${summary}`, 5000);
  }
}

async function bulkDocument(pinning: DockerfilePinning, uri: unknown): Promise<vscode.TextDocument> {
  const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document || !pinning.isDockerfile(document)) throw new Error('Open a Dockerfile (or Containerfile) in the editor first: these commands work on the active Dockerfile.');
  return document;
}

function isCandidate(image: PinnableImage, mode: BulkMode): boolean {
  const reference = image.reference;
  if (!reference?.tag) return false; // digest-only: nothing to follow or to keep
  return mode === 'pin' ? !reference.digest : Boolean(reference.digest);
}

/** Same reference and same place for the digest: same answer. */
function imageKey(image: PinnableImage): string {
  const reference = image.reference ? formatReference({ ...image.reference, digest: undefined }) : image.text;
  return `${reference}|${image.platform?.expanded ?? ''}`;
}

function pinnableDigest(status: PinStatus): string | undefined {
  return status.kind === 'unpinned' || status.kind === 'moved' || status.kind === 'current' ? status.choice.digest : undefined;
}

function statusReason(status: PinStatus): string {
  if (status.kind === 'error' || status.kind === 'not-pinnable') return status.message;
  return 'it names a digest without a tag, so there is no tag to resolve.';
}

async function applyEdits(document: vscode.TextDocument, edits: readonly TextEdit[], what: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  for (const { span, newText } of mergeEdits(edits)) edit.replace(document.uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), newText);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`Could not ${what} in ${vscode.workspace.asRelativePath(document.uri)}: VS Code refused the edit (is the file read-only?).`);
}

function nothingToDo(mode: BulkMode): string {
  if (mode === 'pin') return 'Every FROM line with a tag is already pinned';
  if (mode === 'update') return 'No FROM line is pinned';
  return 'No FROM line is pinned next to a tag';
}

function doneText(mode: BulkMode, count: number): string {
  const lines = `${count} ${count === 1 ? 'line' : 'lines'}`;
  if (mode === 'pin') return `Pinned ${lines}`;
  if (mode === 'update') return count ? `Updated ${lines} whose tag moved` : 'Every pinned digest is current';
  return `Unpinned ${lines}`;
}

function skippedText(skipped: readonly PinnableImage[]): string {
  if (!skipped.length) return '';
  return ` Skipped: ${skipped.map((image) => `line ${image.line + 1} (${image.kind === 'image' && image.pinTarget.kind === 'none' ? image.pinTarget.reason : notPinnableMessage(image)})`).join(', ')}.`;
}
