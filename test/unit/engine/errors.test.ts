import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerHost } from '../../../src/engine/connection';
import { compareApiVersions } from '../../../src/engine/client';
import { EngineError, engineMessage, isConnectionProblem, toEngineError } from '../../../src/engine/errors';

const unix = parseDockerHost('unix:///var/run/docker.sock', 'default');
const remote = parseDockerHost('tcp://build:2376', 'setting');

test('socket errors name the endpoint, the reason and the next step', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['ENOENT', 'no-socket', /unix:\/\/\/var\/run\/docker\.sock: the socket does not exist\. Start Docker/],
    ['ECONNREFUSED', 'refused', /connection refused\. Start the engine/],
    ['EACCES', 'permission', /permission denied\. Add your user to the docker group/],
    ['ENOTFOUND', 'unknown-host', /does not resolve/],
    ['ETIMEDOUT', 'timeout', /no answer/],
  ];
  for (const [code, kind, message] of cases) {
    const error = toEngineError(Object.assign(new Error(`connect ${code}`), { code }), unix);
    assert.equal(error.kind, kind, code);
    assert.match(error.message, message);
    assert.match(error.message, /layerlens\.dockerHost|docker group/);
    assert.ok(isConnectionProblem(error.kind));
  }
});

test('TLS failures are reported as TLS', () => {
  const error = toEngineError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), remote);
  assert.equal(error.kind, 'tls');
  assert.match(error.message, /tcp:\/\/build:2376: TLS failed/);
});

test('HTTP errors keep the engine’s own words', () => {
  const conflict = toEngineError({ statusCode: 409, json: { message: 'conflict: unable to remove repository reference "app:1" (must force) - container 123 is using its referenced image 456' }, message: '(HTTP code 409) unexpected - conflict: ...' }, unix);
  assert.equal(conflict.kind, 'conflict');
  assert.match(conflict.message, /^conflict: unable to remove/);
  assert.ok(!isConnectionProblem(conflict.kind));
  assert.equal(toEngineError({ statusCode: 404, json: null, message: '(HTTP code 404) no such image - No such image: x:1 ' }, unix).message, 'No such image: x:1');
  assert.equal(engineMessage({ statusCode: 500, json: { message: 'boom' } }), 'boom');
});

test('an EngineError passes through unchanged', () => {
  const original = new EngineError('too-old', 'old');
  assert.equal(toEngineError(original, unix), original);
});

test('compareApiVersions', () => {
  assert.equal(compareApiVersions('1.41', '1.30'), 1);
  assert.equal(compareApiVersions('1.30', '1.30'), 0);
  assert.equal(compareApiVersions('1.9', '1.30'), -1);
  assert.equal(compareApiVersions('2.0', '1.99'), 1);
});
