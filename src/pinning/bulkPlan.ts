// Pin All, Update All and Unpin All without VS Code: which lines each one asks about, which it
// leaves as they are (and why), and the summary that says what it did: one sentence with the
// counts, then one detail line per line skipped or not resolved.

import { type PinnableImage } from './pinnable';
import { notPinnableMessage } from './pinStatus';

export type BulkMode = 'pin' | 'update' | 'unpin';

/** A line left unchanged, and why. */
export interface BulkLine {
  /** 0-based, as in PinnableImage. */
  line: number;
  image: string;
  reason: string;
  /** The registry's and the engine's own words, for a line not resolved. */
  details?: string;
}

export interface BulkPlan {
  /** The lines to look up (pin, update) or change (unpin). */
  candidates: PinnableImage[];
  /** Lines that are already as the command would leave them: pinned (Pin All), not pinned (Update, Unpin All). */
  settled: PinnableImage[];
  skipped: BulkLine[];
  /** Every image line: FROM and COPY --from, without scratch and stages. */
  total: number;
}

export function planBulkChange(images: readonly PinnableImage[], mode: BulkMode): BulkPlan {
  const plan: BulkPlan = { candidates: [], settled: [], skipped: [], total: 0 };
  for (const image of images) {
    if (image.kind === 'scratch' || image.kind === 'stage') continue;
    plan.total++;
    const skip = (reason: string): void => void plan.skipped.push({ line: image.line, image: image.text, reason });
    const reference = image.reference;
    if (image.kind !== 'image' || reference === undefined) skip(notPinnableMessage(image));
    else if (mode === 'pin' ? reference.digest !== undefined : reference.digest === undefined) plan.settled.push(image);
    else if (reference.tag === undefined) skip(noTagReason(image, mode));
    else if (image.pinTarget.kind === 'none') skip(image.pinTarget.reason);
    else plan.candidates.push(image);
  }
  return plan;
}

function noTagReason(image: PinnableImage, mode: BulkMode): string {
  if (mode === 'pin') return `it names no tag: write ${image.text}:latest (or the tag you mean) to pin it`;
  if (mode === 'update') return 'it is pinned by digest with no tag to follow';
  return 'it has no tag next to its digest, so unpinning would lose the image: edit it by hand';
}

export interface BulkOutcome {
  mode: BulkMode;
  /** The file, as the workspace names it. */
  file: string;
  plan: BulkPlan;
  /** Lines changed. */
  changed: number;
  /** Candidates whose digest could not be found. */
  failed: BulkLine[];
}

export interface BulkSummary {
  /** One sentence with the counts (and the cause, when every failure had the same one). */
  sentence: string;
  /** One line per line skipped or not resolved; empty when there were none. */
  details: string[];
}

export function summarizeBulkChange(outcome: BulkOutcome): BulkSummary {
  const { mode, plan, changed, failed } = outcome;
  const lines = (count: number): string => `${count} FROM ${count === 1 ? 'line' : 'lines'}`;
  const parts: string[] = [];
  if (mode === 'pin') parts.push(`Pinned ${changed} of ${lines(plan.total)} in ${outcome.file}`);
  else if (mode === 'update') parts.push(`Updated ${changed} of ${lines(plan.candidates.length)} pinned to a tag in ${outcome.file}`);
  else parts.push(`Unpinned ${changed} of ${lines(plan.total)} in ${outcome.file}`);
  const current = plan.candidates.length - changed - failed.length;
  if (mode === 'update' && current > 0) parts.push(`${current} current`);
  if (plan.settled.length) parts.push(`${plan.settled.length} ${mode === 'pin' ? 'already pinned' : 'not pinned'}`);
  if (plan.skipped.length) parts.push(`${plan.skipped.length} skipped`);
  if (failed.length) parts.push(`${failed.length} not resolved`);
  const causes = new Set(failed.map((line) => line.reason));
  const cause = causes.size === 1 ? ` ${[...causes][0] ?? ''}` : '';
  const details = [...plan.skipped.map((line) => ({ ...line, kind: 'skipped' })), ...failed.map((line) => ({ ...line, kind: 'not resolved' }))]
    .sort((a, b) => a.line - b.line)
    .map((line) => `line ${line.line + 1}, ${line.image} (${line.kind}): ${line.reason}${line.details === undefined ? '' : `\n  ${line.details.split('\n').join('\n  ')}`}`);
  return { sentence: `${parts.join(' · ')}.${cause}`, details };
}
