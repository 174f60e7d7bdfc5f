// Edits that pin, update and unpin digests on the images parsePinnableDockerfile found. Every edit
// touches only the digest part of the pin target: flags, stage names, comments, spacing,
// continuations and line endings stay byte for byte. No `vscode` import.

import { type TextSpan } from '../dockerfile/types';
import { type PinnableImage } from './pinnable';

export interface TextEdit {
  span: TextSpan;
  newText: string;
}

/** The digest the image is pinned to (in its expanded reference), if any. */
export function pinnedDigest(image: PinnableImage): string | undefined {
  return image.reference?.digest;
}

/**
 * `nginx:1.27` -> `nginx:1.27@<digest>`; a pinned image gets its digest replaced. Throws when pinTarget is 'none'.
 * An image without a tag gets the `:latest` that `docker pull` took next to its digest: the tag is what
 * the pin follows, and `nginx@<digest>` alone could never be checked for a newer digest or unpinned.
 */
export function pinEdit(text: string, image: PinnableImage, digest: string): TextEdit {
  if (!DIGEST_RE.test(digest)) throw new Error(`Cannot pin ${image.text} to "${digest}": that is not a digest such as sha256: and 64 hex digits.`);
  const { end } = editableSpan(text, image);
  const pinned = pinnedDigest(image);
  if (pinned === undefined) return { span: { start: end, end }, newText: `${image.reference?.tag === undefined ? ':latest' : ''}@${digest}` };
  return { span: { start: end - pinned.length, end }, newText: digest };
}

/** Removes `@<digest>` (keeping the tag); undefined when not pinned or when there is no tag to keep (digest-only). */
export function unpinEdit(text: string, image: PinnableImage): TextEdit | undefined {
  const pinned = pinnedDigest(image);
  if (pinned === undefined || image.reference?.tag === undefined) return undefined;
  const { end } = editableSpan(text, image);
  return { span: { start: end - pinned.length - 1, end }, newText: '' };
}

/** Sorted, without duplicates (two FROMs sharing one ARG give the same edit once); throws on overlapping different edits. */
export function mergeEdits(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || compareText(a.newText, b.newText));
  const merged: TextEdit[] = [];
  for (const edit of sorted) {
    const previous = merged.at(-1);
    if (previous && sameEdit(previous, edit)) continue;
    const insertsAtSamePlace = previous && previous.span.start === edit.span.start && previous.span.end === previous.span.start && edit.span.end === edit.span.start;
    if (previous && (edit.span.start < previous.span.end || insertsAtSamePlace)) {
      throw new Error(
        `Two different changes touch the same text (offsets ${previous.span.start}-${previous.span.end} and ${edit.span.start}-${edit.span.end}): ` +
          `"${previous.newText}" and "${edit.newText}". Pin these images one at a time.`,
      );
    }
    merged.push(edit);
  }
  return merged;
}

/** The text with the (merged) edits applied. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = '';
  let done = 0;
  for (const edit of mergeEdits(edits)) {
    if (edit.span.start < done || edit.span.end > text.length) throw new Error(`An edit at offsets ${edit.span.start}-${edit.span.end} lies outside the text (${text.length} characters).`);
    result += text.slice(done, edit.span.start) + edit.newText;
    done = edit.span.end;
  }
  return result + text.slice(done);
}

const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/;

/**
 * The pin target's span, checked against the text: its end is where the digest goes (or ends).
 * The image must have been parsed from this very text; a stale image would edit the wrong place.
 */
function editableSpan(text: string, image: PinnableImage): TextSpan {
  const target = image.pinTarget;
  if (target.kind === 'none') throw new Error(target.reason);
  const { span } = target;
  const written = text.slice(span.start, span.end);
  const pinned = pinnedDigest(image);
  const expectedEnd = pinned === undefined ? undefined : `@${pinned}`;
  if (span.end > text.length || span.start >= span.end || (expectedEnd !== undefined && !written.endsWith(expectedEnd))) {
    throw new Error(`The Dockerfile changed since ${image.text} was read at offset ${span.start}; read it again before pinning.`);
  }
  return span;
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
