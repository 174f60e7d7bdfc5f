// What a tag points at now, for pinning: one request per distinct reference (HEAD, which
// Docker Hub does not count as a pull), at most a few in flight per registry, answers cached
// for a few minutes; the engine's GET /distribution/{name}/json when the registry cannot be
// asked directly. No `vscode` import.

import { type PlatformEntry } from './manifest';
import { type RegistryClient } from './client';
import { type ImageReference } from './reference';

export interface TagDigest {
  /** The digest the tag points at: an index (manifest list) or a single image manifest. */
  digest: string;
  mediaType: string;
  kind: 'index' | 'image';
  /** Who answered: our registry client, or the engine (its own credentials and mirrors). */
  source: 'registry' | 'engine';
}

/** The engine's view of a reference (GET /distribution/{name}/json). */
export interface EngineDistribution {
  digest: string;
  mediaType: string;
  /** Platforms of an index (no per-platform digests: the engine does not give them). */
  platforms: Array<{ os: string; architecture: string; variant?: string }>;
}

export interface DigestResolverOptions {
  /** One client per registry host (with the user's credentials). */
  clientFor(host: string): RegistryClient;
  /** The engine fallback: a full reference (`docker.io/library/nginx:1.27`) -> its distribution info. */
  engineDistribution?: (reference: string, signal?: AbortSignal) => Promise<EngineDistribution>;
  /** How long an answer about a tag is kept (default 5 minutes). */
  ttlMs?: number;
  /** Requests in flight per registry host (default 4). */
  perHostConcurrency?: number;
  now?: () => number;
}

export class DigestResolver {
  constructor(private readonly options: DigestResolverOptions) {}

  /** What `ref`'s tag points at now. `ref` has a tag (a digest, if any, is ignored). */
  resolveTag(ref: ImageReference, signal?: AbortSignal): Promise<TagDigest> {
    void ref;
    void signal;
    void this.options;
    throw new Error('resolveTag: not implemented yet');
  }

  /** The platforms of an index, each with its own manifest digest (a GET, cached by digest). */
  platforms(ref: ImageReference, indexDigest: string, signal?: AbortSignal): Promise<PlatformEntry[]> {
    void ref;
    void indexDigest;
    void signal;
    throw new Error('platforms: not implemented yet');
  }

  /** Whether the registry still has a manifest with this digest (HEAD by digest; 404 -> false). */
  digestExists(ref: ImageReference, digest: string, signal?: AbortSignal): Promise<boolean> {
    void ref;
    void digest;
    void signal;
    throw new Error('digestExists: not implemented yet');
  }

  /** Drops cached answers (all, or those for one repository), so the next ask goes to the registry. */
  forget(ref?: ImageReference): void {
    void ref;
  }
}
