import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReference, ImageReferenceError } from '../../../src/image/reference';
import { parseReferenceRequest } from '../../../src/image/referenceRequest';

test('a reference alone gets latest, as docker pull does', () => {
  const request = parseReferenceRequest('nginx');
  assert.equal(formatReference(request.reference), 'docker.io/library/nginx:latest');
  assert.equal(request.platform, undefined);
});

test('--platform with a space or an equals sign, with and without a variant', () => {
  for (const [text, platform] of [
    ['nginx:1.27 --platform linux/arm64', 'linux/arm64'],
    ['nginx:1.27 --platform=linux/arm/v7', 'linux/arm/v7'],
    ['  localhost:5000/app@sha256:' + 'a'.repeat(64) + '   --platform windows/amd64  ', 'windows/amd64'],
  ] as const) {
    assert.equal(parseReferenceRequest(text).platform, platform, text);
  }
});

test('a malformed platform is refused with the accepted form', () => {
  assert.throws(() => parseReferenceRequest('nginx --platform arm64'), /"arm64" is not a platform: write os\/arch/);
  assert.throws(() => parseReferenceRequest('nginx --platform Linux/AMD64'), /"Linux\/AMD64" is not a platform/);
});

test('a bad reference is a ImageReferenceError quoting it, platform or not', () => {
  assert.throws(() => parseReferenceRequest('Nginx --platform linux/amd64'), (error: unknown) => error instanceof ImageReferenceError && /"Nginx"/.test(error.message));
  assert.throws(() => parseReferenceRequest(''), ImageReferenceError);
});
