// For one image of a Dockerfile: which digest pinning would write, and whether a pinned
// digest is still what the tag points at. Pure over a DigestResolver; no `vscode` import.
//
// Choices, and why:
// - A reference with neither tag nor digest (`FROM nginx`) follows `latest`, as docker does.
// - A pin that is one platform's digest of the tag's index is 'current', and its choice is that
//   platform's digest (not the index's), so an update keeps the pin a platform pin.
// - When the index came from the engine (no per-platform digests) and the pin is not the index
//   digest, whether it is a platform pin cannot be told: 'error' saying so, never a guessed 'moved'.
// - A cancelled ask rejects (with the signal's reason) instead of answering 'error'.

import { type PlatformEntry } from '../registry/manifest';
import { findPlatform, formatPlatform, parsePlatform } from '../image/platform';
import { type DigestResolver, type TagDigest } from '../registry/digestResolver';
import { formatFamiliarReference, type ImageReference } from '../image/reference';
import { type PinnableImage } from './pinnable';
import { errorDetails, errorText } from '../util/errors';

export interface PinOptions {
  /** `os/arch[/variant]` to pin that platform's manifest digest for FROMs without a literal --platform; undefined: the index digest. */
  platform?: string;
}

/** The digest pinning writes, and why that one. */
export interface DigestChoice {
  digest: string;
  /** 'index': works on every platform; 'platform': one platform's manifest; 'image': the tag is a single manifest. */
  kind: 'index' | 'platform' | 'image';
  /** The platform chosen, for 'platform'. */
  platform?: string;
  tag: TagDigest;
}

export type PinStatus =
  /** kind is not 'image': scratch, stage, unresolved, invalid; `message` says it for the lens. */
  | { kind: 'not-pinnable'; message: string }
  | { kind: 'unpinned'; choice: DigestChoice }
  | { kind: 'current'; pinned: string; choice: DigestChoice }
  | { kind: 'moved'; pinned: string; choice: DigestChoice; pinnedStillExists: boolean }
  /** `image@sha256:...` with no tag: nothing to follow; whether the registry still has it. */
  | { kind: 'digest-only'; pinned: string; exists: boolean }
  /** `message` leads (what failed, the next step); `details`, when there are any, holds the registry's and the engine's own words. */
  | { kind: 'error'; message: string; details?: string };

export async function pinStatus(image: PinnableImage, resolver: DigestResolver, options: PinOptions, signal?: AbortSignal): Promise<PinStatus> {
  const ref = image.kind === 'image' ? image.reference : undefined;
  if (ref === undefined) return { kind: 'not-pinnable', message: notPinnableMessage(image) };
  try {
    const pinned = ref.digest;
    if (pinned !== undefined && ref.tag === undefined) {
      return { kind: 'digest-only', pinned, exists: await resolver.digestExists(ref, pinned, signal) };
    }
    const tag = await resolver.resolveTag(ref, signal);
    if (pinned === undefined) return { kind: 'unpinned', choice: await chooseDigest(image, ref, tag, resolver, options, signal) };
    if (pinned === tag.digest) {
      const choice: DigestChoice = { digest: tag.digest, kind: tag.kind === 'index' ? 'index' : 'image', tag };
      return { kind: 'current', pinned, choice };
    }
    if (tag.kind === 'index') {
      const entry = (await resolver.platforms(ref, tag.digest, signal)).find((candidate) => candidate.digest === pinned);
      if (entry) return { kind: 'current', pinned, choice: { digest: pinned, kind: 'platform', platform: formatPlatform(entry), tag } };
    }
    const choice = await chooseDigest(image, ref, tag, resolver, options, signal);
    if (choice.digest === pinned) return { kind: 'current', pinned, choice };
    return { kind: 'moved', pinned, choice, pinnedStillExists: await resolver.digestExists(ref, pinned, signal) };
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    const details = errorDetails(error);
    return details === undefined ? { kind: 'error', message: errorMessage(ref, error) } : { kind: 'error', message: errorMessage(ref, error), details };
  }
}

/** The platforms of the index a choice came from, for the hover (empty for a single manifest). */
export async function platformsOf(image: PinnableImage, choice: DigestChoice, resolver: DigestResolver, signal?: AbortSignal): Promise<PlatformEntry[]> {
  if (choice.tag.kind !== 'index' || image.reference === undefined) return [];
  return resolver.platforms(image.reference, choice.tag.digest, signal);
}

/** Which digest to pin: the index's by default; one platform's for a literal --platform or the pin-platform option. */
async function chooseDigest(image: PinnableImage, ref: ImageReference, tag: TagDigest, resolver: DigestResolver, options: PinOptions, signal?: AbortSignal): Promise<DigestChoice> {
  if (tag.kind === 'image') return { digest: tag.digest, kind: 'image', tag };
  const wanted = wantedPlatform(image, options);
  if (wanted === undefined) return { digest: tag.digest, kind: 'index', tag };
  const platform = parsePlatform(wanted.text);
  const name = formatFamiliarReference(ref);
  if (platform === undefined) {
    throw new Error(`${wanted.source === 'flag' ? `--platform=${wanted.text}` : `The pin platform "${wanted.text}"`} is not os/architecture[/variant] (such as linux/amd64 or linux/arm/v7), so no platform of ${name} can be chosen. ${wanted.next}`);
  }
  const entries = await resolver.platforms(ref, tag.digest, signal);
  const entry = findPlatform(entries, platform);
  if (entry === undefined) {
    const available = availablePlatforms(entries);
    throw new Error(
      `${name} has no ${formatPlatform(platform)} image: its index holds ${available.length ? available.join(', ') : 'no platform images'}. ${wanted.next}`,
    );
  }
  return { digest: entry.digest, kind: 'platform', platform: formatPlatform(entry), tag };
}

interface WantedPlatform {
  text: string;
  source: 'flag' | 'option';
  /** The next step when the platform is not there. */
  next: string;
}

function wantedPlatform(image: PinnableImage, options: PinOptions): WantedPlatform | undefined {
  const flag = image.platform;
  if (flag !== undefined) {
    // `--platform=$BUILDPLATFORM` and the like: the platform is known only at build time.
    if (flag.unresolved.length > 0 || flag.expanded === undefined) return undefined;
    return { text: flag.expanded.trim(), source: 'flag', next: 'Change --platform to one of those.' };
  }
  const option = options.platform?.trim();
  if (!option) return undefined;
  return { text: option, source: 'option', next: 'Change the pin platform (layerlens.dockerfile.pinPlatform) to one of those, or clear it to pin the index.' };
}

/** The runnable platforms of an index, without attestation entries (unknown/unknown). */
function availablePlatforms(entries: readonly PlatformEntry[]): string[] {
  return [...new Set(entries.filter((entry) => entry.os !== 'unknown' && entry.architecture !== 'unknown').map(formatPlatform))];
}

/** Why an image that is not kind 'image' gets no pin: one sentence for a lens, a hover or a summary. */
export function notPinnableMessage(image: PinnableImage): string {
  switch (image.kind) {
    case 'scratch':
      return 'scratch: nothing to pin';
    case 'stage':
      return 'build stage: nothing to pin';
    case 'unresolved':
      return unresolvedMessage(image.unresolved);
    case 'invalid':
      return image.referenceError ?? `Cannot pin: "${image.expanded ?? image.text}" is not a valid image reference.`;
    case 'image':
      return `Cannot pin: "${image.expanded ?? image.text}" was not parsed as an image reference.`;
  }
}

/** Only a FROM expands variables (BuildKit refuses them in COPY --from), and only with the ARGs before the first FROM. */
function unresolvedMessage(names: readonly string[]): string {
  const unique = [...new Set(names)];
  if (unique.length === 0) return 'Cannot pin: a variable has no value (give it an ARG default before the first FROM)';
  const where = ' before the first FROM';
  const variables = joinWords(unique.map((name) => `\${${name}}`));
  const args = joinWords(unique.map((name) => `ARG ${name}`));
  return unique.length === 1 ? `Cannot pin: ${variables} has no value (give ${args} a default${where})` : `Cannot pin: ${variables} have no value (give ${args} defaults${where})`;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}

function errorMessage(ref: ImageReference, error: unknown): string {
  const message = errorText(error);
  // The resolver's, the registry client's and the engine's messages already name the reference.
  if (error instanceof Error && error.name !== 'Error' && error.name !== 'TypeError') return message;
  const name = formatFamiliarReference(ref);
  return message.includes(name) ? message : `Cannot check ${name}: ${message}`;
}
