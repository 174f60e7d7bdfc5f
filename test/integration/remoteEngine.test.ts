// A remote engine over TCP with TLS, the way DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH
// describe it: a real TLS handshake with client certificates in front of a throwaway engine.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { type EndpointInputs } from '../../src/engine/connection';
import { readTextFileIfExists } from '../../src/util/files';
import { createTlsMaterial, importBusyboxBase, startTestEngine, startTlsFront, type TestEngine, type TlsFront, type TlsMaterial } from '../env';
import { describeState, firstSettledState, hasTag } from './support';

let engine: TestEngine;
let material: TlsMaterial;
let front: TlsFront;

before(async () => {
  [engine, material] = await Promise.all([startTestEngine(), createTlsMaterial()]);
  await importBusyboxBase(engine);
  front = await startTlsFront(material, engine.socketPath);
});

after(async () => {
  await front?.close();
  await engine?.dispose();
});

function clientFile(name: string): string {
  return path.join(material.clientCertPath, name);
}

function withEnv(env: Record<string, string>): () => EndpointInputs {
  return () => ({ setting: '', env, homeDir: '/nonexistent-home', platform: 'linux', readTextFile: readTextFileIfExists });
}

/** A folder for DOCKER_CERT_PATH with the given files: name there -> file to copy. */
function certFolder(name: string, files: Record<string, string>): string {
  const dir = path.join(path.dirname(material.clientCertPath), name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [target, source] of Object.entries(files)) fs.copyFileSync(source, path.join(dir, target));
  return dir;
}

test('DOCKER_HOST tcp:// with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH lists the images', async () => {
  const state = await firstSettledState(withEnv({ DOCKER_HOST: front.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: material.clientCertPath }));
  assert.equal(state.kind, 'ready', describeState(state));
  assert.ok(hasTag(state, 'layerlens-test/busybox:1'));
  if (state.kind === 'ready') assert.equal(state.endpoint, front.dockerHost);
});

test('an engine certificate from another CA is a TLS error naming the endpoint and DOCKER_CERT_PATH', async () => {
  const other = await createTlsMaterial();
  const mixed = certFolder('mixed', { 'ca.pem': path.join(other.clientCertPath, 'ca.pem'), 'cert.pem': clientFile('cert.pem'), 'key.pem': clientFile('key.pem') });
  const state = await firstSettledState(withEnv({ DOCKER_HOST: front.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: mixed }));
  if (state.kind !== 'error') assert.fail(describeState(state));
  assert.equal(state.error.kind, 'tls');
  assert.match(state.error.message, new RegExp(`Cannot reach Docker at tcp://127\\.0\\.0\\.1:${front.port}: TLS failed: the engine's certificate is not signed by ca\\.pem in DOCKER_CERT_PATH`));
});

test('DOCKER_TLS without VERIFY encrypts without checking the engine certificate', async () => {
  // The client certificate the engine requires, but no CA that signed the engine's.
  const noCheck = certFolder('nocheck', { 'cert.pem': clientFile('cert.pem'), 'key.pem': clientFile('key.pem') });
  const state = await firstSettledState(withEnv({ DOCKER_HOST: front.dockerHost, DOCKER_TLS: '1', DOCKER_CERT_PATH: noCheck }));
  assert.equal(state.kind, 'ready', describeState(state));
});

test('plain tcp:// to a TLS engine says it may speak TLS', async () => {
  const state = await firstSettledState(withEnv({ DOCKER_HOST: front.dockerHost }));
  if (state.kind !== 'error') assert.fail(describeState(state));
  assert.match(state.error.message, new RegExp(`^Docker at tcp://127\\.0\\.0\\.1:${front.port} closed the connection\\. If the engine speaks TLS \\(port 2376\\), set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH`));
});

test('no client certificate: the engine refuses the handshake, and the message says TLS', async () => {
  const caOnly = certFolder('ca-only', { 'ca.pem': clientFile('ca.pem') });
  const state = await firstSettledState(withEnv({ DOCKER_HOST: front.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: caOnly }));
  if (state.kind !== 'error') assert.fail(describeState(state));
  assert.equal(state.error.kind, 'tls');
  assert.match(state.error.message, /TLS failed: the engine wants a client certificate it accepts\. Put cert\.pem and key\.pem/);
});
