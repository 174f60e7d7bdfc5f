// The words for a pin status, shared by the lens, the hover and the diagnostics.

import { type PinnableImage } from '../../pinning/pinnable';
import { type DigestChoice, type PinStatus } from '../../pinning/pinStatus';
import { formatFamiliarReference, type ImageReference } from '../../image/reference';
import { shortDigest } from '../../util/format';

const LENS_TITLE_MAX = 90;

/** `nginx:1.27` for an image's reference, without the digest. */
export function tagName(reference: ImageReference): string {
  return formatFamiliarReference({ ...reference, digest: undefined });
}

/** Which digest a choice is, in words. */
export function describeChoice(choice: DigestChoice): string {
  if (choice.kind === 'index') return 'the index (manifest list) digest: the pin works on every platform';
  if (choice.kind === 'platform') return `the ${choice.platform ?? 'platform'} manifest digest: the pin fixes that one platform`;
  return 'the image manifest digest: the tag names a single-platform image';
}

/** One short line, for the lens title and the moved-tag diagnostic. */
export function firstSentence(message: string, max = LENS_TITLE_MAX): string {
  const sentence = /^(.+?[.!?])(\s|$)/.exec(message)?.[1] ?? message;
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}

export function movedMessage(image: PinnableImage, status: Extract<PinStatus, { kind: 'moved' }>): string {
  const name = image.reference ? tagName(image.reference) : image.text;
  const gone = status.pinnedStillExists ? '' : ' The pinned digest is no longer in the registry, so builds from this line fail.';
  return `${name} has moved: this line is pinned to ${shortDigest(status.pinned)}, the tag now points at ${shortDigest(status.choice.digest)}.${gone} Use "Tag moved · update digest" to pin the new one.`;
}
