// Pin All, Update All and Unpin All on one Dockerfile: digests looked up with progress and
// cancellation, then every change in one edit, and a summary naming what was skipped.

import * as vscode from 'vscode';
import { type PinnableImage } from '../../pinning/pinnable';
import { mergeEdits, pinEdit, type TextEdit, unpinEdit } from '../../pinning/pin';
import { notPinnableMessage } from '../../pinning/pinStatus';
import { formatReference } from '../../image/reference';
import { settleWithConcurrency } from '../../util/concurrency';
import { type CommandContext } from '../commandContext';
import { withNotificationProgress } from '../notificationProgress';
import { applyEdits, pinnableDigest } from './pinEdits';
import { type DockerfilePinning } from './pinning';

/** Statuses asked at once by the bulk commands; the resolver still keeps to its per-registry limit. */
const BULK_CONCURRENCY = 8;

export type BulkMode = 'pin' | 'update' | 'unpin';

interface DigestLookup {
  /** By imageKey. */
  readonly digests: Map<string, string>;
  readonly failures: string[];
}

/** `uri` is the editor title menu's file; from the palette, the active editor's. */
export async function changeAllPins(ctx: CommandContext, mode: BulkMode, uri: unknown): Promise<void> {
  const { pinning } = ctx;
  const document = await bulkDocument(pinning, uri);
  const candidates = pinning.parse(document).images.filter((image) => image.kind === 'image' && image.reference && isCandidate(image, mode));
  const skipped = pinning.parse(document).images.filter((image) => image.kind === 'unresolved' || image.kind === 'invalid' || (image.kind === 'image' && image.pinTarget.kind === 'none' && isCandidate(image, mode)));
  if (!candidates.length) {
    void vscode.window.showInformationMessage(`${nothingToDo(mode)} in ${vscode.workspace.asRelativePath(document.uri)}.${skippedText(skipped)}`);
    return;
  }
  // Digests are looked up by reference, then the edits are computed on the text as it is when
  // they are applied: typing during the lookups loses nothing.
  const lookup = mode === 'unpin' ? { digests: new Map<string, string>(), failures: [] } : await lookUpDigests(pinning, document, candidates, mode);
  if (!lookup) {
    vscode.window.setStatusBarMessage('Layerlens: cancelled; the Dockerfile is unchanged', 4000);
    return;
  }
  const edits = bulkEdits(pinning, document, mode, lookup.digests);
  const changed = mergeEdits(edits).length;
  if (changed) await applyEdits(document, edits, `${mode} all`);
  for (const failure of lookup.failures) ctx.log.warn(`dockerfile: ${failure}`);
  const summary = `${doneText(mode, changed)} in ${vscode.workspace.asRelativePath(document.uri)}.${skippedText(skipped)}`;
  if (lookup.failures.length) {
    const choice = await vscode.window.showWarningMessage(`${summary} ${lookup.failures.length} could not be resolved: ${lookup.failures.join('; ')}`, 'Show Log');
    if (choice === 'Show Log') ctx.log.show(true);
  } else {
    vscode.window.setStatusBarMessage(`Layerlens: ${summary}`, 5000);
  }
}

/** Undefined when cancelled. */
async function lookUpDigests(pinning: DockerfilePinning, document: vscode.TextDocument, candidates: readonly PinnableImage[], mode: 'pin' | 'update'): Promise<DigestLookup | undefined> {
  const lookup: DigestLookup = { digests: new Map(), failures: [] };
  const cancelled = await withNotificationProgress({ title: `${mode === 'pin' ? 'Pinning' : 'Updating'} ${vscode.workspace.asRelativePath(document.uri)}`, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    let done = 0;
    try {
      await settleWithConcurrency(candidates, BULK_CONCURRENCY, async (image) => {
        if (abort.signal.aborted) return;
        const status = await pinning.status(image, document.uri, abort.signal);
        const digest = mode === 'pin' ? pinnableDigest(status) : status.kind === 'moved' ? status.choice.digest : undefined;
        if (digest) lookup.digests.set(imageKey(image), digest);
        else if (status.kind === 'error' || status.kind === 'not-pinnable') lookup.failures.push(`${image.text} (line ${image.line + 1}): ${status.message}`);
        progress.report({ message: `${++done}/${candidates.length} images`, increment: 100 / candidates.length });
      });
    } finally {
      subscription.dispose();
    }
    return abort.signal.aborted;
  });
  return cancelled ? undefined : lookup;
}

function bulkEdits(pinning: DockerfilePinning, document: vscode.TextDocument, mode: BulkMode, digests: ReadonlyMap<string, string>): TextEdit[] {
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
  return edits;
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
