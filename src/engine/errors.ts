// Turns what dockerode throws into one sentence a person can act on: the endpoint, the
// reason, the next step. Raw errors stay in the log.

import { DescribedError } from '../util/errors';
import { describeSource, type EngineEndpoint } from './connection';

export type EngineProblemKind =
  | 'no-socket'
  | 'refused'
  | 'permission'
  | 'unknown-host'
  | 'timeout'
  | 'tls'
  | 'too-old'
  | 'bad-endpoint'
  | 'not-found'
  | 'conflict'
  | 'engine';

export class EngineError extends DescribedError {
  constructor(
    readonly kind: EngineProblemKind,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** The problems that mean "the engine is not there": the view shows them instead of images. */
export function isConnectionProblem(kind: EngineProblemKind): boolean {
  return ['no-socket', 'refused', 'permission', 'unknown-host', 'timeout', 'tls', 'too-old', 'bad-endpoint'].includes(kind);
}

interface DockerodeError {
  code?: string;
  statusCode?: number;
  reason?: string;
  json?: { message?: string } | null;
  message?: string;
}

const SETTING_HINT = 'or set layerlens.dockerHost';

/** OpenSSL's and Node's TLS failures in words, each with the file to fix. */
function describeTlsFailure(code: string, message: string): string {
  const text = `${code} ${message}`;
  if (/certificate required|handshake failure|bad certificate/i.test(text)) {
    return 'the engine wants a client certificate it accepts. Put cert.pem and key.pem from the engine\'s CA in DOCKER_CERT_PATH.';
  }
  if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|self[- ]signed|unknown ca/i.test(text)) {
    return 'the engine\'s certificate is not signed by ca.pem in DOCKER_CERT_PATH. Put the engine\'s CA there.';
  }
  if (/CERT_HAS_EXPIRED|expired/i.test(text)) return 'a certificate has expired. Renew the engine\'s or the client\'s certificate.';
  if (/ALTNAME|does not match|Hostname/i.test(text)) return 'the engine\'s certificate is not for this host name. Use the name the certificate names.';
  if (/wrong version number|packet length too long|http request/i.test(text)) return 'the engine does not speak TLS there. Unset DOCKER_TLS_VERIFY and DOCKER_TLS, or use the engine\'s TLS port.';
  // Keep OpenSSL's reason ("ssl3_read_bytes:tlsv13 alert ...") without its addresses and file names.
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1] ?? message;
  return `${reason.trim()}. Check that DOCKER_CERT_PATH holds the engine's ca.pem and your cert.pem and key.pem.`;
}

/** The engine's own message for an HTTP error, without dockerode's "(HTTP code 409) conflict -" prefix. */
export function engineMessage(error: unknown): string {
  const e = (error ?? {}) as DockerodeError;
  const fromJson = e.json && typeof e.json === 'object' ? e.json.message : undefined;
  const text = fromJson ?? e.message ?? String(error);
  return text.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
}

export function toEngineError(error: unknown, endpoint: EngineEndpoint): EngineError {
  if (error instanceof EngineError) return error;
  const e = (error ?? {}) as DockerodeError;
  const where = endpoint.url;
  const code = e.code ?? '';
  if (typeof e.statusCode === 'number') {
    const message = engineMessage(error);
    const kind: EngineProblemKind = e.statusCode === 404 ? 'not-found' : e.statusCode === 409 ? 'conflict' : 'engine';
    return new EngineError(kind, message, e.statusCode);
  }
  switch (code) {
    case 'ENOENT':
      return new EngineError('no-socket', `Cannot reach Docker at ${where}: the socket does not exist. Start Docker (or Podman's API service), ${SETTING_HINT} to the engine's socket.`);
    case 'ECONNREFUSED':
      return new EngineError('refused', `Cannot reach Docker at ${where}: connection refused. Start the engine, ${SETTING_HINT} to one that is running.`);
    case 'EACCES':
    case 'EPERM':
      return new EngineError('permission', `Cannot reach Docker at ${where}: permission denied. Add your user to the docker group (then log in again), ${SETTING_HINT} to a socket you may use.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new EngineError('unknown-host', `Cannot reach Docker at ${where}: the host name does not resolve. Check the host name in ${describeSource(endpoint.source)}, ${SETTING_HINT} to a reachable engine.`);
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new EngineError('timeout', `Cannot reach Docker at ${where}: no answer (${code}). Check the network and that the engine listens there, ${SETTING_HINT}.`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new EngineError(
        'refused',
        endpoint.kind === 'tcp' && !endpoint.tls
          ? `Docker at ${where} closed the connection. If the engine speaks TLS (port 2376), set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH; otherwise check that it is running.`
          : `Docker at ${where} closed the connection: the engine may be stopping or restarting. Check that it is running.`,
      );
  }
  const message = e.message ?? String(error);
  if (/CERT|SSL|TLS|self[- ]signed|EPROTO/i.test(code + ' ' + message)) {
    return new EngineError('tls', `Cannot reach Docker at ${where}: TLS failed: ${describeTlsFailure(code, message)}`);
  }
  if (/timeout/i.test(message)) {
    return new EngineError('timeout', `Docker at ${where} did not answer in time (${message}). Check that the engine is healthy.`);
  }
  return new EngineError('engine', `Docker at ${where} failed: ${message}`);
}
