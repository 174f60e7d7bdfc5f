// Credential helpers for real: the default runHelper spawns the fixture scripts in
// test/env/credential-helpers, found on the PATH of the env passed in, speaking the real protocol.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type CredentialInputs,
  CREDENTIALS_NOT_FOUND,
  CredentialError,
  CredentialHelperError,
  DOCKER_HUB_SERVER_ADDRESS,
  engineAuthHeader,
  resolveDockerCredential,
  runCredentialHelper,
} from '../../src/dockerConfig/credentials';
import { readTextFileIfExists } from '../../src/util/files';
import { makeTempDir, removeTempDir } from '../env/cleanup';

const HELPERS_DIR = path.resolve(__dirname, '..', 'env', 'credential-helpers');
const PASSWORD = 'helper-pa:ss-s3cret';
const IDENTITY_TOKEN = 'helper-identity-token-s3cret';
const HALF_SECRET = 'half-entry-s3cret-user';
const BROKEN_HELPER_SECRET = 'broken-helper-secret-value';
const SECRETS = [PASSWORD, IDENTITY_TOKEN, BROKEN_HELPER_SECRET, 's3cret'];

const STORE = {
  'localhost:5000': { Username: 'alice', Secret: PASSWORD },
  [DOCKER_HUB_SERVER_ADDRESS]: { Username: '<token>', Secret: IDENTITY_TOKEN },
  'half.example': { Username: HALF_SECRET },
};

let dir: string;
let configDir: string;
let stdinLog: string;

before(() => {
  dir = makeTempDir();
  configDir = path.join(dir, 'docker-config');
  fs.mkdirSync(configDir);
  stdinLog = path.join(dir, 'stdin.log');
  fs.writeFileSync(path.join(dir, 'store.json'), JSON.stringify(STORE));
  // Deliberately not executable: PATH finds it, exec refuses it.
  fs.writeFileSync(path.join(dir, 'docker-credential-layerlens-noexec'), '#!/bin/sh\necho {}\n', { mode: 0o644 });
});

after(() => removeTempDir(dir));

/** The env a user's shell would hand over: the fixture helpers (and node, for their shebang) on PATH. */
function helperEnv(): Record<string, string> {
  return {
    PATH: [HELPERS_DIR, dir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
    DOCKER_CONFIG: configDir,
    LAYERLENS_TEST_CREDENTIALS_FILE: path.join(dir, 'store.json'),
    LAYERLENS_TEST_STDIN_LOG: stdinLog,
  };
}

function withConfig(config: unknown, extra: Partial<CredentialInputs> = {}): CredentialInputs {
  fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify(config));
  fs.rmSync(stdinLog, { force: true });
  return { env: helperEnv(), homeDir: '/nonexistent-home', readTextFile: readTextFileIfExists, ...extra };
}

function loggedCalls(): Array<{ args: string[]; stdin: string }> {
  const text = readTextFileIfExists(stdinLog) ?? '';
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { args: string[]; stdin: string });
}

async function failure(host: string, inputs: CredentialInputs): Promise<string> {
  let caught: unknown;
  try {
    await resolveDockerCredential(host, inputs);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof CredentialError, `expected a CredentialError, got ${String(caught)}`);
  for (const secret of SECRETS) assert.ok(!caught.message.includes(secret), `"${caught.message}" contains the secret "${secret}"`);
  return caught.message;
}

describe('a real credential helper', () => {
  test('credHelpers: user and password, and stdin is the server address only', async () => {
    const credential = await resolveDockerCredential('localhost:5000', withConfig({ credHelpers: { 'localhost:5000': 'layerlens-test' } }));
    assert.deepEqual(credential, { source: 'credHelpers', helper: 'layerlens-test', serverAddress: 'localhost:5000', username: 'alice', password: PASSWORD });
    assert.deepEqual(loggedCalls(), [{ args: ['get'], stdin: 'localhost:5000' }]);
  });

  test('credsStore for Docker Hub: the Hub server address on stdin, an identity token back', async () => {
    const credential = await resolveDockerCredential('docker.io', withConfig({ credsStore: 'layerlens-test' }));
    assert.deepEqual(credential, { source: 'credsStore', helper: 'layerlens-test', serverAddress: DOCKER_HUB_SERVER_ADDRESS, identityToken: IDENTITY_TOKEN });
    assert.deepEqual(loggedCalls(), [{ args: ['get'], stdin: DOCKER_HUB_SERVER_ADDRESS }]);
    const header = JSON.parse(Buffer.from(engineAuthHeader(credential, credential.serverAddress), 'base64url').toString('utf8')) as unknown;
    assert.deepEqual(header, { identitytoken: IDENTITY_TOKEN, serveraddress: DOCKER_HUB_SERVER_ADDRESS });
  });

  test('an unknown server: "credentials not found" means no credential', async () => {
    const credential = await resolveDockerCredential('ghcr.io', withConfig({ credsStore: 'layerlens-test', auths: { 'ghcr.io': { auth: Buffer.from('x:y').toString('base64') } } }));
    assert.equal(credential, undefined);
    assert.deepEqual(loggedCalls(), [{ args: ['get'], stdin: 'ghcr.io' }]);
  });

  test('runCredentialHelper on its own: the JSON, and the not-found answer', async () => {
    const json = await runCredentialHelper('layerlens-test', 'localhost:5000', helperEnv());
    assert.deepEqual(JSON.parse(json), { ServerURL: 'localhost:5000', Username: 'alice', Secret: PASSWORD });
    assert.equal(await runCredentialHelper('layerlens-test', 'unknown.example', helperEnv()), CREDENTIALS_NOT_FOUND);
  });

  test('the helper answers JSON without a Secret', async () => {
    const message = await failure('half.example', withConfig({ credsStore: 'layerlens-test' }));
    assert.match(message, /^Cannot get the credentials for half\.example from docker-credential-layerlens-test \("credsStore" in .*config\.json\): it printed JSON without a "Secret"\./);
    assert.ok(!message.includes(HALF_SECRET), 'the helper\'s answer is not quoted');
  });
});

describe('a misbehaving credential helper', () => {
  test('not on PATH: names the program, says to install it or remove the entry', async () => {
    const inputs = withConfig({ credHelpers: { 'localhost:5000': 'layerlens-absent' } });
    const message = await failure('localhost:5000', inputs);
    const configPath = path.join(configDir, 'config.json');
    assert.ok(message.includes('docker-credential-layerlens-absent was not found on PATH'), message);
    assert.ok(message.endsWith(`Install docker-credential-layerlens-absent and put it on PATH, or remove credHelpers["localhost:5000"] from ${configPath}.`), message);
  });

  test('prints garbage: "not JSON", and the garbage (holding a secret) is never quoted', async () => {
    const message = await failure('localhost:5000', withConfig({ credsStore: 'layerlens-broken' }));
    assert.match(message, /docker-credential-layerlens-broken .*it printed something that is not JSON \(\d+ bytes\)/);
    assert.ok(!message.includes('weird state'), message);
  });

  test('exits 2: its own message is quoted, with the status', async () => {
    const message = await failure('localhost:5000', withConfig({ credsStore: 'layerlens-fail' }));
    assert.match(message, /it exited with status 2: error getting credentials - gpg: decryption failed: No secret key\./);
    assert.match(message, /run "docker login localhost:5000" again\), or remove "credsStore" from /);
  });

  test('hangs: killed after the timeout, in words', async () => {
    const started = Date.now();
    const message = await failure('localhost:5000', withConfig({ credsStore: 'layerlens-hang' }, { helperTimeoutMs: 400 }));
    const elapsed = Date.now() - started;
    assert.match(message, /docker-credential-layerlens-hang .*did not answer within 400 ms/);
    assert.match(message, /Unlock the keychain or password store/);
    assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
  });

  test('hangs, run directly: a CredentialHelperError of kind timeout', async () => {
    await assert.rejects(runCredentialHelper('layerlens-hang', 'localhost:5000', helperEnv(), { timeoutMs: 300 }), (error: unknown) => error instanceof CredentialHelperError && error.failure === 'timeout');
  });

  test('not executable: could not be started', async () => {
    const message = await failure('localhost:5000', withConfig({ credsStore: 'layerlens-noexec' }));
    assert.match(message, /docker-credential-layerlens-noexec could not be started \(EACCES\)/);
    assert.match(message, /Check that docker-credential-layerlens-noexec is an executable file/);
  });
});
