// A client of the OCI distribution API (/v2/): ping, catalog and tags with paging, manifests
// (HEAD and GET, digest-verified) and image configs, over http.ts (timeouts, retries, redirects
// that keep credentials on the registry's origin, body caps), with auth.ts answering 401s.
// Pure: fetch, the clock's sleep and the credential lookup come in as inputs.

import { type AuthChallenge, type CredentialGetter, parseWwwAuthenticate, RegistryAuthenticator } from './auth';
import { RegistryError, type RequestSubject, statusError, subjectText } from './httpErrors';
import { discard, type HttpOptions, readErrorBody, RegistryHttp, subjectDetails as details } from './http';
import {
  computeDigest,
  type Descriptor,
  digestMismatch,
  isDigest,
  MANIFEST_ACCEPT,
  MAX_MANIFEST_BYTES,
  parseManifest,
  type PlatformEntry,
  summarizeConfig,
} from './manifest';
import { paginate } from './paging';

export { RegistryError } from './httpErrors';

export interface RegistryClientOptions {
  /** Registry host as in image references: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  host: string;
  getCredential: CredentialGetter;
  fetch?: typeof fetch;
  /** Per request, body included (default 30 s). */
  timeoutMs?: number;
  /** Retries after a 5xx, a network error or a 429 (default 3). */
  retries?: number;
  /** Plain HTTP even though the host is not loopback. */
  insecure?: boolean;
  userAgent?: string;
  /** First retry delay, doubled each time (default 500 ms). */
  backoffMs?: number;
  /** Longest Retry-After honoured; a longer one fails at once (default 60 s). */
  maxRetryAfterMs?: number;
  /** `n` asked of catalog and tags (default 100). */
  pageSize?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Registries known to exist; each answer is noted there (see http.ts). */
  knownRegistries?: HttpOptions['knownRegistries'];
}

export type PingResult =
  | { ok: true; status: number }
  | { ok: false; needsAuth: true; status: 401; challenges: AuthChallenge[] };

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

export type ManifestDetails =
  | (ManifestHead & { kind: 'index'; body: unknown; platforms: PlatformEntry[] })
  | (ManifestHead & {
      kind: 'image';
      body: unknown;
      config: Descriptor;
      layers: Descriptor[];
      created?: string;
      os?: string;
      architecture?: string;
      variant?: string;
      /** Sum of the layers' (compressed) sizes. */
      totalSize: number;
    });

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
const MAX_LIST_BYTES = 32 * 1024 * 1024;
const REPOSITORY_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;

/** `docker.io` -> `https://registry-1.docker.io`; loopback and insecure hosts -> http://, others https://. */
export function registryBaseUrl(host: string, insecure = false): string {
  const lower = host.trim().toLowerCase();
  if (DOCKER_HUB_HOSTS.has(lower)) return 'https://registry-1.docker.io';
  return `${insecure || isLoopbackHost(lower) ? 'http' : 'https'}://${lower}`;
}

/** localhost, 127.0.0.0/8 and [::1], with or without a port. */
export function isLoopbackHost(host: string): boolean {
  const lower = host.trim().toLowerCase();
  const name = lower.startsWith('[') ? lower.slice(0, lower.indexOf(']') + 1) : lower.split(':')[0] ?? '';
  if (name === 'localhost' || name === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}

interface RequestSpec {
  method: 'GET' | 'HEAD' | 'DELETE';
  url: URL;
  subject: RequestSubject;
  /** Auth scope; undefined: anonymous, and a 401 is returned (ping). */
  scope?: string;
  accept?: string;
  retries?: number;
}

/** Per call: fewer retries where a caller has a fallback of its own. */
export interface RequestOptions {
  retries?: number;
}

export class RegistryClient {
  readonly host: string;
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly http: RegistryHttp;
  private readonly pageSize: number;
  private readonly auth: RegistryAuthenticator;

  constructor(options: RegistryClientOptions) {
    this.host = options.host.trim();
    this.baseUrl = registryBaseUrl(this.host, options.insecure);
    this.origin = new URL(this.baseUrl).origin;
    this.http = new RegistryHttp(options);
    this.pageSize = Math.max(1, options.pageSize ?? 100);
    this.auth = new RegistryAuthenticator({ registry: this.host, getCredential: options.getCredential, http: this.http });
  }

  /** GET /v2/, anonymously: ok, or needs auth with the registry's challenges. */
  async ping(): Promise<PingResult> {
    const response = await this.request({ method: 'GET', url: this.url('/v2/'), subject: this.subject('reach') });
    await discard(response);
    if (response.status === 401) {
      return { ok: false, needsAuth: true, status: 401, challenges: parseWwwAuthenticate(response.headers.get('www-authenticate') ?? '') };
    }
    return { ok: true, status: response.status };
  }

  /** Every repository name, page by page. */
  catalog(): AsyncGenerator<string, void, undefined> {
    const subject = this.subject('list the repositories of');
    return this.list(this.url('/v2/_catalog'), 'registry:catalog:*', subject, 'repositories');
  }

  /** Every tag of `repository`, page by page. */
  tags(repository: string): AsyncGenerator<string, void, undefined> {
    const subject = this.subject('list the tags of', repository);
    this.checkRepository(subject);
    return this.list(this.url(`/v2/${repository}/tags/list`), pullScope(repository), subject, 'tags');
  }

  /** HEAD of a manifest: its digest, media type and size. */
  async headManifest(repository: string, reference: string, options: RequestOptions = {}): Promise<ManifestHead> {
    const subject = this.subject('read the manifest of', repository, reference);
    this.checkRepository(subject, reference);
    const response = await this.request({
      method: 'HEAD',
      url: this.url(`/v2/${repository}/manifests/${reference}`),
      subject,
      scope: pullScope(repository),
      accept: MANIFEST_ACCEPT.join(', '),
      retries: options.retries,
    });
    await discard(response);
    const digest = response.headers.get('docker-content-digest');
    const length = Number(response.headers.get('content-length') ?? NaN);
    const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim();
    if (!digest || !Number.isFinite(length) || !mediaType) {
      // Some registries leave headers out of HEAD answers: read the manifest instead.
      const { digest: d, mediaType: m, size } = await this.getManifest(repository, reference, options);
      return { digest: d, mediaType: m, size };
    }
    if (isDigest(reference) && digest !== reference) {
      throw new RegistryError(`${subjectText(subject)}: the registry answered with the digest ${digest}, not the ${reference} asked for. The registry is damaged or misrouted; tell its operator.`, {
        ...details(subject),
        status: response.status,
        code: 'DIGEST_MISMATCH',
      });
    }
    return { digest, mediaType, size: length };
  }

  /**
   * GET of a manifest, verified against Docker-Content-Digest and the digest asked for. An index
   * comes with its platforms; an image manifest with its config's created/os/architecture and
   * the sum of its layer sizes.
   */
  async getManifest(repository: string, reference: string, options: RequestOptions = {}): Promise<ManifestDetails> {
    const subject = this.subject('read the manifest of', repository, reference);
    this.checkRepository(subject, reference);
    const response = await this.request({
      method: 'GET',
      url: this.url(`/v2/${repository}/manifests/${reference}`),
      subject,
      scope: pullScope(repository),
      accept: MANIFEST_ACCEPT.join(', '),
      retries: options.retries,
    });
    const bytes = await this.http.readBody(response, MAX_MANIFEST_BYTES, subject, 'manifest');
    const headerDigest = response.headers.get('docker-content-digest');
    if (isDigest(reference)) {
      const actual = digestMismatch(bytes, reference);
      if (actual !== undefined) throw this.digestError(subject, actual, reference, 'the digest asked for is');
    }
    if (headerDigest) {
      const actual = digestMismatch(bytes, headerDigest);
      if (actual !== undefined) throw this.digestError(subject, actual, headerDigest, 'the registry\'s Docker-Content-Digest says');
    }
    const digest = headerDigest ?? (isDigest(reference) ? reference : computeDigest(bytes));
    let parsed;
    try {
      parsed = parseManifest(new TextDecoder().decode(bytes), response.headers.get('content-type'));
    } catch (error) {
      throw new RegistryError(`${subjectText(subject)}: ${(error as Error).message}. Push the image again with a current tool.`, {
        ...details(subject),
        status: response.status,
        code: 'BAD_RESPONSE',
      });
    }
    const head = { digest, mediaType: parsed.mediaType, size: bytes.length };
    if (parsed.kind === 'index') return { ...head, kind: 'index', body: parsed.body, platforms: parsed.platforms };
    const config = await this.getConfig(repository, parsed.config, subject);
    return {
      ...head,
      kind: 'image',
      body: parsed.body,
      config: parsed.config,
      layers: parsed.layers,
      ...config,
      totalSize: parsed.layers.reduce((sum, layer) => sum + layer.size, 0),
    };
  }

  /**
   * DELETE of a manifest by digest: every tag that points at it goes with it. Registries refuse
   * this unless deletes are enabled (405 UNSUPPORTED), or the account may not delete (403).
   */
  async deleteManifest(repository: string, digest: string): Promise<void> {
    const subject = this.subject('delete the manifest of', repository, digest);
    this.checkRepository(subject, digest);
    if (!isDigest(digest)) {
      throw new RegistryError(`${subjectText(subject)}: a manifest is deleted by its digest (sha256:…), not by a tag. Read the tag's digest first.`, { ...details(subject), code: 'DIGEST_INVALID' });
    }
    const response = await this.request({ method: 'DELETE', url: this.url(`/v2/${repository}/manifests/${digest}`), subject, scope: `repository:${repository}:delete` });
    await discard(response);
  }

  private async getConfig(repository: string, config: Descriptor, manifestSubject: RequestSubject): Promise<{ created?: string; os?: string; architecture?: string; variant?: string }> {
    const subject = { ...manifestSubject, action: 'read the image config of' };
    const response = await this.request({ method: 'GET', url: this.url(`/v2/${repository}/blobs/${config.digest}`), subject, scope: pullScope(repository) });
    const bytes = await this.http.readBody(response, MAX_CONFIG_BYTES, subject, 'image config');
    const actual = digestMismatch(bytes, config.digest);
    if (actual !== undefined) throw this.digestError(subject, actual, config.digest, 'the manifest says');
    try {
      return summarizeConfig(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new RegistryError(`${subjectText(subject)}: ${(error as Error).message}. Push the image again.`, { ...details(subject), code: 'BAD_RESPONSE' });
    }
  }

  private list(first: URL, scope: string, subject: RequestSubject, field: 'repositories' | 'tags'): AsyncGenerator<string, void, undefined> {
    first.searchParams.set('n', String(this.pageSize));
    return paginate({
      first,
      pageSize: this.pageSize,
      fetchPage: async (url) => {
        const response = await this.request({ method: 'GET', url, subject, scope, accept: 'application/json' });
        const bytes = await this.http.readBody(response, MAX_LIST_BYTES, subject, 'list');
        let items: unknown;
        try {
          items = (JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown> | null)?.[field];
        } catch {
          items = 'invalid';
        }
        if (items !== null && items !== undefined && !(Array.isArray(items) && items.every((item) => typeof item === 'string'))) {
          throw new RegistryError(`${subjectText(subject)}: the answer is not a JSON object with a "${field}" list. Check that ${this.baseUrl} is a registry.`, {
            ...details(subject),
            status: response.status,
            code: 'BAD_RESPONSE',
          });
        }
        return { items: items ?? [], link: response.headers.get('link') };
      },
      refuseOrigin: (next) => {
        throw new RegistryError(`${subjectText(subject)}: the next page link points to another origin (${next.origin}), which is refused. Tell the registry's operator.`, {
          ...details(subject),
          code: 'CROSS_ORIGIN',
        });
      },
    });
  }

  /** One request through http.ts, answering a 401 on the registry's origin once; returns a 2xx answer (or a 401 when anonymous). */
  private async request(spec: RequestSpec): Promise<Response> {
    let authorized = false;
    for (;;) {
      const authorization = spec.scope !== undefined ? this.auth.cachedAuthorization(spec.scope) : undefined;
      const headers: Record<string, string> = spec.accept ? { Accept: spec.accept } : {};
      const { response, onCredentialOrigin } = await this.http.send({ method: spec.method, url: spec.url, subject: spec.subject, headers, authorization, credentialOrigin: this.origin, retries: spec.retries });
      const status = response.status;
      const scope = spec.scope;
      if (status === 401 && scope === undefined) return response;
      if (status === 401 && onCredentialOrigin && !authorized && scope !== undefined) {
        await discard(response);
        authorized = true;
        if (authorization !== undefined) this.auth.forget(scope);
        await this.auth.authorize(scope, response.headers.get('www-authenticate'), spec.subject);
        continue;
      }
      if (status >= 200 && status < 300) return response;
      const text = await readErrorBody(response);
      throw statusError(spec.subject, status, text, response.headers);
    }
  }

  private digestError(subject: RequestSubject, actual: string, expected: string, source: string): RegistryError {
    return new RegistryError(
      `${subjectText(subject)}: its bytes have the digest ${actual}, but ${source} ${expected}. The content was altered on the way or the registry is damaged, so it is refused; try again, and tell the registry's operator if it persists.`,
      { ...details(subject), code: 'DIGEST_MISMATCH' },
    );
  }

  private checkRepository(subject: RequestSubject, reference?: string): void {
    const repository = subject.repository ?? '';
    if (!REPOSITORY_RE.test(repository) || repository.length > 255) {
      throw new RegistryError(`${subjectText(subject)}: "${repository.slice(0, 80)}" is not a repository name (lowercase path components such as team/app). Check the name.`, {
        ...details(subject),
        code: 'NAME_INVALID',
      });
    }
    if (reference !== undefined && !TAG_RE.test(reference) && !isDigest(reference)) {
      throw new RegistryError(`${subjectText(subject)}: "${reference.slice(0, 80)}" is neither a tag nor a digest. Use a tag such as 1.0 or a digest sha256:<64 hex>.`, {
        ...details(subject),
        code: 'TAG_INVALID',
      });
    }
  }

  private subject(action: string, repository?: string, reference?: string): RequestSubject {
    return { registry: this.host, action, repository, reference };
  }

  private url(path: string): URL {
    return new URL(path, this.baseUrl);
  }
}

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

