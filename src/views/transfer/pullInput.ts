// What Pull Image's input shows for the text in it, without VS Code: the Pull row for a valid
// reference, the parser's reason once the user has typed, and what it opens with.

import { formatReference, ImageReferenceError } from '../../image/reference';
import { parseReferenceRequest, type ReferenceRequest } from '../../image/referenceRequest';
import { type RepositoryGroup } from '../../engine/imageGroups';
import { errorText } from '../../util/errors';

export interface PullInputRow {
  label: string;
  description?: string;
  request?: ReferenceRequest;
}

/**
 * The row for the text: a Pull row when it parses; the reason when it does not, but only after
 * the user typed (an input must not open with an error); nothing for empty text.
 */
export function pullInputRow(value: string, typed: boolean): PullInputRow | undefined {
  if (!value.trim()) return undefined;
  try {
    const request = parseReferenceRequest(value);
    return { label: `$(cloud-download) Pull ${formatReference(request.reference)}`, description: request.platform ? `for ${request.platform}` : undefined, request };
  } catch (error) {
    if (!typed) return undefined;
    return { label: `$(error) ${error instanceof ImageReferenceError ? error.message : errorText(error)}` };
  }
}

/** A repository's Pull opens with a whole reference: its first tag (as the tree orders them), else `:latest`. */
export function pullPrefill(group: Pick<RepositoryGroup, 'label' | 'tags'>): string {
  return group.tags[0]?.familiar ?? `${group.label}:latest`;
}
