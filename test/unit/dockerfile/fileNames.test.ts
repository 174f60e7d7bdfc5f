// The one rule for "is this a Dockerfile" (src/dockerfile/fileNames.ts), and the selector glob
// checked with picomatch (an independent glob engine) to catch at least every name the rule
// accepts, in any case.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import picomatch from 'picomatch';
import { DOCKERFILE_GLOB, isDockerfileDocument, isDockerfileName } from '../../../src/dockerfile/fileNames';

describe('isDockerfileName', () => {
  const names: [string, boolean][] = [
    ['Dockerfile', true],
    ['dockerfile', true],
    ['DOCKERFILE', true],
    ['Containerfile', true],
    ['app.Dockerfile', true],
    ['build.dockerfile', true],
    ['Dockerfile.prod', true],
    ['Dockerfile.dev.arm64', true],
    ['Dockerfile.txt', true],
    ['Containerfile.fedora', true],
    ['base.Containerfile', true],
    ['/home/me/project/docker/Dockerfile', true],
    ['C:\\work\\app\\api.Dockerfile', true],
    ['.dockerignore', false],
    ['Dockerfile.dockerignore', false],
    ['app.Dockerfile.dockerignore', false],
    ['docker-compose.yml', false],
    ['Dockerfiles', false],
    ['MyDockerfile', false],
    ['notes.md', false],
    ['.dockerfile', false],
    ['', false],
    ['DockerFile.Prod', true],
    ['APP.CONTAINERFILE', true],
    ['Containerfile.DockerIgnore', false],
  ];
  for (const [name, expected] of names) {
    test(`${JSON.stringify(name)} ${expected ? 'is' : 'is not'} a Dockerfile`, () => assert.equal(isDockerfileName(name), expected));
  }

  test('the glob catches every name the rule accepts, in any case, at any depth (VS Code globs are case-sensitive)', () => {
    const matches = picomatch(DOCKERFILE_GLOB);
    for (const [name, expected] of names) {
      const base = name.split(/[\\/]/).pop()!;
      if (!expected) continue;
      assert.ok(matches(base), `${base} at the root`);
      assert.ok(matches(`deep/down/${base}`), `${base} in a folder`);
    }
    assert.ok(!matches('docker-compose.yml') && !matches('notes.md') && !matches('MyDockerfile'));
  });
});

describe('isDockerfileDocument', () => {
  test('the language dockerfile counts, except for an ignore file', () => {
    assert.equal(isDockerfileDocument('dockerfile', '/w/build/recipe'), true);
    assert.equal(isDockerfileDocument('plaintext', '/w/DOCKERFILE'), true);
    assert.equal(isDockerfileDocument('dockerfile', '/w/Dockerfile.dockerignore'), false);
    assert.equal(isDockerfileDocument('ignore', '/w/.dockerignore'), false);
    assert.equal(isDockerfileDocument('yaml', '/w/compose.yaml'), false);
  });
});
