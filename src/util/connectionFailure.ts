// Why a connection to a server failed, read one way from Node's errors (fetch's causes:
// ECONNREFUSED, ENOTFOUND, undici's "bad port") and from the Engine's Go error texts ("dial tcp
// ...: connect: connection refused", "lookup ...: no such host"), so that the registry client and
// pull / push name the same cause in the same words. TLS failures are not here: their next step
// depends on who holds the certificates.

export type ConnectionFailureKind =
  /** Node's fetch refused the port without trying (the Fetch standard's blocked ports). */
  | 'blocked-port'
  | 'refused'
  /** The name server answered that the name does not exist (or the only answer offline). */
  | 'unknown-host'
  /** No name server answered: no network or no DNS. */
  | 'no-dns'
  | 'unreachable'
  | 'timeout'
  | 'reset';

export interface ConnectionFailure {
  kind: ConnectionFailureKind;
  /** The low-level words, for a parenthesis: `ECONNREFUSED`, `bad port`, `no such host`. */
  detail: string;
}

/** The ports Node's fetch (undici) refuses to connect to ("bad port"), as undici lists them. */
export const BLOCKED_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139,
  143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659,
  4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Why a port cannot be connected to (no next step), or undefined when it can. */
export function portProblem(port: number): string | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${port} is outside 1-65535`;
  if (BLOCKED_PORTS.has(port)) return `port ${port} is one Node's fetch refuses to connect to (a blocked port)`;
  return undefined;
}

const NODE_CODES: Record<string, ConnectionFailureKind> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'unknown-host',
  EAI_AGAIN: 'no-dns',
  EAI_FAIL: 'no-dns',
  ENETUNREACH: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
};

/** A Node error (a fetch failure and its causes) read as a connection failure; undefined when it is none (TLS, an HTTP answer). */
export function connectionFailureOf(error: unknown): ConnectionFailure | undefined {
  if (error instanceof Error && error.name === 'TimeoutError') return { kind: 'timeout', detail: 'timeout' };
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 6; current = (current as Error & { cause?: unknown }).cause, depth++) {
    const code = (current as Error & { code?: unknown }).code;
    const kind = typeof code === 'string' ? NODE_CODES[code] : undefined;
    if (kind !== undefined) return { kind, detail: code as string };
    if (current.message === 'bad port') return { kind: 'blocked-port', detail: 'bad port' };
  }
  return undefined;
}

/** Go's net errors as the Engine passes them on. A DNS failure is looked for first: "lookup x on 10.0.0.1:53: read udp ...: connection refused" is the name server refusing. */
const ENGINE_TEXTS: Array<[RegExp, ConnectionFailureKind, string?]> = [
  [/lookup \S+.*(no such host)/i, 'unknown-host'],
  [/(Temporary failure in name resolution|server misbehaving)/i, 'no-dns'],
  [/lookup \S+.*(i\/o timeout|connection refused|network is unreachable)/i, 'no-dns', 'the name server did not answer'],
  [/(no such host)/i, 'unknown-host'],
  [/(connection refused)/i, 'refused'],
  [/(network is unreachable|no route to host)/i, 'unreachable'],
  [/(i\/o timeout|Client\.Timeout exceeded|deadline exceeded|TLS handshake timeout|\btimeout\b)/i, 'timeout'],
  [/(connection reset by peer|broken pipe)/i, 'reset'],
];

/** The Engine's text (a pull's error line, a distribution inspect's message) read as a connection failure. */
export function connectionFailureInText(text: string): ConnectionFailure | undefined {
  for (const [pattern, kind, detail] of ENGINE_TEXTS) {
    const match = pattern.exec(text);
    if (match) return { kind, detail: detail ?? match[1] ?? match[0] };
  }
  return undefined;
}
