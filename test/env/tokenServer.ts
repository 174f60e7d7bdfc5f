// The token realm of a token-auth registry, as Docker Hub, GHCR and Harbor run one: Basic
// credentials in, an RS256 JWT out, which distribution verifies against the signer's cert.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { type AddressInfo } from 'node:net';

export interface TokenServerOptions {
  /** PEM private key and self-signed cert (the registry's rootcertbundle). */
  keyPem: string;
  certPem: string;
  username: string;
  password: string;
  issuer: string;
  ttlSeconds: number;
}

export interface TokenServer {
  realm: string;
  /** Token requests answered so far (rejected ones included), for token-caching tests. */
  requestCount(): number;
  stop(): Promise<void>;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

interface TokenRequest {
  service: string;
  scopes: string[];
  account?: string;
  password?: string;
  /** Credentials were sent; when false the caller is anonymous. */
  authenticated: boolean;
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const x5c = new crypto.X509Certificate(options.certPem).raw.toString('base64');
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    void readTokenRequest(req)
      .then((tokenRequest) => answer(res, tokenRequest))
      .catch((error: unknown) => sendJson(res, 400, { errors: [{ code: 'BAD_REQUEST', message: String(error) }] }));
  });

  function answer(res: http.ServerResponse, request: TokenRequest | undefined): void {
    if (!request) {
      sendJson(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'the token endpoint is /token' }] });
      return;
    }
    if (request.authenticated && (request.account !== options.username || request.password !== options.password)) {
      res.setHeader('WWW-Authenticate', 'Basic realm="token-realm"');
      sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'wrong username or password' }] });
      return;
    }
    // Anonymous callers get a valid token that grants nothing, as public registries do.
    const access = request.authenticated ? request.scopes.flatMap(parseScope) : [];
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: options.issuer,
      sub: request.authenticated ? options.username : '',
      aud: request.service,
      exp: now + options.ttlSeconds,
      nbf: now - 1,
      iat: now,
      jti: crypto.randomUUID(),
      access,
    };
    const token = signJwt({ typ: 'JWT', alg: 'RS256', x5c: [x5c] }, claims, options.keyPem);
    sendJson(res, 200, {
      token,
      access_token: token,
      expires_in: options.ttlSeconds,
      issued_at: new Date(now * 1000).toISOString(),
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requestCount: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GET with Basic auth (docker login, most clients) or an OAuth2 password-grant POST form. */
async function readTokenRequest(req: http.IncomingMessage): Promise<TokenRequest | undefined> {
  const url = new URL(req.url ?? '/', 'http://token.invalid');
  if (url.pathname !== '/token') return undefined;
  const params = url.searchParams;
  let account: string | undefined;
  let password: string | undefined;
  let authenticated = false;
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    account = colon < 0 ? decoded : decoded.slice(0, colon);
    password = colon < 0 ? '' : decoded.slice(colon + 1);
    authenticated = true;
  }
  if (req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req));
    for (const [key, value] of form) params.append(key, value);
    if (form.get('grant_type') === 'password') {
      account = form.get('username') ?? '';
      password = form.get('password') ?? '';
      authenticated = true;
    }
  }
  return {
    service: params.get('service') ?? '',
    scopes: params.getAll('scope').flatMap((scope) => scope.split(' ')).filter(Boolean),
    account,
    password,
    authenticated,
  };
}

/** "repository:team/app:pull,push" -> {type, name, actions}; names never contain ':' but types may have "(plugin)". */
function parseScope(scope: string): Access[] {
  const parts = scope.split(':');
  if (parts.length < 3) return [];
  const type = parts[0] ?? '';
  const actions = (parts[parts.length - 1] ?? '').split(',').filter(Boolean);
  return [{ type, name: parts.slice(1, -1).join(':'), actions }];
}

function signJwt(header: object, claims: object, keyPem: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = crypto.sign('RSA-SHA256', Buffer.from(signingInput), keyPem).toString('base64url');
  return `${signingInput}.${signature}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
