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
