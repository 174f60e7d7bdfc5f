// Manifests of the OCI image spec and Docker's schema 2, and the digest checks on their bytes.

import { createHash } from 'node:crypto';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST];
/** An OCI index or a Docker manifest list: a manifest of manifests, one per platform. */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/** Manifests larger than this are refused (distribution's own limit). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface PlatformEntry {
  os: string;
  architecture: string;
  variant?: string;
  digest: string;
  size: number;
  mediaType: string;
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; platforms: PlatformEntry[]; body: unknown }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[]; body: unknown };

const ALGORITHMS: Record<string, string> = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

/** `sha256:<hex>` of the bytes (or the algorithm of `like`, when it names sha384/sha512). */
export function computeDigest(bytes: Uint8Array, like?: string): string {
  const algorithm = like === undefined ? 'sha256' : (ALGORITHMS[like.slice(0, like.indexOf(':'))] ?? 'sha256');
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Undefined when the bytes match `expected`, else the digest they really have. */
export function digestMismatch(bytes: Uint8Array, expected: string): string | undefined {
  const actual = computeDigest(bytes, expected);
  return actual === expected.toLowerCase() ? undefined : actual;
}

export function isDigest(reference: string): boolean {
  return /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(reference);
}

/** Parses manifest JSON; throws Error with a short reason (the caller adds the subject). */
export function parseManifest(text: string, contentType: string | null): ParsedManifest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error('the manifest is not valid JSON');
  }
  if (!isObject(body)) throw new Error('the manifest is not a JSON object');
  const declared = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  const header = contentType?.split(';')[0]?.trim();
  const mediaType = declared ?? (header && header !== 'application/json' && header !== 'application/octet-stream' ? header : undefined) ?? (Array.isArray(body.manifests) ? OCI_INDEX : OCI_MANIFEST);
  if (body.schemaVersion === 1 || mediaType.startsWith('application/vnd.docker.distribution.manifest.v1')) {
    throw new Error('it is a schema 1 manifest, which is deprecated and not supported');
  }
  if (isIndexMediaType(mediaType) || Array.isArray(body.manifests)) {
    const manifests = Array.isArray(body.manifests) ? body.manifests : [];
    const platforms: PlatformEntry[] = [];
    for (const entry of manifests) {
      if (!isObject(entry) || typeof entry.digest !== 'string') continue;
      const platform = isObject(entry.platform) ? entry.platform : {};
      const item: PlatformEntry = {
        os: typeof platform.os === 'string' ? platform.os : 'unknown',
        architecture: typeof platform.architecture === 'string' ? platform.architecture : 'unknown',
        digest: entry.digest,
        size: typeof entry.size === 'number' ? entry.size : 0,
        mediaType: typeof entry.mediaType === 'string' ? entry.mediaType : OCI_MANIFEST,
      };
      if (typeof platform.variant === 'string') item.variant = platform.variant;
      platforms.push(item);
    }
    return { kind: 'index', mediaType, platforms, body };
  }
  const config = descriptor(body.config);
  if (config === undefined) throw new Error('the image manifest has no valid config descriptor');
  const layers = (Array.isArray(body.layers) ? body.layers : []).map(descriptor).filter((d): d is Descriptor => d !== undefined);
  return { kind: 'image', mediaType, config, layers, body };
}

function descriptor(value: unknown): Descriptor | undefined {
  if (!isObject(value) || typeof value.digest !== 'string') return undefined;
  return {
    mediaType: typeof value.mediaType === 'string' ? value.mediaType : '',
    digest: value.digest,
    size: typeof value.size === 'number' ? value.size : 0,
  };
}

export interface ImageConfigSummary {
  created?: string;
  architecture?: string;
  os?: string;
  variant?: string;
}

export function summarizeConfig(text: string): ImageConfigSummary {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error('the image config is not valid JSON');
  }
  if (!isObject(body)) throw new Error('the image config is not a JSON object');
  const summary: ImageConfigSummary = {};
  if (typeof body.created === 'string') summary.created = body.created;
  if (typeof body.architecture === 'string') summary.architecture = body.architecture;
  if (typeof body.os === 'string') summary.os = body.os;
  if (typeof body.variant === 'string') summary.variant = body.variant;
  return summary;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
