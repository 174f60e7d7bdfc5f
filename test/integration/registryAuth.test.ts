// Push and pull with the basic-auth and token-auth registries, with credentials found the way
// the extension finds them: a temp docker config's auths, and a real credential helper
// process (credHelpers). Wrong passwords fail with a message that asks for a login.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { createDockerClients, type DockerClients } from '../../src/engine/client';
import { parseDockerHost } from '../../src/engine/connection';
import { pullImage, pushImage, TransferError } from '../../src/engine/transfer';
import { type CredentialInputs, credentialServerAddress, engineAuthHeader, resolveDockerCredential } from '../../src/dockerConfig/credentials';
import { parseReference } from '../../src/image/reference';
import { readTextFileIfExists } from '../../src/util/files';
import { startTestEnvironment, type TestEnvironment } from '../env';
import { makeTempDir } from '../env/cleanup';

const HELPERS = path.resolve(__dirname, '..', 'env', 'credential-helpers');
let env: TestEnvironment;
let clients: DockerClients;
let configDir: string;
let inputs: CredentialInputs;

before(async () => {
  env = await startTestEnvironment();
  clients = await createDockerClients(parseDockerHost(env.engine.dockerHost, 'setting'));
  configDir = makeTempDir();
  const store = path.join(configDir, 'helper-store.json');
  fs.writeFileSync(store, JSON.stringify({ [env.tokenRegistry.host]: { Username: env.tokenRegistry.username, Secret: env.tokenRegistry.password } }));
  fs.writeFileSync(
    path.join(configDir, 'config.json'),
    JSON.stringify({
      auths: { [env.basicRegistry.host]: { auth: Buffer.from(`${env.basicRegistry.username}:${env.basicRegistry.password}`).toString('base64') } },
      credHelpers: { [env.tokenRegistry.host]: 'layerlens-test' },
    }),
  );
  inputs = {
    env: { DOCKER_CONFIG: configDir, PATH: `${HELPERS}:${process.env.PATH ?? ''}`, LAYERLENS_TEST_CREDENTIALS_FILE: store },
    homeDir: '/nonexistent-home',
    readTextFile: readTextFileIfExists,
  };
});

after(async () => {
  await env?.stop();
});

async function authFor(host: string): Promise<string> {
  const credential = await resolveDockerCredential(host, inputs);
  assert.ok(credential, `no credential for ${host}`);
  return engineAuthHeader(credential, credentialServerAddress(host));
}

for (const which of ['basic', 'token'] as const) {
  test(`${which}-auth registry: push and pull back with credentials from the docker config${which === 'token' ? ' (a credential helper)' : ''}`, async () => {
    const registry = which === 'basic' ? env.basicRegistry : env.tokenRegistry;
    const reference = `${registry.host}/secure/app:1`;
    await env.engine.docker(['tag', env.fixtures.classic.ref, reference]);
    const registryAuth = await authFor(registry.host);
    const pushed = await pushImage(clients.streams, parseReference(reference), { registryAuth });
    assert.match(pushed.digest ?? '', /^sha256:/);
    await env.engine.docker(['rmi', reference]);
    const pulled = await pullImage(clients.streams, parseReference(reference), { registryAuth });
    assert.equal(pulled.digest, pushed.digest);
  });
}

test('a wrong password is refused with a message that asks for a login, and nothing is pushed', async () => {
  const reference = `${env.basicRegistry.host}/secure/wrong:1`;
  await env.engine.docker(['tag', env.fixtures.base, reference]);
  const registryAuth = engineAuthHeader({ username: env.basicRegistry.username, password: 'not-the-password' }, env.basicRegistry.host);
  await assert.rejects(pushImage(clients.streams, parseReference(reference), { registryAuth }), (error: unknown) => {
    assert.ok(error instanceof TransferError, String(error));
    assert.ok(error.needsLogin, error.message);
    assert.ok(!error.message.includes('not-the-password'));
    return true;
  });
  const anonymous = await pullImage(clients.streams, parseReference(reference), { registryAuth: await authFor(env.basicRegistry.host) }).then(
    () => 'pulled',
    (error: unknown) => (error instanceof TransferError ? error.problem : String(error)),
  );
  assert.equal(anonymous, 'not-found', 'the refused push left nothing behind');
});

test('the token registry without credentials: pull asks for a login', async () => {
  await assert.rejects(pullImage(clients.streams, parseReference(`${env.tokenRegistry.host}/secure/app:1`)), (error: unknown) => error instanceof TransferError && error.needsLogin);
});
