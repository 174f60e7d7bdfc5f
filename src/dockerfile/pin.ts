// Edits that pin, update and unpin digests on the images parseDockerfile found. Every edit
// touches only the digest part of the pin target: flags, stage names, comments, spacing,
// continuations and line endings stay byte for byte. No `vscode` import.

import { type DockerfileImage, type TextSpan } from './parse';

export interface TextEdit {
  span: TextSpan;
  newText: string;
}

/** The digest the image is pinned to (in its expanded reference), if any. */
export function pinnedDigest(image: DockerfileImage): string | undefined {
  return image.reference?.digest;
}

/** `nginx:1.27` -> `nginx:1.27@<digest>`; a pinned image gets its digest replaced. Throws when pinTarget is 'none'. */
export function pinEdit(text: string, image: DockerfileImage, digest: string): TextEdit {
  void text;
  void image;
  void digest;
  throw new Error('pinEdit: not implemented yet');
}

/** Removes `@<digest>` (keeping the tag); undefined when not pinned or when there is no tag to keep (digest-only). */
export function unpinEdit(text: string, image: DockerfileImage): TextEdit | undefined {
  void text;
  void image;
  throw new Error('unpinEdit: not implemented yet');
}

/** Sorted, without duplicates (two FROMs sharing one ARG give the same edit once); throws on overlapping different edits. */
export function mergeEdits(edits: readonly TextEdit[]): TextEdit[] {
  void edits;
  throw new Error('mergeEdits: not implemented yet');
}

/** The text with the (merged) edits applied. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  void text;
  void edits;
  throw new Error('applyEdits: not implemented yet');
}
