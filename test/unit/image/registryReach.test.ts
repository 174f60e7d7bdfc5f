import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeReachFailure, isWellKnownRegistry, KnownRegistries } from '../../../src/image/registryReach';

test('well-known registries by name and by domain', () => {
  for (const host of ['docker.io', 'registry-1.docker.io', 'ghcr.io', 'quay.io', 'gcr.io', 'eu.gcr.io', 'europe-docker.pkg.dev', 'mcr.microsoft.com', 'public.ecr.aws', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'GHCR.io:443']) {
    assert.ok(isWellKnownRegistry(host), host);
  }
  for (const host of ['registry.example.com', '127.0.0.1:5000', 'pkg.dev.example.com', 'ghcr.io.example.com']) assert.ok(!isWellKnownRegistry(host), host);
});

test('KnownRegistries: well-known, configured, or answered in this session', () => {
  const known = new KnownRegistries(() => ['registry.example.com:5000']);
  assert.ok(known.isKnown('docker.io'));
  assert.ok(known.isKnown('registry.example.com:5000'));
  assert.ok(!known.isKnown('build.local:5000'));
  known.noteAnswered('Build.local:5000');
  assert.ok(known.isKnown('build.local:5000'));
  const broken = new KnownRegistries(() => {
    throw new Error('config.json is not JSON');
  });
  assert.ok(!broken.isKnown('build.local:5000'));
  assert.ok(broken.isKnown('quay.io'));
});

describe('describeReachFailure', () => {
  test('a name that does not resolve: offline for a known registry, a wrong address otherwise', () => {
    const failure = { kind: 'unknown-host', detail: 'ENOTFOUND' } as const;
    assert.deepEqual(describeReachFailure('docker.io', failure, { known: true, again: 'Pin' }), { reason: 'no network or DNS', next: 'Pin again when online (or check the DNS and proxy settings).' });
    assert.deepEqual(describeReachFailure('registry.example.com', failure, { known: false }), { reason: 'the host name registry.example.com does not resolve', next: 'Check the registry address.' });
  });
  test('no name server is offline whatever the host', () => {
    assert.equal(describeReachFailure('registry.example.com', { kind: 'no-dns', detail: 'EAI_AGAIN' }, { known: false }).reason, 'no network or DNS');
  });
  test('a blocked port is named as one, with the port', () => {
    assert.deepEqual(describeReachFailure('127.0.0.1:1', { kind: 'blocked-port', detail: 'bad port' }, { known: false }), {
      reason: "port 1 is one Node's fetch refuses to connect to (a blocked port)",
      next: "Use the registry's real port.",
    });
  });
});
