// For one image of a Dockerfile: which digest pinning would write, and whether a pinned
// digest is still what the tag points at. Pure over a DigestResolver; no `vscode` import.

import { type PlatformEntry } from '../registry/manifest';
import { type DigestResolver, type TagDigest } from '../registry/digestResolver';
import { type DockerfileImage } from './parse';

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
  | { kind: 'error'; message: string };

export async function pinStatus(image: DockerfileImage, resolver: DigestResolver, options: PinOptions, signal?: AbortSignal): Promise<PinStatus> {
  void image;
  void resolver;
  void options;
  void signal;
  throw new Error('pinStatus: not implemented yet');
}

/** The platforms of the index a choice came from, for the hover (empty for a single manifest). */
export async function platformsOf(image: DockerfileImage, choice: DigestChoice, resolver: DigestResolver, signal?: AbortSignal): Promise<PlatformEntry[]> {
  void image;
  void choice;
  void resolver;
  void signal;
  throw new Error('platformsOf: not implemented yet');
}
