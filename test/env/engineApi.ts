// Minimal Docker Engine API client over a unix socket: enough for readiness checks, tagging and
// assertions, without depending on the client code under test.
import * as http from 'node:http';

export interface EngineResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface EngineRequestOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export function engineRequest(
  socketPath: string,
  method: string,
  path: string,
  options: EngineRequestOptions = {},
): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { socketPath, method, path, headers: { Host: 'docker', ...options.headers }, timeout: options.timeoutMs ?? 60_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${path} on ${socketPath} timed out`)));
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Sends JSON (if any), expects a 2xx and parses the JSON answer (undefined for an empty body). */
export async function engineJson<T>(socketPath: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await engineRequest(socketPath, method, path, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
  });
  const text = response.body.toString('utf8');
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`engine ${method} ${path} answered ${response.status}: ${text.trim()}`);
  }
  return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
}

export async function pingEngine(socketPath: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const response = await engineRequest(socketPath, 'GET', '/_ping', { timeoutMs });
    return response.status === 200 && response.body.toString('utf8') === 'OK';
  } catch {
    return false;
  }
}
