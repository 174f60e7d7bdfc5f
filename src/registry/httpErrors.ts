// Errors of the registry client: each names the registry, the repository or reference, the reason
// and the next step. No secret (password, token, Authorization value) ever goes into a message.

import { describeReachFailure, isWellKnownRegistry } from '../image/registryReach';
import { type ConnectionFailure, connectionFailureOf } from '../util/connectionFailure';
import { DescribedError } from '../util/errors';

export interface RegistryErrorDetails {
  /** Registry host as the user wrote it: `docker.io`, `127.0.0.1:5000`. */
  registry: string;
  /** HTTP status, when the registry answered. */
  status?: number;
  /** The registry's `errors[0].code` (MANIFEST_UNKNOWN, UNAUTHORIZED, ...), or ours: NETWORK, TLS, TIMEOUT, DIGEST_MISMATCH, TOO_LARGE, BAD_RESPONSE, CROSS_ORIGIN. */
  code?: string;
  repository?: string;
  reference?: string;
  /** Docker Hub's `ratelimit-remaining`, when the answer carried it. */
  rateLimitRemaining?: string;
  /** Why no answer came (code NETWORK or TIMEOUT), and whether the registry is known to exist. */
  connection?: RegistryConnectionFailure;
}

export interface RegistryConnectionFailure {
  failure: ConnectionFailure;
  known: boolean;
}

export class RegistryError extends DescribedError {
  readonly registry: string;
  readonly status?: number;
  readonly code?: string;
  readonly repository?: string;
  readonly reference?: string;
  readonly rateLimitRemaining?: string;
  readonly connection?: RegistryConnectionFailure;

  constructor(message: string, details: RegistryErrorDetails) {
    super(message);
    this.name = 'RegistryError';
    this.registry = details.registry;
    this.status = details.status;
    this.code = details.code;
    this.repository = details.repository;
    this.reference = details.reference;
    this.rateLimitRemaining = details.rateLimitRemaining;
    this.connection = details.connection;
  }
}

/** What a request was about, for messages: `team/app:1.0 on 127.0.0.1:5000`. */
export interface RequestSubject {
  registry: string;
  /** A verb phrase: "read the manifest of", "list the tags of", "reach". */
  action: string;
  repository?: string;
  reference?: string;
}

export function subjectText(subject: RequestSubject): string {
  if (subject.repository === undefined) return `Cannot ${subject.action} registry ${subject.registry}`;
  return `Cannot ${subject.action} ${subject.repository}${referenceSuffix(subject.reference)} on registry ${subject.registry}`;
}

function referenceSuffix(reference: string | undefined): string {
  if (reference === undefined) return '';
  return reference.includes(':') ? `@${reference}` : `:${reference}`;
}

export function loginHint(registry: string): string {
  return registry === 'docker.io' ? 'docker login' : `docker login ${registry}`;
}

/** The registry's error body `{"errors":[{"code","message"}]}`, when it is one. */
export function registryErrorBody(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] } | null;
    const first = body?.errors?.[0];
    return {
      code: typeof first?.code === 'string' ? first.code : undefined,
      message: typeof first?.message === 'string' ? shorten(first.message, 200) : undefined,
    };
  } catch {
    return {};
  }
}

/** An HTTP error answer turned into a RegistryError with the next step. */
export function statusError(subject: RequestSubject, status: number, bodyText: string, headers: Headers): RegistryError {
  const { code: bodyCode, message } = registryErrorBody(bodyText);
  const code = bodyCode ?? defaultCode(status);
  const remaining = headers.get('ratelimit-remaining') ?? undefined;
  const said = message === undefined ? '' : ` (${message})`;
  const reason = `the registry answered ${status}${code ? ` ${code}` : ''}${said}`;
  const next = nextStep(subject, status, code, headers);
  const limit = remaining === undefined ? '' : ` Docker Hub rate limit remaining: ${remaining}.`;
  return new RegistryError(`${subjectText(subject)}: ${reason}. ${next}${limit}`, {
    registry: subject.registry,
    status,
    code,
    repository: subject.repository,
    reference: subject.reference,
    rateLimitRemaining: remaining,
  });
}

function defaultCode(status: number): string | undefined {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'DENIED';
  if (status === 429) return 'TOOMANYREQUESTS';
  return undefined;
}

function nextStep(subject: RequestSubject, status: number, code: string | undefined, headers: Headers): string {
  switch (code) {
    case 'UNAUTHORIZED':
      return `Log in with "${loginHint(subject.registry)}", or check the saved user name and password.`;
    case 'DENIED':
      return 'Check that your account may read this repository, or log in as a user who may.';
    case 'MANIFEST_UNKNOWN':
      return 'Check the tag or digest: list the repository\'s tags to see which exist.';
    case 'NAME_UNKNOWN':
      return 'Check the repository name: the registry\'s catalog lists the repositories it holds.';
    case 'UNSUPPORTED':
      return status === 405 ? 'This registry does not allow deletes: its operator can enable them (storage.delete.enabled in distribution\'s config).' : 'The registry does not support this.';
    case 'BLOB_UNKNOWN':
      return 'The registry lacks a blob the manifest names; push the image again.';
    case 'TOOMANYREQUESTS': {
      const retryAfter = headers.get('retry-after');
      return `Wait${retryAfter ? ` (the registry asks for ${retryAfter}${/^\d+$/.test(retryAfter) ? ' s' : ''})` : ''} and try again, or log in for a higher limit.`;
    }
    default:
      if (status === 404) return 'Check the repository name and the tag or digest.';
      if (status === 405) return 'This registry does not allow the operation (deletes may be disabled).';
      if (status >= 500) return 'The registry is failing; try again later, or ask its operator.';
      return 'Check the registry address and try again.';
  }
}

/**
 * A fetch failure (no answer) as a RegistryError: TLS problems said plainly, timeouts as timeouts,
 * the rest in the words pull and push use too. `known`: the registry is known to exist, so a name
 * that does not resolve means no network rather than a wrong address.
 */
export function networkError(subject: RequestSubject, url: string, error: unknown, timeoutMs: number, known = isWellKnownRegistry(subject.registry)): RegistryError {
  const details = { registry: subject.registry, repository: subject.repository, reference: subject.reference };
  const origin = safeOrigin(url);
  if (isTimeout(error)) {
    return new RegistryError(`${subjectText(subject)}: ${origin} did not answer within ${formatMs(timeoutMs)}. Check the network, or try again later.`, {
      ...details,
      code: 'TIMEOUT',
      connection: { failure: { kind: 'timeout', detail: 'timeout' }, known },
    });
  }
  const cause = rootCause(error);
  const tls = tlsReason(cause);
  if (tls !== undefined) {
    return new RegistryError(`${subjectText(subject)}: the TLS connection to ${origin} failed: ${tls}. ${tlsNextStep(cause)}`, { ...details, code: 'TLS' });
  }
  const what = cause.code ? `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` ${cause.message}` : ''}` : cause.message;
  const failure = connectionFailureOf(error);
  if (failure === undefined) {
    return new RegistryError(`${subjectText(subject)}: could not connect to ${origin} (${shorten(what, 200)}). Check that the registry is running and reachable (network, proxy, firewall).`, { ...details, code: 'NETWORK' });
  }
  const words = describeReachFailure(subject.registry, failure, { known });
  return new RegistryError(`${subjectText(subject)}: ${words.reason} (${origin}: ${shorten(what, 200)}). ${words.next}`, { ...details, code: 'NETWORK', connection: { failure, known } });
}

/** A failure that will repeat the same way: not worth retrying. */
export function isPermanentFailure(error: unknown): boolean {
  return isTlsFailure(error) || connectionFailureOf(error)?.kind === 'blocked-port';
}

export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || rootCause(error).code === 'UND_ERR_CONNECT_TIMEOUT');
}

/** A TLS failure is not worth retrying: it will fail the same way. */
export function isTlsFailure(error: unknown): boolean {
  return tlsReason(rootCause(error)) !== undefined;
}

interface Cause {
  code?: string;
  message: string;
}

function rootCause(error: unknown): Cause {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const next = current instanceof Error ? (current as Error & { cause?: unknown }).cause : undefined;
    if (!(next instanceof Error)) break;
    current = next;
  }
  const code = current instanceof Error ? (current as Error & { code?: unknown }).code : undefined;
  return { code: typeof code === 'string' ? code : undefined, message: current instanceof Error ? current.message : String(current) };
}

function tlsReason(cause: Cause): string | undefined {
  const code = cause.code ?? '';
  const known: Record<string, string> = {
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
    SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed (private) CA',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by a CA this machine does not trust',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by a CA this machine does not trust',
    CERT_HAS_EXPIRED: 'its certificate has expired',
    CERT_NOT_YET_VALID: 'its certificate is not valid yet (check the clock)',
    ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for a different host name',
    ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not speak TLS (it may serve plain HTTP)',
  };
  const text = known[code];
  if (text !== undefined) return text;
  if (/CERT|TLS|SSL/.test(code) || /certificate|ssl|tls/i.test(cause.message)) return shorten(cause.message, 200);
  if (code === 'EPROTO') return 'the server did not speak TLS (it may serve plain HTTP)';
  return undefined;
}

function tlsNextStep(cause: Cause): string {
  if (cause.code === 'EPROTO' || cause.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(cause.message)) {
    return 'If the registry serves plain HTTP, mark it insecure.';
  }
  return 'Renew or fix the registry\'s certificate, or trust its CA (NODE_EXTRA_CA_CERTS).';
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the registry';
  }
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

export function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 3)}...` : oneLine;
}

/**
 * Retry-After as milliseconds from `now`: delta seconds or an HTTP date. Undefined when absent or
 * unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
