// A loopback HTTP proxy in front of a registry that misbehaves on request, per path pattern:
// answer 500 n times, answer 429 with Retry-After n times, alter one byte of a body, or redirect
// to another origin. It can also demand Basic auth itself (and strip it before forwarding), so a
// test can watch where an Authorization header goes. startHeaderRecorder is that other origin:
// it records the headers it gets and serves what the upstream serves.
import * as http from 'node:http';
import type * as net from 'node:net';
import { listenOnLoopback } from './pipe';

export type FaultAction =
  | { kind: 'status'; status: number; times: number; headers?: Record<string, string> }
  | { kind: 'corrupt'; times?: number }
  | { kind: 'redirect'; toOrigin: string; times?: number };

export interface FaultRule {
  /** Matched against the path with its query. */
  path: RegExp;
  method?: string;
  action: FaultAction;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** What the proxy did: forward, status:<n>, corrupt, redirect, challenge. */
  outcome: string;
}

export interface FaultProxy {
  /** 127.0.0.1:PORT */
  host: string;
  url: string;
  requests: RecordedRequest[];
  /** Adds a rule (first match wins; a rule with times left is used, then skipped). */
  addRule(rule: FaultRule): void;
  clearRules(): void;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Demand these Basic credentials before forwarding (the Authorization header is not forwarded). */
  basicAuth?: { username: string; password: string };
  /** Hold every answer this long before sending it: a registry across a network (benchmarks). */
  delayMs?: number;
}

interface LiveRule extends FaultRule {
  left: number;
}

export async function startFaultProxy(upstreamUrl: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const rules: LiveRule[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const expected = options.basicAuth && `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`;

  const delayMs = options.delayMs ?? 0;
  const server = http.createServer((req, res) => {
    if (delayMs > 0) setTimeout(() => handle(req, res), delayMs);
    else handle(req, res);
  });
  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const record = (outcome: string): void => void requests.push({ method, path, headers: req.headers, outcome });
    if (expected !== undefined && req.headers.authorization !== expected) {
      record('challenge');
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Basic realm="fault-proxy"' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    const rule = rules.find((r) => r.left > 0 && r.path.test(path) && (r.method === undefined || r.method === method));
    if (rule) rule.left--;
    const action = rule?.action;
    if (action?.kind === 'status') {
      record(`status:${action.status}`);
      const code = action.status === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN';
      res.writeHead(action.status, { 'Content-Type': 'application/json', ...action.headers });
      res.end(JSON.stringify({ errors: [{ code, message: `fault proxy answers ${action.status}` }] }));
      return;
    }
    if (action?.kind === 'redirect') {
      record('redirect');
      res.writeHead(307, { Location: `${action.toOrigin}${path}` });
      res.end();
      return;
    }
    record(action?.kind === 'corrupt' ? 'corrupt' : 'forward');
    forward(upstream, req, res, action?.kind === 'corrupt');
  };
  const { port, close } = await listenOnLoopback(server, trackSockets(server, sockets));
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    addRule: (rule) => void rules.push({ ...rule, left: rule.action.times ?? Number.POSITIVE_INFINITY }),
    clearRules: () => void rules.splice(0),
    close,
  };
}

export interface HeaderRecorder {
  url: string;
  requests: { method: string; path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** Another loopback origin: records each request's headers, then serves the upstream's answer. */
export async function startHeaderRecorder(upstreamUrl: string): Promise<HeaderRecorder> {
  const upstream = new URL(upstreamUrl);
  const requests: HeaderRecorder['requests'] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    forward(upstream, req, res, false, true);
  });
  const { port, close } = await listenOnLoopback(server, trackSockets(server, sockets));
  return { url: `http://127.0.0.1:${port}`, requests, close };
}

function trackSockets(server: http.Server, sockets: Set<net.Socket>): Set<net.Socket> {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

function forward(upstream: URL, req: http.IncomingMessage, res: http.ServerResponse, corrupt: boolean, dropAuthorization = true): void {
  const headers = { ...req.headers, host: upstream.host };
  if (dropAuthorization) delete headers.authorization;
  const outgoing = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
    (answer) => {
      if (!corrupt) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const middle = Math.floor(body.length / 2);
        // Same length, one byte different: only a digest check can tell.
        if (body.length > 0) body[middle] = (body[middle] ?? 0) ^ 0x01;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(body);
      });
    },
  );
  outgoing.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end(`fault proxy: upstream failed: ${error.message}`);
  });
  req.pipe(outgoing);
}
