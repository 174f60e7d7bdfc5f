// Pin All, Update All and Unpin All on one Dockerfile: digests looked up with progress and
// cancellation, then every change in one edit, and a summary of what was done and what was
// left (pinning/bulkPlan.ts), whose details go to the log behind "Show Details".

import * as vscode from 'vscode';
import { type BulkLine, type BulkMode, type BulkSummary, planBulkChange, summarizeBulkChange } from '../../pinning/bulkPlan';
import { type PinnableImage } from '../../pinning/pinnable';
import { mergeEdits, pinEdit, type TextEdit, unpinEdit } from '../../pinning/pin';
import { formatReference } from '../../image/reference';
import { settleWithConcurrency } from '../../util/concurrency';
import { type CommandContext } from '../commandContext';
import { withNotificationProgress } from '../notificationProgress';
import { SHOW_DETAILS } from '../registerCommand';
import { applyEdits, pinnableDigest } from './pinEdits';
import { type DockerfilePinning } from './pinning';

/** Statuses asked at once by the bulk commands; the resolver still keeps to its per-registry limit. */
const BULK_CONCURRENCY = 8;

interface DigestLookup {
  /** By imageKey. */
  readonly digests: Map<string, string>;
  readonly failures: BulkLine[];
}

/** `uri` is the editor title menu's file; from the palette, the active editor's. The summary, or undefined when cancelled. */
export async function changeAllPins(ctx: CommandContext, mode: BulkMode, uri: unknown): Promise<BulkSummary | undefined> {
  const { pinning } = ctx;
  const document = await bulkDocument(pinning, uri);
  const plan = planBulkChange(pinning.parse(document).images, mode);
  // Digests are looked up by reference, then the edits are computed on the text as it is when
  // they are applied: typing during the lookups loses nothing.
  const lookup = mode === 'unpin' || !plan.candidates.length ? { digests: new Map<string, string>(), failures: [] } : await lookUpDigests(pinning, document, plan.candidates, mode);
  if (!lookup) {
    vscode.window.setStatusBarMessage('Layerlens: cancelled; the Dockerfile is unchanged', 4000);
    return undefined;
  }
  const edits = bulkEdits(pinning, document, mode, lookup.digests);
  const changed = mergeEdits(edits).length;
  if (changed) await applyEdits(document, edits, `${mode} all`);
  const summary = summarizeBulkChange({ mode, file: vscode.workspace.asRelativePath(document.uri), plan, changed, failed: lookup.failures });
  ctx.log.info(`dockerfile: ${summary.sentence}${summary.details.map((line) => `\n  ${line}`).join('')}`);
  if (summary.details.length) {
    void vscode.window.showWarningMessage(summary.sentence, SHOW_DETAILS).then((choice) => {
      if (choice === SHOW_DETAILS) ctx.log.show(true);
    });
  } else {
    vscode.window.setStatusBarMessage(`Layerlens: ${summary.sentence}`, 5000);
  }
  return summary;
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
        else if (status.kind === 'error' || status.kind === 'not-pinnable') {
          lookup.failures.push({ line: image.line, image: image.text, reason: status.message, details: status.kind === 'error' ? status.details : undefined });
        }
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
  // The plan again, on the text as it is now.
  for (const image of planBulkChange(pinning.parse(document).images, mode).candidates) {
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

/** Same reference and same place for the digest: same answer. */
function imageKey(image: PinnableImage): string {
  const reference = image.reference ? formatReference({ ...image.reference, digest: undefined }) : image.text;
  return `${reference}|${image.platform?.expanded ?? ''}`;
}
