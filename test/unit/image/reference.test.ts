// Cases ported from distribution's own reference tests (github.com/distribution/reference:
// reference_test.go TestReferenceParse, normalize_test.go TestValidateReferenceName,
// TestValidateRemoteName, TestParseRepositoryInfo, TestParseReferenceWithTagAndDigest,
// TestParseAnyReference, TestNormalizedSplitHostname; regexp_test.go TestDomainRegexp,
// TestFullNameRegexp, TestReferenceRegexp, TestIdentifierRegexp), read through
// ParseNormalizedNamed + FamiliarString, since that is what parseReference mirrors: inputs
// that distribution's plain Parse keeps domain-less (`test_com`) come out here as docker.io names.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  familiarRepositoryName,
  formatFamiliarReference,
  formatReference,
  type ImageReference,
  parseReference,
  ImageReferenceError,
  repositoryName,
  withDefaultTag,
} from '../../../src/image/reference';

const SHA = 'sha256:' + 'c'.repeat(64);
const FFF = 'sha256:' + 'f'.repeat(64);
const SHA512 = 'sha512:' + 'f'.repeat(128);
const SHA384 = 'sha384:' + 'a'.repeat(96);
const BUSYBOX = 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';
const REDIS = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
const BE178 = 'sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912';
const HEX64 = '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a';
const HEX63 = 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9';
const A127 = 'a/'.repeat(127) + 'a'; // 255 characters: the longest path

interface ValidCase {
  input: string;
  /** formatReference: the fully qualified form. */
  full: string;
  /** formatFamiliarReference: what `docker images` shows. */
  familiar: string;
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
}

const hub = (path: string, tag?: string, digest?: string): Pick<ValidCase, 'domain' | 'path' | 'tag' | 'digest'> => ({ domain: 'docker.io', path, tag, digest });
const at = (domain: string, path: string, tag?: string, digest?: string): Pick<ValidCase, 'domain' | 'path' | 'tag' | 'digest'> => ({ domain, path, tag, digest });

const valid: ValidCase[] = [
  // The docker CLI's normalization.
  { input: 'nginx', full: 'docker.io/library/nginx', familiar: 'nginx', ...hub('library/nginx') },
  { input: 'nginx:1.27', full: 'docker.io/library/nginx:1.27', familiar: 'nginx:1.27', ...hub('library/nginx', '1.27') },
  { input: 'library/nginx', full: 'docker.io/library/nginx', familiar: 'nginx', ...hub('library/nginx') },
  { input: 'docker.io/nginx', full: 'docker.io/library/nginx', familiar: 'nginx', ...hub('library/nginx') },
  { input: 'index.docker.io/library/nginx:1', full: 'docker.io/library/nginx:1', familiar: 'nginx:1', ...hub('library/nginx', '1') },
  { input: 'user/app', full: 'docker.io/user/app', familiar: 'user/app', ...hub('user/app') },
  { input: 'localhost/app', full: 'localhost/app', familiar: 'localhost/app', ...at('localhost', 'app') },
  { input: 'localhost:5000/team/app:dev', full: 'localhost:5000/team/app:dev', familiar: 'localhost:5000/team/app:dev', ...at('localhost:5000', 'team/app', 'dev') },
  { input: '127.0.0.1:5000/app', full: '127.0.0.1:5000/app', familiar: '127.0.0.1:5000/app', ...at('127.0.0.1:5000', 'app') },
  { input: '[::1]:5000/app:1', full: '[::1]:5000/app:1', familiar: '[::1]:5000/app:1', ...at('[::1]:5000', 'app', '1') },
  { input: 'ghcr.io/org/repo/sub:v1.2.3', full: 'ghcr.io/org/repo/sub:v1.2.3', familiar: 'ghcr.io/org/repo/sub:v1.2.3', ...at('ghcr.io', 'org/repo/sub', 'v1.2.3') },
  { input: `nginx@${SHA}`, full: `docker.io/library/nginx@${SHA}`, familiar: `nginx@${SHA}`, ...hub('library/nginx', undefined, SHA) },
  { input: `host:5000/app:1.2@${SHA}`, full: `host:5000/app:1.2@${SHA}`, familiar: `host:5000/app:1.2@${SHA}`, ...at('host:5000', 'app', '1.2', SHA) },
  { input: 'a_b__c-d---e.f', full: 'docker.io/library/a_b__c-d---e.f', familiar: 'a_b__c-d---e.f', ...hub('library/a_b__c-d---e.f') },
  { input: 'a_b/x', full: 'docker.io/a_b/x', familiar: 'a_b/x', ...hub('a_b/x') },
  { input: 'Foo/bar', full: 'Foo/bar', familiar: 'Foo/bar', ...at('Foo', 'bar') },
  { input: 'app:' + 'x'.repeat(128), full: 'docker.io/library/app:' + 'x'.repeat(128), familiar: 'app:' + 'x'.repeat(128), ...hub('library/app', 'x'.repeat(128)) },
  { input: '  nginx:1  ', full: 'docker.io/library/nginx:1', familiar: 'nginx:1', ...hub('library/nginx', '1') },
  { input: `app:2@${SHA384}`, full: `docker.io/library/app:2@${SHA384}`, familiar: `app:2@${SHA384}`, ...hub('library/app', '2', SHA384) },

  // reference_test.go, TestReferenceParse.
  { input: 'test_com', full: 'docker.io/library/test_com', familiar: 'test_com', ...hub('library/test_com') },
  { input: 'test.com:tag', full: 'docker.io/library/test.com:tag', familiar: 'test.com:tag', ...hub('library/test.com', 'tag') },
  { input: 'test.com:5000', full: 'docker.io/library/test.com:5000', familiar: 'test.com:5000', ...hub('library/test.com', '5000') },
  { input: 'test.com/repo:tag', full: 'test.com/repo:tag', familiar: 'test.com/repo:tag', ...at('test.com', 'repo', 'tag') },
  { input: 'test:5000/repo', full: 'test:5000/repo', familiar: 'test:5000/repo', ...at('test:5000', 'repo') },
  { input: `test:5000/repo@${FFF}`, full: `test:5000/repo@${FFF}`, familiar: `test:5000/repo@${FFF}`, ...at('test:5000', 'repo', undefined, FFF) },
  { input: `test:5000/repo:tag@${FFF}`, full: `test:5000/repo:tag@${FFF}`, familiar: `test:5000/repo:tag@${FFF}`, ...at('test:5000', 'repo', 'tag', FFF) },
  { input: 'lowercase:Uppercase', full: 'docker.io/library/lowercase:Uppercase', familiar: 'lowercase:Uppercase', ...hub('library/lowercase', 'Uppercase') },
  // Distribution reads the first "a" as a domain; the docker CLI does not (no ".", ":", uppercase).
  { input: `${A127}:tag-puts-this-over-max`, full: `docker.io/${A127}:tag-puts-this-over-max`, familiar: `${A127}:tag-puts-this-over-max`, ...hub(A127, 'tag-puts-this-over-max') },
  { input: 'example.com/' + 'a'.repeat(255) + ':tag', full: 'example.com/' + 'a'.repeat(255) + ':tag', familiar: 'example.com/' + 'a'.repeat(255) + ':tag', ...at('example.com', 'a'.repeat(255), 'tag') },
  { input: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', full: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', familiar: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', ...at('sub-dom1.foo.com', 'bar/baz/quux', 'some-long-tag') },
  { input: 'b.gcr.io/test.example.com/my-app:test.example.com', full: 'b.gcr.io/test.example.com/my-app:test.example.com', familiar: 'b.gcr.io/test.example.com/my-app:test.example.com', ...at('b.gcr.io', 'test.example.com/my-app', 'test.example.com') },
  { input: 'xn--n3h.com/myimage:xn--n3h.com', full: 'xn--n3h.com/myimage:xn--n3h.com', familiar: 'xn--n3h.com/myimage:xn--n3h.com', ...at('xn--n3h.com', 'myimage', 'xn--n3h.com') },
  { input: `xn--7o8h.com/myimage:xn--7o8h.com@${SHA512}`, full: `xn--7o8h.com/myimage:xn--7o8h.com@${SHA512}`, familiar: `xn--7o8h.com/myimage:xn--7o8h.com@${SHA512}`, ...at('xn--7o8h.com', 'myimage', 'xn--7o8h.com', SHA512) },
  { input: 'foo_bar.com:8080', full: 'docker.io/library/foo_bar.com:8080', familiar: 'foo_bar.com:8080', ...hub('library/foo_bar.com', '8080') },
  { input: 'foo/foo_bar.com:8080', full: 'docker.io/foo/foo_bar.com:8080', familiar: 'foo/foo_bar.com:8080', ...hub('foo/foo_bar.com', '8080') },
  { input: '192.168.1.1', full: 'docker.io/library/192.168.1.1', familiar: '192.168.1.1', ...hub('library/192.168.1.1') },
  { input: '192.168.1.1:5000', full: 'docker.io/library/192.168.1.1:5000', familiar: '192.168.1.1:5000', ...hub('library/192.168.1.1', '5000') },
  { input: '192.168.1.1/repo', full: '192.168.1.1/repo', familiar: '192.168.1.1/repo', ...at('192.168.1.1', 'repo') },
  { input: '192.168.1.1:5000/repo:5050', full: '192.168.1.1:5000/repo:5050', familiar: '192.168.1.1:5000/repo:5050', ...at('192.168.1.1:5000', 'repo', '5050') },
  { input: '[2001:db8::1]/repo', full: '[2001:db8::1]/repo', familiar: '[2001:db8::1]/repo', ...at('[2001:db8::1]', 'repo') },
  { input: '[2001:db8:1:2:3:4:5:6]/repo:tag', full: '[2001:db8:1:2:3:4:5:6]/repo:tag', familiar: '[2001:db8:1:2:3:4:5:6]/repo:tag', ...at('[2001:db8:1:2:3:4:5:6]', 'repo', 'tag') },
  { input: `[2001:db8::1]:5000/repo:tag@${FFF}`, full: `[2001:db8::1]:5000/repo:tag@${FFF}`, familiar: `[2001:db8::1]:5000/repo:tag@${FFF}`, ...at('[2001:db8::1]:5000', 'repo', 'tag', FFF) },
  { input: '[2001:db8::]:5000/repo', full: '[2001:db8::]:5000/repo', familiar: '[2001:db8::]:5000/repo', ...at('[2001:db8::]:5000', 'repo') },

  // normalize_test.go, TestValidateReferenceName and TestValidateRemoteName.
  { input: 'docker.io/library/debian', full: 'docker.io/library/debian', familiar: 'debian', ...hub('library/debian') },
  { input: 'index.docker.io/docker/docker', full: 'docker.io/docker/docker', familiar: 'docker/docker', ...hub('docker/docker') },
  { input: '192.168.0.1:8/debian', full: '192.168.0.1:8/debian', familiar: '192.168.0.1:8/debian', ...at('192.168.0.1:8', 'debian') },
  { input: '[fc00:1:2:3:4:5:6:7]:5000/library/debian', full: '[fc00:1:2:3:4:5:6:7]:5000/library/debian', familiar: '[fc00:1:2:3:4:5:6:7]:5000/library/debian', ...at('[fc00:1:2:3:4:5:6:7]:5000', 'library/debian') },
  { input: 'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', full: 'docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', familiar: 'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', ...hub('library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev') },
  // With a host, 64 hex digits are a name; the familiar form is then the bare hex, as in docker.
  { input: `docker.io/${HEX64}`, full: `docker.io/library/${HEX64}`, familiar: HEX64, ...hub(`library/${HEX64}`) },
  { input: `${HEX64}:tag`, full: `docker.io/library/${HEX64}:tag`, familiar: `${HEX64}:tag`, ...hub(`library/${HEX64}`, 'tag') },
  { input: 'DOCKER/docker', full: 'DOCKER/docker', familiar: 'DOCKER/docker', ...at('DOCKER', 'docker') },
  { input: 'docker---rules/docker', full: 'docker.io/docker---rules/docker', familiar: 'docker---rules/docker', ...hub('docker---rules/docker') },
  { input: 'd/docker', full: 'docker.io/d/docker', familiar: 'd/docker', ...hub('d/docker') },
  { input: 'jess/t', full: 'docker.io/jess/t', familiar: 'jess/t', ...hub('jess/t') },
  { input: 'dock__er/docker', full: 'docker.io/dock__er/docker', familiar: 'dock__er/docker', ...hub('dock__er/docker') },

  // normalize_test.go, TestParseRepositoryInfo and TestParseReferenceWithTagAndDigest.
  { input: 'index.docker.io/fooo/bar', full: 'docker.io/fooo/bar', familiar: 'fooo/bar', ...hub('fooo/bar') },
  { input: 'other/library', full: 'docker.io/other/library', familiar: 'other/library', ...hub('other/library') },
  { input: '127.0.0.1:8000/privatebase', full: '127.0.0.1:8000/privatebase', familiar: '127.0.0.1:8000/privatebase', ...at('127.0.0.1:8000', 'privatebase') },
  { input: 'example.com:8000/private/moonbase', full: 'example.com:8000/private/moonbase', familiar: 'example.com:8000/private/moonbase', ...at('example.com:8000', 'private/moonbase') },
  { input: 'index.docker.io/library/ubuntu-12.04-base', full: 'docker.io/library/ubuntu-12.04-base', familiar: 'ubuntu-12.04-base', ...hub('library/ubuntu-12.04-base') },
  // familiarizeName drops "library/" only from single-component names.
  { input: 'docker.io/library/foo/bar', full: 'docker.io/library/foo/bar', familiar: 'library/foo/bar', ...hub('library/foo/bar') },
  { input: 'store/foo/bar', full: 'docker.io/store/foo/bar', familiar: 'store/foo/bar', ...hub('store/foo/bar') },
  { input: 'FOO/bar', full: 'FOO/bar', familiar: 'FOO/bar', ...at('FOO', 'bar') },
  { input: `busybox:latest@${BUSYBOX}`, full: `docker.io/library/busybox:latest@${BUSYBOX}`, familiar: `busybox:latest@${BUSYBOX}`, ...hub('library/busybox', 'latest', BUSYBOX) },

  // normalize_test.go, TestParseAnyReference and TestNormalizedSplitHostname.
  { input: `redis@${REDIS}`, full: `docker.io/library/redis@${REDIS}`, familiar: `redis@${REDIS}`, ...hub('library/redis', undefined, REDIS) },
  { input: `dmcgowan/myapp@${REDIS}`, full: `docker.io/dmcgowan/myapp@${REDIS}`, familiar: `dmcgowan/myapp@${REDIS}`, ...hub('dmcgowan/myapp', undefined, REDIS) },
  { input: HEX63, full: `docker.io/library/${HEX63}`, familiar: HEX63, ...hub(`library/${HEX63}`) },
  { input: 'dbcc1', full: 'docker.io/library/dbcc1', familiar: 'dbcc1', ...hub('library/dbcc1') },
  { input: 'test-com:8080/foo', full: 'test-com:8080/foo', familiar: 'test-com:8080/foo', ...at('test-com:8080', 'foo') },
  { input: 'xn--n3h.com:18080/foo', full: 'xn--n3h.com:18080/foo', familiar: 'xn--n3h.com:18080/foo', ...at('xn--n3h.com:18080', 'foo') },

  // regexp_test.go, TestFullNameRegexp, TestReferenceRegexp and TestDomainRegexp.
  { input: 'registry.io/foo/project--id.module--name.ver---sion--name', full: 'registry.io/foo/project--id.module--name.ver---sion--name', familiar: 'registry.io/foo/project--id.module--name.ver---sion--name', ...at('registry.io', 'foo/project--id.module--name.ver---sion--name') },
  { input: 'Asdf.com/foo/bar', full: 'Asdf.com/foo/bar', familiar: 'Asdf.com/foo/bar', ...at('Asdf.com', 'foo/bar') },
  { input: 'example.com/some_separator__underscore/myimage', full: 'example.com/some_separator__underscore/myimage', familiar: 'example.com/some_separator__underscore/myimage', ...at('example.com', 'some_separator__underscore/myimage') },
  // "localhost" without "/" is a name, and 8080 its tag.
  { input: `localhost:8080@${BE178}`, full: `docker.io/library/localhost:8080@${BE178}`, familiar: `localhost:8080@${BE178}`, ...hub('library/localhost', '8080', BE178) },
  { input: `localhost@${BE178}`, full: `docker.io/library/localhost@${BE178}`, familiar: `localhost@${BE178}`, ...hub('library/localhost', undefined, BE178) },
  { input: `localhost:8080/name@${BE178}`, full: `localhost:8080/name@${BE178}`, familiar: `localhost:8080/name@${BE178}`, ...at('localhost:8080', 'name', undefined, BE178) },
  { input: 'a/a/a/a', full: 'docker.io/a/a/a/a', familiar: 'a/a/a/a', ...hub('a/a/a/a') },
  { input: '0101.com/app', full: '0101.com/app', familiar: '0101.com/app', ...at('0101.com', 'app') },
  // The grammar does not range-check ports; the engine fails later, on connecting.
  { input: '192.168.1.1:75050/app', full: '192.168.1.1:75050/app', familiar: '192.168.1.1:75050/app', ...at('192.168.1.1:75050', 'app') },
];

describe('parseReference: valid', () => {
  for (const c of valid) {
    test(c.input.length > 60 ? c.input.slice(0, 60) + '…' : c.input, () => {
      const ref = parseReference(c.input);
      const expected: ImageReference = { domain: c.domain, path: c.path };
      if (c.tag !== undefined) expected.tag = c.tag;
      if (c.digest !== undefined) expected.digest = c.digest;
      assert.deepEqual(ref, expected);
      assert.equal(formatReference(ref), c.full);
      assert.equal(formatFamiliarReference(ref), c.familiar);
      assert.equal(repositoryName(ref), `${c.domain}/${c.path}`);
      // Both forms parse back to the same reference, except a familiar form that is a bare
      // 64-digit hex string: docker, too, reads that as an image ID.
      assert.deepEqual(parseReference(c.full), ref);
      if (!/^[a-f0-9]{64}$/.test(c.familiar)) assert.deepEqual(parseReference(c.familiar), ref);
    });
  }

  test('withDefaultTag adds latest only when there is neither tag nor digest', () => {
    assert.equal(formatReference(withDefaultTag(parseReference('nginx'))), 'docker.io/library/nginx:latest');
    assert.equal(formatReference(withDefaultTag(parseReference('user/app'))), 'docker.io/user/app:latest');
    assert.equal(formatReference(withDefaultTag(parseReference('nginx:1'))), 'docker.io/library/nginx:1');
    assert.equal(withDefaultTag(parseReference(`nginx@${SHA}`)).tag, undefined);
  });

  test('familiarRepositoryName', () => {
    assert.equal(familiarRepositoryName(parseReference('docker.io/library/nginx:1')), 'nginx');
    assert.equal(familiarRepositoryName(parseReference('library/foo/bar')), 'library/foo/bar');
    assert.equal(familiarRepositoryName(parseReference('localhost:5000/app')), 'localhost:5000/app');
  });
});

// Each pattern quotes the bad part as the message does.
const invalid: Array<[string, RegExp]> = [
  // Empty, white space, missing parts.
  ['', /it is empty/],
  ['   ', /it is empty/],
  ['nginx latest', /white space/],
  ['nginx\tlatest', /white space/],
  [':tag', /the repository name before ":tag" is missing/],
  ['app:', /the tag after ":" is missing/],
  ['app@', /the digest after "@" is missing/],
  ['/app', /empty component/],
  ['app/', /empty component/],
  ['a//b', /empty component/],

  // Uppercase belongs only in the host.
  ['Nginx', /the path component "Nginx" must be lowercase/],
  ['user/App', /the path component "App" must be lowercase/],

  // Separators.
  ['-app', /the path component "-app" must start with a letter or digit/],
  ['app-', /the path component "app-" must end with a letter or digit/],
  ['a__b___c', /the path component "a__b___c" has "___"/],
  ['a..b/c', /the registry host "a\.\.b" is not a valid host name/],
  ['a_b.c/x', /the registry host "a_b\.c" is not a valid host name/],

  // Lengths.
  ['x/' + 'a'.repeat(260), /the repository path "x\/a{35}\.\.\." is 262 characters long \(at most 255\)/],
  ['a'.repeat(250), /the repository path "library\/a{29}\.\.\." is 258 characters long \(at most 255\)/], // library/ counts
  ['app:' + 'x'.repeat(129), /the tag "x{37}\.\.\." is 129 characters long \(at most 128\)/],

  // Tags.
  ['app:-bad', /the tag "-bad" must start with a letter, digit or "_"/],
  ['app:.x', /the tag "\.x" must start/],

  // Digests.
  ['app@sha256:abc', /the digest "sha256:abc" has 3 hex digits; sha256 needs exactly 64/],
  ['app@sha256:' + 'C'.repeat(64), /the digest "sha256:C{30}\.\.\." must be in lowercase hex/],
  ['app@sha256:' + 'g'.repeat(64), /the digest "sha256:g{30}\.\.\." must be sha256: and 64 hex digits/],
  ['app@sha512:' + 'f'.repeat(64), /has 64 hex digits; sha512 needs exactly 128/],
  ['app@md5', /the digest "md5" is not algorithm:hex/],
  ['app@md5:' + 'f'.repeat(32), /the digest "md5:f{32}" uses the algorithm "md5"; the engine knows only sha256, sha384 and sha512/],
  [HEX64, /"1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a": a bare 64-digit hex string is an image ID/],

  // reference_test.go, TestReferenceParse.
  [`@${FFF}`, /the repository name before "@" is missing/],
  ['repo@sha256:' + 'f'.repeat(34), /has 34 hex digits; sha256 needs exactly 64/],
  [`validname@invaliddigest:${'f'.repeat(64)}`, /uses the algorithm "invaliddigest"/],
  ['Uppercase:tag', /the path component "Uppercase" must be lowercase/],
  ['test:5000/Uppercase/lowercase:tag', /the path component "Uppercase" must be lowercase/],
  ['domain/' + 'a'.repeat(256) + ':tag', /the repository path "domain\/a{30}\.\.\." is 263 characters long \(at most 255\)/],
  ['aa/asdf$$^/aa', /the path component "asdf\$\$\^" contains "\$"/],
  ['[2001:db8::1]', /"\[2001:db8::1\]" is only a registry host; add "\/" and a repository path/],
  ['[2001:db8::1]:5000', /"\[2001:db8::1\]:5000" is only a registry host/],
  ['[2001:db8::1]:tag', /"\[2001:db8::1\]:tag" is only a registry host/],
  ['[fe80::1%eth0]:5000/repo', /the registry host "\[fe80::1%eth0\]:5000" is not a valid host name/],
  ['[fe80::1%@invalidzone]:5000/repo', /the digest "invalidzone\]:5000\/repo" is not algorithm:hex/],

  // normalize_test.go, TestValidateReferenceName and TestValidateRemoteName.
  ['https://github.com/docker/docker', /leave out "https:\/\/"/],
  ['docker/Docker', /the path component "Docker" must be lowercase/],
  ['-docker', /the path component "-docker" must start/],
  ['-docker.io/docker/docker', /the registry host "-docker\.io" is not a valid host name/],
  ['docker///docker', /empty component/],
  ['docker.io/docker/Docker', /the path component "Docker" must be lowercase/],
  ['[fc00::1]:5000', /"\[fc00::1\]:5000" is only a registry host/],
  ['fc00::1:5000/debian', /the registry host "fc00::1:5000" looks like an IPv6 address; write it in brackets/],
  ['[2001:db8:3:4::192.0.2.33]:5000/debian', /the registry host "\[2001:db8:3:4::192\.0\.2\.33\]:5000" is not a valid/],
  ['docker-/docker', /the path component "docker-" must end/],
  ['-docker-/docker', /the path component "-docker-" must start/],
  ['____/____', /the path component "____" must start/],
  ['_docker/_docker', /the path component "_docker" must start/],
  // A first component with "." is a host to the docker CLI, so these fail as hosts; the same
  // components further down the path fail as path components.
  ['dock..er/docker', /the registry host "dock\.\.er" is not a valid host name/],
  ['dock_.er/docker', /the registry host "dock_\.er" is not a valid host name/],
  ['dock-.er/docker', /the registry host "dock-\.er" is not a valid host name/],
  ['docker/dock..er', /the path component "dock\.\.er" has "\.\."/],
  ['docker/dock_.er', /the path component "dock_\.er" has "_\."/],
  ['docker/dock-.er', /the path component "dock-\.er" has "-\."/],
  ['docker/', /empty component/],
  ['this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker', /the repository path "this_is_not_a_valid_namespace_because\.\.\." is 278 characters long \(at most 255\)/],

  // regexp_test.go.
  ['test.com:http/bar', /the registry port "http" in "test\.com:http" must be a number/],
  ['a//a/a', /empty component/],
  ['a/a/a/a/', /empty component/],
  ['example.com/__underscore/myimage', /the path component "__underscore" must start/],
  ['example.com/.dots/myimage', /the path component "\.dots" must start/],
  ['example.com/nodouble..dots/myimage', /the path component "nodouble\.\.dots" has "\.\."/],
  ['docker./docker', /the registry host "docker\." is not a valid host name/],
  ['do__cker:8080/docker', /the registry host "do__cker:8080" is not a valid host name/],
  ['bad_hostname.com:8080/myapp:tag', /the registry host "bad_hostname\.com:8080"/],
  ['ab-.com/app', /the registry host "ab-\.com"/],
  ['[fd00:1:2::3]75050/app', /the registry host "\[fd00:1:2::3\]75050"/],
  [`registry.com:8080/myapp@sha256:badbadbadbad`, /the digest "sha256:badbadbadbad" has 12 hex digits/],
  ['registry.com:8080/myapp:invalid~tag', /the tag "invalid~tag" contains "~"/],
  // An emoji is quoted whole, never as half a surrogate pair.
  ['team/b\u{1F600}c', /the path component "b\u{1F600}c" contains "\u{1F600}";/u],
  ['app:v\u{1F600}', /the tag "v\u{1F600}" contains "\u{1F600}";/u],
  ['registry.com:8080/myapp@bad', /the digest "bad" is not algorithm:hex/],
  ['registry.com:8080/myapp@2bad', /the digest "2bad" is not algorithm:hex/],
  ['Foo/FarB', /the path component "FarB" must be lowercase/],
  ['7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A50652D64AEC573905F2DB5889A1C', /the path component "7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A5\.\.\." must be lowercase/],
];

describe('parseReference: invalid, with the bad part quoted', () => {
  for (const [input, reason] of invalid) {
    test(JSON.stringify(input.length > 40 ? input.slice(0, 40) + '…' : input), () => {
      assert.throws(
        () => parseReference(input),
        (error: unknown) => {
          assert.ok(error instanceof ImageReferenceError, `not a ImageReferenceError: ${String(error)}`);
          assert.match(error.message, /^Invalid image reference "[^\n]*": [^\n]+\.$/);
          assert.match(error.message, reason);
          assert.equal(error.input, input);
          return true;
        },
      );
    });
  }

  test('messages read as one sentence for an input box', () => {
    assert.throws(() => parseReference('Nginx:1'), { message: 'Invalid image reference "Nginx:1": the path component "Nginx" must be lowercase.' });
    assert.throws(() => parseReference('nginx:'), { message: 'Invalid image reference "nginx:": the tag after ":" is missing; write a tag such as :latest, or leave out the ":".' });
  });

  test('a long input is shortened in the message but kept whole on the error', () => {
    const input = 'x/' + 'a'.repeat(300);
    assert.throws(() => parseReference(input), (error: unknown) => error instanceof ImageReferenceError && error.input === input && error.message.startsWith(`Invalid image reference "x/${'a'.repeat(75)}...": `));
  });
});

test('there are at least 60 cases', () => {
  assert.ok(valid.length + invalid.length >= 60, `${valid.length} + ${invalid.length}`);
});
