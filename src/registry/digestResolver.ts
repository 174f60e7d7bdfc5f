// What a tag points at now, for pinning: one request per distinct reference (HEAD, which
// Docker Hub does not count as a pull), at most a few in flight per registry, answers cached
// for a few minutes; the engine's GET /distribution/{name}/json when the registry cannot be
// asked directly. No `vscode` import.
//
// Choices, and why:
// - Failures are kept for errorTtlMs (default 10 s), not the full ttl: a Dockerfile's lenses ask
//   again on every edit, and a registry that is down should not be asked 30 times a second, but
//   a fixed network or a new login must show soon. forget() drops them at once (the Retry lens).
// - Fallback to the engine on network, TLS and timeout failures, 401/403, and also 429: the
//   engine may hold credentials with a higher rate limit, or a mirror. Never on 404 (the answer
//   is "no such tag") nor on 5xx (the registry is there and failing; the engine would ask it too).
// - A caller that aborts stops waiting at once; the request goes on for the other callers. When
//   every caller of a request has aborted, the request is cancelled if it has not started (it
//   leaves the per-host queue) and the engine call is aborted; nothing is cached from it.

import { type EngineDistribution } from '../image/distribution';
import { formatFamiliarReference, formatReference, type ImageReference, repositoryName } from '../image/reference';
import { describeReachFailure } from '../image/registryReach';
import { DescribedError, errorText } from '../util/errors';
import { type ManifestHead, type RegistryClient, RegistryError } from './client';
import { isIndexMediaType, type PlatformEntry } from './manifest';

export interface TagDigest {
  /** The digest the tag points at: an index (manifest list) or a single image manifest. */
  digest: string;
  mediaType: string;
  kind: 'index' | 'image';
  /** Who answered: our registry client, or the engine (its own credentials and mirrors). */
  source: 'registry' | 'engine';
}

export interface DigestResolverOptions {
  /** One client per registry host (with the user's credentials). */
  clientFor(host: string): RegistryClient;
  /** The engine fallback: a full reference (`docker.io/library/nginx:1.27`) -> its distribution info. */
  engineDistribution?: (reference: string, signal?: AbortSignal) => Promise<EngineDistribution>;
  /** How long an answer about a tag is kept (default 5 minutes). */
  ttlMs?: number;
  /** How long a failure is kept before the next ask goes out again (default 10 s; 0: not kept). */
  errorTtlMs?: number;
  /** Requests in flight per registry host (default 4). */
  perHostConcurrency?: number;
  /** Retries of each registry request (the client's default when unset). */
  retries?: number;
  now?: () => number;
}

/** Why a digest could not be found; the message is the whole sentence for a lens or hover. */
export class DigestResolveError extends DescribedError {
  constructor(
    message: string,
    /** The registry answered that the tag (or repository) does not exist. */
    readonly notFound: boolean,
    /** What the registry client threw, when it was asked. */
    readonly registryError?: unknown,
    /** What the engine fallback threw, when it was asked. */
    readonly engineError?: unknown,
  ) {
    super(message, { details: bothAnswers(registryError, engineError) });
    this.name = 'DigestResolveError';
  }
}

export const DEFAULT_TTL_MS = 5 * 60_000;
export const DEFAULT_ERROR_TTL_MS = 10_000;
export const DEFAULT_PER_HOST_CONCURRENCY = 4;
/** Past this many entries, expired ones are swept on the next insert. */
const SWEEP_THRESHOLD = 512;

/** Failures where the registry could not be asked (as opposed to answering "no"): the engine may do better. */
export function canFallBackToEngine(error: unknown): boolean {
  if (!(error instanceof RegistryError)) return false;
  if (error.code === 'NETWORK' || error.code === 'TLS' || error.code === 'TIMEOUT') return true;
  return error.status === 401 || error.status === 403 || error.status === 429;
}

function isNotFound(error: unknown): boolean {
  return error instanceof RegistryError && (error.status === 404 || error.code === 'MANIFEST_UNKNOWN' || error.code === 'NAME_UNKNOWN');
}

/** The engine's 404 (inspectDistribution's EngineError 'not-found'), or its words for one from another engine. */
function isEngineNotFound(error: unknown): boolean {
  const { kind, statusCode } = (error ?? {}) as { kind?: unknown; statusCode?: unknown };
  return kind === 'not-found' || statusCode === 404 || /manifest unknown/i.test(errorText(error));
}

function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('The operation was aborted.', 'AbortError');
}

interface Entry<T> {
  promise: Promise<T>;
  /** Infinity while in flight. */
  expiresAt: number;
  /** `docker.io/library/nginx`: what forget(ref) matches. */
  repository: string;
  settled: boolean;
  /** Callers still waiting that may yet abort (callers without a signal count for ever). */
  interest: number;
  controller: AbortController;
}

/** FIFO slots per registry host. A task whose callers all left before its turn is skipped. */
class HostQueue {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      if (signal.aborted) throw abortError(signal);
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export class DigestResolver {
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly queues = new Map<string, HostQueue>();
  /** Index digests whose answer came from the engine: no per-platform digests for them. Value: why the registry was not asked. */
  private readonly engineAnswered = new Map<string, { repository: string; reason: string }>();
  private readonly ttlMs: number;
  private readonly errorTtlMs: number;
  private readonly perHostConcurrency: number;
  private readonly now: () => number;

  constructor(private readonly options: DigestResolverOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.errorTtlMs = options.errorTtlMs ?? DEFAULT_ERROR_TTL_MS;
    this.perHostConcurrency = Math.max(1, options.perHostConcurrency ?? DEFAULT_PER_HOST_CONCURRENCY);
    this.now = options.now ?? Date.now;
  }

  /** What `ref`'s tag points at now. `ref` has a tag (a digest, if any, is ignored); no tag means `latest`, as for docker pull. */
  resolveTag(ref: ImageReference, signal?: AbortSignal): Promise<TagDigest> {
    const tag = ref.tag ?? 'latest';
    const tagged = { domain: ref.domain, path: ref.path, tag };
    return this.ask(`tag ${formatReference(tagged)}`, tagged, this.ttlMs, (flight) => this.lookUpTag(tagged, flight), signal);
  }

  /** The platforms of an index, each with its own manifest digest (a GET, cached by digest). Empty for a single image manifest. */
  platforms(ref: ImageReference, indexDigest: string, signal?: AbortSignal): Promise<PlatformEntry[]> {
    const repository = repositoryName(ref);
    const target: ImageReference = { domain: ref.domain, path: ref.path, digest: indexDigest };
    const key = `platforms ${formatReference(target)}`;
    const fromEngine = this.engineAnswered.get(`${repository}@${indexDigest}`);
    if (fromEngine !== undefined && !this.entries.has(key)) {
      const name = formatFamiliarReference({ domain: ref.domain, path: ref.path, tag: ref.tag });
      return Promise.reject(
        new DigestResolveError(
          `The platforms of ${name} (${indexDigest}) are not known: its digest came from the engine, which gives no per-platform digests, because the registry could not be asked directly (${fromEngine.reason}). Pin the index digest, or make the registry reachable to Layerlens (log in, check the network) and retry.`,
          false,
        ),
      );
    }
    return this.ask(key, target, Number.POSITIVE_INFINITY, async () => {
      const manifest = await this.options.clientFor(ref.domain).getManifest(ref.path, indexDigest, { retries: this.options.retries });
      return manifest.kind === 'index' ? manifest.platforms : [];
    }, signal);
  }

  /** Whether the registry still has a manifest with this digest (HEAD by digest; 404 -> false). */
  digestExists(ref: ImageReference, digest: string, signal?: AbortSignal): Promise<boolean> {
    const target: ImageReference = { domain: ref.domain, path: ref.path, digest };
    return this.ask(`exists ${formatReference(target)}`, target, this.ttlMs, (flight) => this.lookUpDigest(target, digest, flight), signal);
  }

  /** Drops cached answers (all, or those for one repository), so the next ask goes to the registry. In-flight asks are left to finish. */
  forget(ref?: ImageReference): void {
    const repository = ref && repositoryName(ref);
    for (const [key, entry] of this.entries) {
      if (entry.settled && (repository === undefined || entry.repository === repository)) this.entries.delete(key);
    }
    for (const [key, value] of this.engineAnswered) {
      if (repository === undefined || value.repository === repository) this.engineAnswered.delete(key);
    }
  }

  private async lookUpTag(ref: ImageReference & { tag: string }, flight: AbortSignal): Promise<TagDigest> {
    const name = formatFamiliarReference(ref);
    let head: ManifestHead;
    try {
      head = await this.options.clientFor(ref.domain).headManifest(ref.path, ref.tag, { retries: this.options.retries });
    } catch (registryError) {
      if (isNotFound(registryError)) {
        throw new DigestResolveError(
          `${name} is not in ${ref.domain}: the tag does not exist. Check the tag (the Registries view lists a repository's tags) and the repository name.`,
          true,
          registryError,
        );
      }
      const engine = this.options.engineDistribution;
      if (!canFallBackToEngine(registryError) || engine === undefined) throw this.registryFailure(name, registryError);
      let answer: EngineDistribution;
      try {
        answer = await engine(formatReference(ref), flight);
      } catch (engineError) {
        if (flight.aborted) throw engineError;
        if (isEngineNotFound(engineError)) {
          throw new DigestResolveError(
            `${name} is not in ${ref.domain}: the tag does not exist, says the engine (the registry could not be asked directly: ${shortReason(registryError)}). Check the tag and the repository name.`,
            true,
            registryError,
            engineError,
          );
        }
        throw new DigestResolveError(
          neitherAnswered(`resolve ${name}`, ref.domain, registryError),
          false,
          registryError,
          engineError,
        );
      }
      const kind = isIndexMediaType(answer.mediaType) || answer.platforms.length > 1 ? 'index' : 'image';
      if (kind === 'index') this.engineAnswered.set(`${repositoryName(ref)}@${answer.digest}`, { repository: repositoryName(ref), reason: shortReason(registryError) });
      return { digest: answer.digest, mediaType: answer.mediaType, kind, source: 'engine' };
    }
    return { digest: head.digest, mediaType: head.mediaType, kind: isIndexMediaType(head.mediaType) ? 'index' : 'image', source: 'registry' };
  }

  private async lookUpDigest(ref: ImageReference, digest: string, flight: AbortSignal): Promise<boolean> {
    try {
      await this.options.clientFor(ref.domain).headManifest(ref.path, digest, { retries: this.options.retries });
      return true;
    } catch (registryError) {
      if (isNotFound(registryError)) return false;
      const engine = this.options.engineDistribution;
      const name = formatFamiliarReference(ref);
      if (!canFallBackToEngine(registryError) || engine === undefined) throw this.registryFailure(name, registryError);
      try {
        await engine(formatReference(ref), flight);
        return true;
      } catch (engineError) {
        if (flight.aborted) throw engineError;
        if (isEngineNotFound(engineError)) return false;
        throw new DigestResolveError(
          neitherAnswered(`tell whether ${name} still exists`, ref.domain, registryError),
          false,
          registryError,
          engineError,
        );
      }
    }
  }

  private registryFailure(name: string, error: unknown): unknown {
    // RegistryError messages already name the reference, the registry, the reason and the next step.
    if (error instanceof RegistryError || error instanceof DescribedError) return error;
    return new DigestResolveError(`Cannot resolve ${name}: ${errorText(error)}`, false, error);
  }

  /** One request per key: joins an entry in flight or still fresh, else starts one in the host's queue. */
  private ask<T>(key: string, ref: ImageReference, ttlMs: number, work: (flight: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const existing = this.entries.get(key) as Entry<T> | undefined;
    if (existing && (!existing.settled || existing.expiresAt > this.now())) return this.follow(key, existing, signal);
    this.sweep();
    const controller = new AbortController();
    const entry: Entry<T> = { promise: Promise.resolve() as Promise<T>, expiresAt: Number.POSITIVE_INFINITY, repository: repositoryName(ref), settled: false, interest: 0, controller };
    entry.promise = this.queueFor(ref.domain).run(() => work(controller.signal), controller.signal);
    entry.promise.then(
      () => this.settle(key, entry, ttlMs),
      () => this.settle(key, entry, controller.signal.aborted ? 0 : this.errorTtlMs),
    );
    this.entries.set(key, entry);
    return this.follow(key, entry, signal);
  }

  private settle(key: string, entry: Entry<unknown>, keepMs: number): void {
    entry.settled = true;
    if (this.entries.get(key) !== entry) return;
    if (keepMs <= 0) this.entries.delete(key);
    else entry.expiresAt = this.now() + keepMs;
  }

  /** The entry's answer for one caller; the caller's abort ends only its own wait. */
  private follow<T>(key: string, entry: Entry<T>, signal?: AbortSignal): Promise<T> {
    if (signal === undefined || entry.settled) {
      if (!entry.settled) entry.interest = Number.POSITIVE_INFINITY;
      return entry.promise;
    }
    entry.interest++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        reject(abortError(signal));
        if (--entry.interest > 0 || entry.settled) return;
        // Nobody waits any more: cancel it, and let the next ask start afresh.
        entry.controller.abort(abortError(signal));
        if (this.entries.get(key) === entry) this.entries.delete(key);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private queueFor(host: string): HostQueue {
    let queue = this.queues.get(host);
    if (!queue) {
      queue = new HostQueue(this.perHostConcurrency);
      this.queues.set(host, queue);
    }
    return queue;
  }

  private sweep(): void {
    if (this.entries.size < SWEEP_THRESHOLD) return;
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.settled && entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}

/** A RegistryError's reason without its "Cannot ... on registry X: " lead and next step, for a parenthesis. */
function shortReason(error: unknown): string {
  return reasonAndNextStep(error).reason;
}

/** "Cannot X on registry R: reason. Next step." -> its reason and its next step. */
function reasonAndNextStep(error: unknown): { reason: string; next: string } {
  const text = errorText(error);
  const colon = text.indexOf(': ');
  const rest = colon >= 0 ? text.slice(colon + 2) : text;
  const stop = rest.indexOf('. ');
  return stop >= 0 ? { reason: rest.slice(0, stop), next: rest.slice(stop + 2) } : { reason: rest.replace(/\.$/, ''), next: '' };
}

/**
 * The lead when neither the registry nor the engine answered: what failed and the next step, from
 * the registry's failure (the engine was only the fallback). Both full texts go in the details.
 */
function neitherAnswered(what: string, host: string, registryError: unknown): string {
  const connection = registryError instanceof RegistryError ? registryError.connection : undefined;
  if (connection !== undefined) {
    const words = describeReachFailure(host, connection.failure, { known: connection.known, again: 'Pin' });
    return `Cannot reach ${host}: ${words.reason}. ${words.next}`;
  }
  const { reason, next } = reasonAndNextStep(registryError);
  return `Cannot ${what}: ${reason}; the engine could not either.${next ? ` ${next}` : ''}`;
}

function bothAnswers(registryError: unknown, engineError: unknown): string | undefined {
  if (registryError === undefined || engineError === undefined) return undefined;
  return `The registry: ${errorText(registryError)}\nThe engine: ${errorText(engineError)}`;
}
