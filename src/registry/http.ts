// The one HTTP path to registries, token services and Docker Hub's API: a timeout per request,
// bounded retries with backoff on network errors, 5xx and 429 (Retry-After honoured up to a
// limit), redirects followed by hand so that a credential never goes to another origin, and
// size caps on every body read. Failures become RegistryErrors that name the thing asked for.
// Pure: fetch and the clock's sleep come in as inputs.

import { type KnownRegistries, isWellKnownRegistry } from '../image/registryReach';
import { isPermanentFailure, networkError, parseRetryAfter, RegistryError, type RequestSubject, subjectText } from './httpErrors';

export interface HttpOptions {
  fetch?: typeof fetch;
  /** Per request, body included (default 30 s). */
  timeoutMs?: number;
  /** Retries after a 5xx, a network error or a 429 (default 3). */
  retries?: number;
  userAgent?: string;
  /** First retry delay, doubled each time (default 500 ms). */
  backoffMs?: number;
  /** Longest Retry-After honoured; a longer one is answered at once (default 60 s). */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Registries known to exist; each answer is noted there. Without it, only well-known ones count. */
  knownRegistries?: Pick<KnownRegistries, 'isKnown' | 'noteAnswered'>;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'DELETE' | 'POST';
  url: URL;
  subject: RequestSubject;
  headers?: Record<string, string>;
  /** Sent only while the request stays on `credentialOrigin` (default: the first URL's origin). */
  authorization?: string;
  credentialOrigin?: string;
  body?: string;
  /** The body holds a secret (an OAuth refresh token): a redirect off the origin is refused, not followed. */
  secretBody?: boolean;
  /** This request's retries, when not the default (a lens that falls back to the engine waits less). */
  retries?: number;
}

export interface HttpAnswer {
  /** Not a redirect, and not a status that was retried while retries remained. */
  response: Response;
  /** Where it came from, after redirects. */
  url: URL;
  /** The request ended on the credential's origin (so a 401 there is about the credential). */
  onCredentialOrigin: boolean;
}

const MAX_REDIRECTS = 5;
const MAX_BACKOFF_MS = 10_000;
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export class RegistryHttp {
  readonly timeoutMs: number;
  readonly userAgent: string;
  private readonly fetchImpl: typeof fetch;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly knownRegistries?: Pick<KnownRegistries, 'isKnown' | 'noteAnswered'>;

  constructor(options: HttpOptions = {}) {
    this.knownRegistries = options.knownRegistries;
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = Math.max(0, options.retries ?? 3);
    this.userAgent = options.userAgent ?? 'layerlens';
    this.backoffMs = options.backoffMs ?? 500;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async send(request: HttpRequest): Promise<HttpAnswer> {
    const credentialOrigin = request.credentialOrigin ?? request.url.origin;
    let { url, method, body } = request;
    const retries = Math.max(0, request.retries ?? this.retries);
    let attempt = 0;
    let redirects = 0;
    for (;;) {
      const onCredentialOrigin = url.origin === credentialOrigin;
      const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...request.headers };
      if (onCredentialOrigin && request.authorization !== undefined) headers.Authorization = request.authorization;
      let response: Response;
      try {
        response = await this.fetchImpl(url.href, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        if (isPermanentFailure(error) || attempt >= retries) throw networkError(request.subject, url.href, error, this.timeoutMs, this.isKnown(request.subject.registry));
        await this.sleep(this.backoff(attempt++));
        continue;
      }
      this.knownRegistries?.noteAnswered(request.subject.registry);
      const status = response.status;
      const location = response.headers.get('location');
      if (status >= 300 && status < 400 && status !== 304 && location) {
        await discard(response);
        if (++redirects > MAX_REDIRECTS) {
          throw new RegistryError(`${subjectText(request.subject)}: more than ${MAX_REDIRECTS} redirects. Check the registry address, or tell its operator.`, { ...subjectDetails(request.subject), status, code: 'BAD_RESPONSE' });
        }
        const next = new URL(location, url);
        if (request.secretBody && body !== undefined && next.origin !== credentialOrigin) {
          throw new RegistryError(`${subjectText(request.subject)}: it redirected a request that carries a credential to another origin (${next.origin}), which is refused. Tell the registry's operator.`, {
            ...subjectDetails(request.subject),
            status,
            code: 'CROSS_ORIGIN',
          });
        }
        url = next;
        // As fetch does: 303, and 301/302 after a POST, continue as a GET without the body.
        if (status === 303 || (method === 'POST' && (status === 301 || status === 302))) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      if (status === 429 && attempt < retries) {
        const wait = parseRetryAfter(response.headers.get('retry-after')) ?? this.backoff(attempt);
        if (wait <= this.maxRetryAfterMs) {
          await discard(response);
          attempt++;
          await this.sleep(wait);
          continue;
        }
      }
      if (status >= 500 && attempt < retries) {
        await discard(response);
        await this.sleep(this.backoff(attempt++));
        continue;
      }
      return { response, url, onCredentialOrigin };
    }
  }

  private isKnown(registry: string): boolean {
    return this.knownRegistries?.isKnown(registry) ?? isWellKnownRegistry(registry);
  }

  private backoff(attempt: number): number {
    return Math.min(MAX_BACKOFF_MS, this.backoffMs * 2 ** attempt);
  }

  /** The body, refused when Content-Length or the bytes read pass `max`. */
  async readBody(response: Response, max: number, subject: RequestSubject, what: string, next = 'check that the reference names an image'): Promise<Uint8Array> {
    const tooLarge = (size: string): RegistryError =>
      new RegistryError(`${subjectText(subject)}: the ${what} is ${size}, more than the ${formatBytes(max)} allowed. It is not read; ${next}.`, {
        ...subjectDetails(subject),
        status: response.status,
        code: 'TOO_LARGE',
      });
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > max) {
      await discard(response);
      throw tooLarge(formatBytes(declared));
    }
    if (!response.body) return new Uint8Array();
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > max) {
          await reader.cancel().catch(() => undefined);
          throw tooLarge(`over ${formatBytes(max)}`);
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      throw networkError(subject, response.url || subject.registry, error, this.timeoutMs, this.isKnown(subject.registry));
    }
    return concat(chunks, total);
  }

  async readText(response: Response, max: number, subject: RequestSubject, what: string, next?: string): Promise<string> {
    return new TextDecoder().decode(await this.readBody(response, max, subject, what, next));
  }
}

export function subjectDetails(subject: RequestSubject): { registry: string; repository?: string; reference?: string } {
  return { registry: subject.registry, repository: subject.repository, reference: subject.reference };
}

export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** At most 64 KiB of an error answer: enough for the registry's own words. */
export async function readErrorBody(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < MAX_ERROR_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch {
    // the status says enough
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(concat(chunks, total));
}

/** Caps read in binary units, as they are set (4 MiB, not 4.2 MB). */
function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
