// What a reference resolves to through the engine's GET /distribution/{name}/json: made by
// engine/distribution.ts, read by the digest resolver's fallback, so neither imports the other.

export interface EngineDistribution {
  digest: string;
  mediaType: string;
  /** Platforms of an index (no per-platform digests: the engine does not give them). */
  platforms: Array<{ os: string; architecture: string; variant?: string }>;
}
