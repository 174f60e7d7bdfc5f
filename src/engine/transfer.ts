// Pull and push through the Engine: the request, the progress stream turned into snapshots,
// cancellation, and failures (including the error lines inside a 200 stream) as one
// sentence that names the image, the registry and the cause.

import type Dockerode from 'dockerode';
import { type ImageReference, formatFamiliarReference, familiarRepositoryName } from '../image/reference';
import { describeReachFailure, isWellKnownRegistry, type KnownRegistries } from '../image/registryReach';
import { type ConnectionFailureKind, connectionFailureInText } from '../util/connectionFailure';
import { DescribedError, errorText } from '../util/errors';
import { NdjsonLineSplitter } from '../util/ndjson';
import { engineMessage } from './errors';
import { parseProgressLine, Throttle, type TransferOutcome, TransferProgressTracker, type TransferSnapshot } from './transferProgress';

export type TransferKind = 'pull' | 'push';

export type TransferProblem = 'auth' | 'denied' | 'not-found' | 'unknown-host' | 'offline' | 'refused' | 'rate-limited' | 'tls' | 'insecure' | 'timeout' | 'cancelled' | 'no-such-image' | 'other';

export class TransferError extends DescribedError {
  constructor(
    readonly problem: TransferProblem,
    message: string,
    /** The engine's own words, for the log. */
    readonly engineText: string,
  ) {
    super(message);
    this.name = 'TransferError';
  }

  /** Whether logging in could fix it: the view offers "Log In". */
  get needsLogin(): boolean {
    return this.problem === 'auth' || this.problem === 'denied';
  }
}

export interface TransferOptions {
  /** The X-Registry-Auth value (base64url JSON); anonymous when absent. */
  registryAuth?: string;
  /** os/arch[/variant], for pulls. */
  platform?: string;
  signal?: AbortSignal;
  onProgress?: (snapshot: TransferSnapshot) => void;
  /** The shortest gap between two onProgress calls. */
  progressIntervalMs?: number;
  /** Registries known to exist (an offline failure is told from a wrong address by it); a transfer that went through is noted. */
  knownRegistries?: Pick<KnownRegistries, 'isKnown' | 'noteAnswered'>;
}

export interface TransferResult extends TransferOutcome {
  reference: string;
  snapshot: TransferSnapshot;
}

/** The engine wants the header even for anonymous pushes: "{}" then. */
const ANONYMOUS_AUTH = Buffer.from('{}').toString('base64');

export async function pullImage(docker: Dockerode, ref: ImageReference, options: TransferOptions = {}): Promise<TransferResult> {
  const query: Record<string, string> = { fromImage: `${ref.domain}/${ref.path}`, tag: ref.digest ?? ref.tag ?? 'latest' };
  if (options.platform) query.platform = options.platform;
  return transfer('pull', ref, options, () =>
    docker.createImage({ base64: options.registryAuth ?? ANONYMOUS_AUTH } as unknown as Dockerode.AuthConfig, { ...query, abortSignal: options.signal } as never) as unknown as Promise<NodeJS.ReadableStream>,
  );
}

export async function pushImage(docker: Dockerode, ref: ImageReference, options: TransferOptions = {}): Promise<TransferResult> {
  const name = `${familiarRepositoryName(ref)}`;
  return transfer('push', ref, options, () =>
    docker.getImage(name).push({ tag: ref.tag ?? 'latest', authconfig: { base64: options.registryAuth ?? ANONYMOUS_AUTH }, abortSignal: options.signal } as never) as unknown as Promise<NodeJS.ReadableStream>,
  );
}

async function transfer(kind: TransferKind, ref: ImageReference, options: TransferOptions, open: () => Promise<NodeJS.ReadableStream>): Promise<TransferResult> {
  const reference = formatFamiliarReference(ref);
  const tracker = new TransferProgressTracker();
  const throttle = new Throttle<TransferSnapshot>((snapshot) => options.onProgress?.(snapshot), options.progressIntervalMs ?? 100);
  const known = { known: options.knownRegistries?.isKnown(ref.domain) ?? isWellKnownRegistry(ref.domain) };
  try {
    if (options.signal?.aborted) throw cancelled(kind, ref);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await open();
    } catch (error) {
      if (options.signal?.aborted) throw cancelled(kind, ref);
      throw describeTransferFailure(kind, ref, engineMessage(error), (error as { statusCode?: number }).statusCode, known);
    }
    await consume(stream, (line) => {
      tracker.apply(line);
      throttle.push(tracker.snapshot());
    }, options.signal);
    throttle.flush();
    if (options.signal?.aborted) throw cancelled(kind, ref);
    if (tracker.outcome.error !== undefined) throw describeTransferFailure(kind, ref, tracker.outcome.error, undefined, known);
    options.knownRegistries?.noteAnswered(ref.domain);
    return { ...tracker.outcome, reference, snapshot: tracker.snapshot() };
  } catch (error) {
    if (error instanceof TransferError) throw error;
    if (options.signal?.aborted) throw cancelled(kind, ref);
    throw describeTransferFailure(kind, ref, errorText(error), undefined, known);
  } finally {
    throttle.dispose();
  }
}

function consume(stream: NodeJS.ReadableStream, onLine: (line: NonNullable<ReturnType<typeof parseProgressLine>>) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = new NdjsonLineSplitter((text) => {
      const line = parseProgressLine(text);
      if (line) onLine(line);
    });
    const onAbort = (): void => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer | string) => lines.push(chunk));
    stream.on('end', () => {
      signal?.removeEventListener('abort', onAbort);
      lines.end();
      resolve();
    });
    stream.on('error', (error: Error) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) resolve();
      else reject(error);
    });
  });
}

function cancelled(kind: TransferKind, ref: ImageReference): TransferError {
  return new TransferError('cancelled', `${verb(kind)} of ${formatFamiliarReference(ref)} was cancelled.`, 'cancelled');
}

function verb(kind: TransferKind): string {
  return kind === 'pull' ? 'Pull' : 'Push';
}

/**
 * One sentence: what, where, why, and what to do. The engine's text goes in the log. `known`: the
 * registry is known to exist, so a name that does not resolve means no network, not a wrong address.
 */
export function describeTransferFailure(kind: TransferKind, ref: ImageReference, engineText: string, statusCode?: number, { known = isWellKnownRegistry(ref.domain) } = {}): TransferError {
  const image = formatFamiliarReference(ref);
  const registry = ref.domain;
  const what = `Cannot ${kind} ${image} ${kind === 'pull' ? 'from' : 'to'} ${registry}`;
  const text = engineText.trim();
  const rule = (problem: TransferProblem, reason: string): TransferError => new TransferError(problem, `${what}: ${reason}`, text);
  if (kind === 'push' && (statusCode === 404 || /^(An image does not exist locally|No such image|tag does not exist)/i.test(text))) {
    return new TransferError('no-such-image', `Cannot push ${image}: there is no local image with that name. Tag an image as ${image} first.`, text);
  }
  if (/toomanyrequests|too many requests|rate limit|\b429\b/i.test(text)) {
    const retry = /retry[- ]after:?\s*([\w\s:,.-]+?)(?:[.;)]|$)/i.exec(text)?.[1];
    return rule('rate-limited', `the registry is limiting requests (429)${retry ? `; retry after ${retry.trim()}` : ''}. Wait and try again, or log in to get a higher limit.`);
  }
  if (/server gave HTTP response to HTTPS client/i.test(text)) {
    return rule('insecure', `the registry speaks plain HTTP and the engine expects HTTPS. Add "${registry}" to "insecure-registries" in the engine's daemon.json, or serve the registry over TLS.`);
  }
  if (/x509|certificate|tls: /i.test(text)) {
    return rule('tls', `TLS failed (${shorten(text)}). Give the engine the registry's CA in /etc/docker/certs.d/${registry}/ca.crt.`);
  }
  const connection = connectionFailureInText(text);
  if (connection !== undefined) {
    const words = describeReachFailure(registry, connection, { known, again: verb(kind) });
    return rule(transferProblem(connection.kind, known), `${words.reason}. ${words.next}`);
  }
  if (/unauthorized|authentication required|no basic auth credentials|incorrect username or password|\b401\b/i.test(text)) {
    return rule('auth', `the registry wants credentials it accepts (401). Log in to ${registry}.`);
  }
  if (/manifest unknown|manifest for .* not found|not found: manifest|name unknown|repository does not exist|\b404\b/i.test(text) && !/denied/i.test(text)) {
    return rule('not-found', `${registry} has no ${ref.digest ? 'image with that digest' : ref.tag ? `tag "${ref.tag}"` : 'such image'} in ${ref.path} (404). Check the name and tag.`);
  }
  if (/denied|forbidden|\b403\b/i.test(text)) {
    return rule('denied', `access denied: the repository does not exist or your account may not ${kind} it. Log in to ${registry}, or check the repository name.`);
  }
  return rule('other', shorten(text));
}

function transferProblem(kind: ConnectionFailureKind, known: boolean): TransferProblem {
  if (kind === 'timeout') return 'timeout';
  if (kind === 'no-dns' || kind === 'unreachable' || (kind === 'unknown-host' && known)) return 'offline';
  return kind === 'unknown-host' ? 'unknown-host' : 'refused';
}

function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
