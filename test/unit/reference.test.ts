import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatFamiliarReference, formatReference, parseReference, ReferenceError, withDefaultTag } from '../../src/registry/reference';

const SHA = 'sha256:' + 'c'.repeat(64);

describe('parseReference: valid', () => {
  const cases: Array<[string, string, string]> = [
    ['nginx', 'docker.io/library/nginx', 'nginx'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27', 'nginx:1.27'],
    ['library/nginx', 'docker.io/library/nginx', 'nginx'],
    ['docker.io/nginx', 'docker.io/library/nginx', 'nginx'],
    ['index.docker.io/library/nginx:1', 'docker.io/library/nginx:1', 'nginx:1'],
    ['user/app', 'docker.io/user/app', 'user/app'],
    ['localhost/app', 'localhost/app', 'localhost/app'],
    ['localhost:5000/team/app:dev', 'localhost:5000/team/app:dev', 'localhost:5000/team/app:dev'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000/app', '127.0.0.1:5000/app'],
    ['[::1]:5000/app:1', '[::1]:5000/app:1', '[::1]:5000/app:1'],
    ['ghcr.io/org/repo/sub:v1.2.3', 'ghcr.io/org/repo/sub:v1.2.3', 'ghcr.io/org/repo/sub:v1.2.3'],
    [`nginx@${SHA}`, `docker.io/library/nginx@${SHA}`, `nginx@${SHA}`],
    [`host:5000/app:1.2@${SHA}`, `host:5000/app:1.2@${SHA}`, `host:5000/app:1.2@${SHA}`],
    ['a_b__c-d---e.f', 'docker.io/library/a_b__c-d---e.f', 'a_b__c-d---e.f'],
    ['a_b/x', 'docker.io/a_b/x', 'a_b/x'],
    ['Foo/bar', 'Foo/bar', 'Foo/bar'],
    ['app:' + 'x'.repeat(128), 'docker.io/library/app:' + 'x'.repeat(128), 'app:' + 'x'.repeat(128)],
  ];
  for (const [input, full, familiar] of cases) {
    test(input.length > 60 ? input.slice(0, 60) + '…' : input, () => {
      const ref = parseReference(input);
      assert.equal(formatReference(ref), full);
      assert.equal(formatFamiliarReference(ref), familiar);
    });
  }
  test('withDefaultTag adds latest only when there is neither tag nor digest', () => {
    assert.equal(withDefaultTag(parseReference('nginx')).tag, 'latest');
    assert.equal(withDefaultTag(parseReference(`nginx@${SHA}`)).tag, undefined);
  });
});

describe('parseReference: invalid, with the bad part quoted', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty/],
    ['nginx latest', /white space/],
    ['Nginx', /"Nginx" must be lowercase/],
    ['user/App', /"App" must be lowercase/],
    ['a//b', /empty component/],
    ['app/', /empty component/],
    [':tag', /repository name is missing/],
    ['app:' + 'x'.repeat(129), /129 characters long \(at most 128\)/],
    ['app:-bad', /tag "-bad"/],
    ['app@sha256:abc', /digest "sha256:abc"/],
    ['app@sha256:' + 'C'.repeat(64), /64 lowercase hex/],
    ['app@md5', /not algorithm:hex/],
    ['-app', /"-app"/],
    ['app-', /"app-"/],
    ['a..b/c', /registry host/],
    ['a_b.c/x', /"a_b\.c" is not a valid registry host/],
    ['a__b___c', /"a__b___c"/],
    ['x/' + 'a'.repeat(260), /longer than 255/],
  ];
  for (const [input, reason] of cases) {
    test(JSON.stringify(input.length > 40 ? input.slice(0, 40) + '…' : input), () => {
      assert.throws(() => parseReference(input), (error: Error) => error instanceof ReferenceError && reason.test(error.message) && error.message.startsWith('Invalid image reference'));
    });
  }
});
