// A throwaway distribution 2.8.2 registry on a free loopback port (or the one asked for, when it
// is free), with no auth, htpasswd Basic auth, or token auth backed by our own token server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir, onCleanup, removeTempDir } from './cleanup';
import { freeLoopbackPort } from './ports';
import { delay, logTail, runCommand, spawnLogged, stopProcess, type LoggedProcess } from './processes';
import { startTokenServer, type TokenServer } from './tokenServer';

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface TestRegistry {
  /** "127.0.0.1:PORT", the registry part of image references. */
  host: string;
  /** http://127.0.0.1:PORT */
  url: string;
  auth: RegistryAuth;
  username?: string;
  password?: string;
  /** Token endpoint (auth 'token' only). */
  tokenRealm?: string;
  /** The `service` the token realm expects (auth 'token' only). */
  tokenService?: string;
  /** The port asked for (TestRegistryOptions.port) when another process held it: the registry is on a free one instead. */
  portTaken?: number;
  /** Requests the token server has answered (auth 'token' only). */
  tokenRequestCount?(): number;
  dir: string;
  logFile: string;
  stop(): Promise<void>;
}

export interface TestRegistryOptions {
  auth?: RegistryAuth;
  /** Lifetime of issued tokens. Distribution still accepts a token up to 60 s past its `exp` (clock-skew leeway). */
  tokenTtlSeconds?: number;
  /** Listen on this loopback port if it is free, else on a free one (portTaken then names it). */
  port?: number;
}

export const TEST_REGISTRY_USERNAME = 'layerlens';
export const TEST_REGISTRY_PASSWORD = 'layerlens-secret';
const REGISTRY_BIN = 'docker-registry';
const TOKEN_SERVICE = 'test-registry';
const TOKEN_ISSUER = 'test-issuer';
const READY_TIMEOUT_MS = 20_000;
const PORT_ATTEMPTS = 5;

export async function startTestRegistry(opts: TestRegistryOptions = {}): Promise<TestRegistry> {
  const auth = opts.auth ?? 'none';
  const dir = makeTempDir();
  let tokenServer: TokenServer | undefined;
  try {
    const authConfig = await prepareAuth(auth, dir, opts.tokenTtlSeconds ?? 300, (server) => (tokenServer = server));
    const { port, proc } = await startOnFreePort(dir, authConfig, opts.port);
    const registry = describeRegistry({ auth, dir, port, proc, tokenServer });
    if (opts.port !== undefined && port !== opts.port) registry.portTaken = opts.port;
    return registry;
  } catch (error) {
    await tokenServer?.stop();
    removeTempDir(dir);
    throw error;
  }
}

function describeRegistry(parts: {
  auth: RegistryAuth;
  dir: string;
  port: number;
  proc: LoggedProcess;
  tokenServer?: TokenServer;
}): TestRegistry {
  const { auth, dir, port, proc, tokenServer } = parts;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      unregister();
      await stopProcess(proc, 5000);
      await tokenServer?.stop();
      removeTempDir(dir);
    })();
    return stopped;
  };
  const unregister = onCleanup(stop);
  const registry: TestRegistry = {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    auth,
    dir,
    logFile: proc.logFile,
    stop,
  };
  if (auth !== 'none') {
    registry.username = TEST_REGISTRY_USERNAME;
    registry.password = TEST_REGISTRY_PASSWORD;
  }
  if (tokenServer) {
    const server = tokenServer;
    registry.tokenRealm = server.realm;
    registry.tokenService = TOKEN_SERVICE;
    registry.tokenRequestCount = () => server.requestCount();
  }
  return registry;
}

/** Writes credentials/certs and returns the `auth:` section of the registry config (YAML lines). */
async function prepareAuth(
  auth: RegistryAuth,
  dir: string,
  tokenTtlSeconds: number,
  onTokenServer: (server: TokenServer) => void,
): Promise<string[]> {
  if (auth === 'none') return [];
  if (auth === 'basic') {
    const htpasswdFile = path.join(dir, 'htpasswd');
    // bcrypt (-B): the only hash distribution's htpasswd support accepts.
    const entry = await runCommand('htpasswd', ['-Bbn', TEST_REGISTRY_USERNAME, TEST_REGISTRY_PASSWORD]);
    fs.writeFileSync(htpasswdFile, `${entry}\n`);
    return ['auth:', '  htpasswd:', '    realm: basic-realm', `    path: ${htpasswdFile}`];
  }
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  await runCommand('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', '2', '-subj', '/CN=token-signer',
  ]);
  const server = await startTokenServer({
    keyPem: fs.readFileSync(keyFile, 'utf8'),
    certPem: fs.readFileSync(certFile, 'utf8'),
    username: TEST_REGISTRY_USERNAME,
    password: TEST_REGISTRY_PASSWORD,
    issuer: TOKEN_ISSUER,
    ttlSeconds: tokenTtlSeconds,
  });
  onTokenServer(server);
  return [
    'auth:',
    '  token:',
    `    realm: ${server.realm}`,
    `    service: ${TOKEN_SERVICE}`,
    `    issuer: ${TOKEN_ISSUER}`,
    `    rootcertbundle: ${certFile}`,
  ];
}

/**
 * The port asked for first, if any; then free ports. A port in use (asked for, or a probed one
 * taken before the registry binds it) makes the registry exit, and we try the next.
 */
async function startOnFreePort(dir: string, authConfig: string[], preferredPort?: number): Promise<{ port: number; proc: LoggedProcess }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = attempt === 1 && preferredPort !== undefined ? preferredPort : await freeLoopbackPort();
    const configFile = path.join(dir, 'config.yml');
    fs.writeFileSync(configFile, registryConfig(dir, port, authConfig));
    const logFile = path.join(dir, `registry-${attempt}.log`);
    const proc = await spawnLogged('registry', REGISTRY_BIN, ['serve', configFile], { logFile });
    try {
      await waitUntilServing(proc, port);
      return { port, proc };
    } catch (error) {
      await stopProcess(proc, 2000);
      lastError = error;
      if (!logTail(logFile).includes('address already in use')) break;
    }
  }
  throw lastError;
}

function registryConfig(dir: string, port: number, authConfig: string[]): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    ...authConfig,
    '',
  ].join('\n');
}

async function waitUntilServing(proc: LoggedProcess, port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    // The log line proves the answer below comes from our registry, not from whoever took the port.
    if (logTail(proc.logFile, 200).includes(`listening on 127.0.0.1:${port}`) && (await answersV2(port))) return;
    if (!proc.isRunning() || Date.now() > deadline) {
      const why = proc.isRunning() ? `did not answer GET /v2/ within ${READY_TIMEOUT_MS / 1000}s` : 'exited';
      throw new Error(`registry on 127.0.0.1:${port} ${why}; log tail:\n${logTail(proc.logFile)}`);
    }
    await delay(50);
  }
}

async function answersV2(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200 || response.status === 401;
  } catch {
    return false;
  }
}
