// A remote engine over TCP with TLS, the way DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH
// describe it: a real TLS handshake with client certificates in front of a throwaway engine.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { type EndpointInputs } from '../../src/engine/connection';
import { readTextFileIfExists } from '../../src/util/files';
import { createTlsMaterial, importBusyboxBase, startTestEngine, startTlsFront, type TestEngine, type TlsFront, type TlsMaterial } from '../env';
import { createImagesModel, describeState, hasTag, waitForState } from './support';

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

function withEnv(env: Record<string, string>): () => EndpointInputs {
  return () => ({ setting: '', env, homeDir: '/nonexistent-home', platform: 'linux', readTextFile: readTextFileIfExists });
}

async function settle(inputs: () => EndpointInputs) {
  const { model } = createImagesModel(inputs);
  model.start();
  const state = await waitForState(model, (s) => s.kind === 'ready' || s.kind === 'error', 15_000, 'ready or error');
  model.dispose();
  return state;
}

test('DOCKER_HOST tcp:// with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH lists the images', async () => {
  const state = await settle(withEnv({ DOCKER_HOST: front.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: material.clientCertPath }));
  assert.equal(state.kind, 'ready', describeState(state));
  assert.ok(hasTag(state, 'layerlens-test/busybox:1'));
  if (state.kind === 'ready') assert.equal(state.endpoint, front.dockerHost);
});

test('an engine certificate from another CA is a TLS error naming the endpoint and DOCKER_CERT_PATH', async () => {
  const other = await createTlsMaterial();
  const mixed = path.join(path.dirname(other.clientCertPath), 'mixed');
  fs.mkdirSync(mixed);
  fs.copyFileSync(path.join(other.clientCertPath, 'ca.pem'), path.join(mixed, 'ca.pem'));
  fs.copyFileSync(path.join(material.clientCertPath, 'cert.pem'), path.join(mixed, 'cert.pem'));
  fs.copyFileSync(path.join(material.clientCertPath, 'key.pem'), path.join(mixed, 'key.pem'));
  const state = await settle(withEnv({ DOCKER_HOST: front.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: mixed }));
  if (state.kind !== 'error') assert.fail(describeState(state));
  assert.equal(state.error.kind, 'tls');
  assert.match(state.error.message, new RegExp(`Cannot reach Docker at tcp://127\\.0\\.0\\.1:${front.port}: TLS failed: the engine's certificate is not signed by ca\\.pem in DOCKER_CERT_PATH`));
});

test('DOCKER_TLS without VERIFY encrypts without checking the engine certificate', async () => {
  const other = await createTlsMaterial();
  const noCheck = path.join(path.dirname(other.clientCertPath), 'nocheck');
  fs.mkdirSync(noCheck);
  // The client certificate the engine requires, but no CA that signed the engine's.
  fs.copyFileSync(path.join(material.clientCertPath, 'cert.pem'), path.join(noCheck, 'cert.pem'));
  fs.copyFileSync(path.join(material.clientCertPath, 'key.pem'), path.join(noCheck, 'key.pem'));
  const state = await settle(withEnv({ DOCKER_HOST: front.dockerHost, DOCKER_TLS: '1', DOCKER_CERT_PATH: noCheck }));
  assert.equal(state.kind, 'ready', describeState(state));
});

test('plain tcp:// to a TLS engine says it may speak TLS', async () => {
  const state = await settle(withEnv({ DOCKER_HOST: front.dockerHost }));
  if (state.kind !== 'error') assert.fail(describeState(state));
  assert.match(state.error.message, new RegExp(`^Docker at tcp://127\\.0\\.0\\.1:${front.port} closed the connection\\. If the engine speaks TLS \\(port 2376\\), set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH`));
});

test('no client certificate: the engine refuses the handshake, and the message says TLS', async () => {
  const caOnly = path.join(path.dirname(material.clientCertPath), 'ca-only');
  fs.mkdirSync(caOnly, { recursive: true });
  fs.copyFileSync(path.join(material.clientCertPath, 'ca.pem'), path.join(caOnly, 'ca.pem'));
  const state = await settle(withEnv({ DOCKER_HOST: front.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: caOnly }));
  if (state.kind !== 'error') assert.fail(describeState(state));
  assert.equal(state.error.kind, 'tls');
  assert.match(state.error.message, /TLS failed: the engine wants a client certificate it accepts\. Put cert\.pem and key\.pem/);
});
