import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BLOCKED_PORTS, connectionFailureInText, connectionFailureOf, portProblem } from '../../../src/util/connectionFailure';

const fetchFailure = (cause: Error): TypeError => new TypeError('fetch failed', { cause });
const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('connectionFailureOf: Node fetch failures', () => {
  const cases: Array<[string, unknown, string | undefined]> = [
    ['undici refuses a blocked port', fetchFailure(new Error('bad port')), 'blocked-port'],
    ['connection refused', fetchFailure(withCode('connect ECONNREFUSED 127.0.0.1:2', 'ECONNREFUSED')), 'refused'],
    ['a name that does not resolve', fetchFailure(withCode('getaddrinfo ENOTFOUND registry-1.docker.io', 'ENOTFOUND')), 'unknown-host'],
    ['no name server', fetchFailure(withCode('getaddrinfo EAI_AGAIN ghcr.io', 'EAI_AGAIN')), 'no-dns'],
    ['no route', fetchFailure(withCode('connect ENETUNREACH 10.0.0.1:443', 'ENETUNREACH')), 'unreachable'],
    ['AbortSignal.timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timeout'],
    ['a reset', fetchFailure(withCode('read ECONNRESET', 'ECONNRESET')), 'reset'],
    ['a TLS failure is not one', fetchFailure(withCode('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT')), undefined],
  ];
  for (const [name, error, kind] of cases) test(name, () => assert.equal(connectionFailureOf(error)?.kind, kind));
});

describe('connectionFailureInText: the engine\'s Go errors', () => {
  const cases: Array<[string, string | undefined]> = [
    ['Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused', 'refused'],
    ['Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.1:53: no such host', 'unknown-host'],
    ['Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: Temporary failure in name resolution', 'no-dns'],
    // The name server itself refusing is no DNS, not a registry refusing.
    ['dial tcp: lookup registry-1.docker.io on [::1]:53: read udp [::1]:50000->[::1]:53: read: connection refused', 'no-dns'],
    ['dial tcp 10.0.0.1:443: connect: network is unreachable', 'unreachable'],
    ['net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)', 'timeout'],
    ['read tcp 10.0.0.2:5000: read: connection reset by peer', 'reset'],
    ['unauthorized: authentication required', undefined],
  ];
  for (const [text, kind] of cases) test(text, () => assert.equal(connectionFailureInText(text)?.kind, kind));
});

test('portProblem: 1-65535, and the ports fetch refuses named as blocked', () => {
  assert.equal(portProblem(5000), undefined);
  assert.equal(portProblem(65535), undefined);
  assert.equal(portProblem(1), "port 1 is one Node's fetch refuses to connect to (a blocked port)");
  assert.match(portProblem(6666) ?? '', /blocked port/);
  assert.equal(portProblem(0), 'port 0 is outside 1-65535');
  assert.equal(portProblem(70000), 'port 70000 is outside 1-65535');
  for (const port of [1, 7, 9, 6000, 6665, 6669, 10080]) assert.ok(BLOCKED_PORTS.has(port), String(port));
});

test('BLOCKED_PORTS matches Node\'s fetch: a listed port fails with "bad port" before any connection', async () => {
  // No connection is made for a blocked port; a port outside the list would be tried, so only the list is fetched.
  for (const port of [1, 6000, 10080]) {
    const error = await fetch(`http://127.0.0.1:${port}/`).then(() => undefined, (failure: unknown) => failure);
    assert.equal(connectionFailureOf(error)?.kind, 'blocked-port', String(port));
  }
});
