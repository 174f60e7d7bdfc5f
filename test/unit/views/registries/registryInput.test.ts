import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRegistryInput } from '../../../../src/views/registries/registryInput';

test('registry addresses: host and port, http:// for plain HTTP, loopback plain already', () => {
  assert.deepEqual(parseRegistryInput('registry.example.com:5000'), { host: 'registry.example.com:5000', insecure: false });
  assert.deepEqual(parseRegistryInput('https://GHCR.io/'), { host: 'ghcr.io', insecure: false });
  assert.deepEqual(parseRegistryInput('http://build.local:5000'), { host: 'build.local:5000', insecure: true });
  assert.deepEqual(parseRegistryInput('http://127.0.0.1:5000'), { host: '127.0.0.1:5000', insecure: false });
  assert.deepEqual(parseRegistryInput('[::1]:5000'), { host: '[::1]:5000', insecure: false });
  for (const bad of ['', 'not a host', 'registry.example.com/path', 'ftp://x', 'host:port']) assert.equal(typeof parseRegistryInput(bad), 'string', bad);
});

test('ports: 1-65535, and a port Node\'s fetch refuses is named as blocked, with the next step', () => {
  assert.equal(parseRegistryInput('http://127.0.0.1:1'), "127.0.0.1:1: port 1 is one Node's fetch refuses to connect to (a blocked port); use the registry's real port.");
  assert.match(parseRegistryInput('registry.example.com:6000') as string, /^registry\.example\.com:6000: port 6000 is one Node's fetch refuses/);
  assert.equal(parseRegistryInput('127.0.0.1:0'), "127.0.0.1:0: port 0 is outside 1-65535; use the registry's real port.");
  assert.equal(parseRegistryInput('127.0.0.1:65536'), "127.0.0.1:65536: port 65536 is outside 1-65535; use the registry's real port.");
  assert.deepEqual(parseRegistryInput('127.0.0.1:65535'), { host: '127.0.0.1:65535', insecure: false });
});
