// A fake registry for the digest resolver's and pin status's unit tests: real RegistryClients
// whose fetch answers manifest HEAD/GET and config blobs from a map, counts requests and
// requests in flight per host, and can hold answers behind a gate.

import { createHash } from 'node:crypto';
import { RegistryClient } from '../../../src/registry/client';
import { DigestResolver, type DigestResolverOptions } from '../../../src/registry/digestResolver';
import { OCI_INDEX, OCI_MANIFEST } from '../../../src/registry/manifest';
import { parseReference } from '../../../src/image/reference';

export interface FakeManifest {
  body: string;
  digest: string;
  mediaType: string;
}

export function manifest(mediaType: string, content: object): FakeManifest {
  const body = JSON.stringify({ schemaVersion: 2, mediaType, ...content });
  return { body, mediaType, digest: `sha256:${createHash('sha256').update(body).digest('hex')}` };
}

/** Config blobs by digest, for every host and repository (the client reads an image manifest's config). */
export const configBlobs = new Map<string, string>();

export function imageManifest(seed: string, platform: { os: string; architecture: string; variant?: string } = { os: 'linux', architecture: 'amd64' }): FakeManifest {
  const config = JSON.stringify({ ...platform, created: '2024-01-01T00:00:00Z', seed, rootfs: { type: 'layers', diff_ids: [] } });
  const digest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  configBlobs.set(digest, config);
  return manifest(OCI_MANIFEST, { config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: Buffer.byteLength(config) }, layers: [] });
}

export function indexOf(entries: Array<{ platform: { os: string; architecture: string; variant?: string }; image: FakeManifest }>): FakeManifest {
  return manifest(OCI_INDEX, { manifests: entries.map(({ platform, image }) => ({ mediaType: OCI_MANIFEST, digest: image.digest, size: image.body.length, platform })) });
}

export interface FakeRequest {
  host: string;
  method: string;
  repository: string;
  reference: string;
  accept: string;
}

type Behaviour = 'refused' | 'no-dns' | 'tls' | number;

/**
 * A fake registry per host: `content[host][repository:tag or repository@digest]` answers; a
 * `behaviour[host]` makes every request of that host fail (network refused, a name that does not
 * resolve as offline, TLS, or a status).
 * `gate` holds answers until released, to see requests in flight.
 */
export class FakeRegistries {
  readonly requests: FakeRequest[] = [];
  readonly content = new Map<string, FakeManifest>();
  readonly behaviour = new Map<string, Behaviour>();
  inFlight = new Map<string, number>();
  maxInFlight = new Map<string, number>();
  gate: Promise<void> | undefined;

  put(reference: string, value: FakeManifest): void {
    const ref = parseReference(reference);
    this.content.set(`${ref.domain}/${ref.path}:${ref.tag ?? 'latest'}`, value);
    this.content.set(`${ref.domain}/${ref.path}@${value.digest}`, value);
  }

  /** Adds a manifest reachable by digest only (the platform images of an index). */
  putDigest(repository: string, value: FakeManifest): void {
    this.content.set(`${repository}@${value.digest}`, value);
  }

  remove(key: string): void {
    this.content.delete(key);
  }

  count(predicate: (request: FakeRequest) => boolean = () => true): number {
    return this.requests.filter(predicate).length;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const host = url.host === 'registry-1.docker.io' ? 'docker.io' : url.host;
    const blob = /^\/v2\/.+\/blobs\/([^/]+)$/.exec(url.pathname);
    if (blob) {
      const config = configBlobs.get(blob[1] ?? '');
      return new Response(config ?? '{}', { status: config === undefined ? 404 : 200, headers: { 'Content-Type': 'application/octet-stream' } });
    }
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    const headers = new Headers(init?.headers);
    const request: FakeRequest = { host, method: init?.method ?? 'GET', repository: match?.[1] ?? '', reference: match?.[2] ?? '', accept: headers.get('accept') ?? '' };
    this.requests.push(request);
    const now = (this.inFlight.get(host) ?? 0) + 1;
    this.inFlight.set(host, now);
    this.maxInFlight.set(host, Math.max(now, this.maxInFlight.get(host) ?? 0));
    try {
      await Promise.resolve();
      if (this.gate) await this.gate;
      return this.answer(host, request);
    } finally {
      this.inFlight.set(host, (this.inFlight.get(host) ?? 1) - 1);
    }
  };

  private answer(host: string, request: FakeRequest): Response {
    const behaviour = this.behaviour.get(host);
    if (behaviour === 'refused') {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ECONNREFUSED ${host}`), { code: 'ECONNREFUSED' }) });
    }
    if (behaviour === 'no-dns') {
      const name = host === 'docker.io' ? 'registry-1.docker.io' : host;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' }) });
    }
    if (behaviour === 'tls') {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) });
    }
    if (behaviour === 401) return new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="fake"' } });
    if (typeof behaviour === 'number') return new Response(request.method === 'HEAD' ? null : '{}', { status: behaviour });
    const separator = request.reference.includes(':') ? '@' : ':';
    const found = this.content.get(`${host}/${request.repository}${separator}${request.reference}`);
    if (!found) {
      // distribution answers a HEAD with no body: the client sees 404 and no error code.
      const body = request.method === 'HEAD' ? null : JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
      return new Response(body, { status: 404, headers: { 'Content-Type': 'application/json' } });
    }
    const responseHeaders = { 'Content-Type': found.mediaType, 'Docker-Content-Digest': found.digest, 'Content-Length': String(Buffer.byteLength(found.body)) };
    return new Response(request.method === 'HEAD' ? null : found.body, { status: 200, headers: responseHeaders });
  }
}

export function clientsFor(fake: FakeRegistries): (host: string) => RegistryClient {
  const clients = new Map<string, RegistryClient>();
  return (host) => {
    let client = clients.get(host);
    if (!client) {
      client = new RegistryClient({ host, getCredential: () => Promise.resolve(undefined), fetch: fake.fetch, retries: 0, backoffMs: 1, timeoutMs: 5000, userAgent: 'layerlens-test' });
      clients.set(host, client);
    }
    return client;
  };
}

export function resolverFor(fake: FakeRegistries, extra: Partial<DigestResolverOptions> = {}): DigestResolver {
  return new DigestResolver({ clientFor: clientsFor(fake), ...extra });
}

