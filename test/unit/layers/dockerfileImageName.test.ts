// Which tag the "Layers of" lens names, for an image with several (the case: the
// classic fixture tagged for a registry first, named after another repository).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameForDockerfile, nameHints } from '../../../src/layers/dockerfileImageName';

const classic = {
  id: 'sha256:classic',
  repoTags: ['127.0.0.1:35633/team/app:1.0', 'layerlens-test/app:1.0', 'layerlens-test/app:latest', 'localhost:5000/team/app:dev', 'layerlens-test/classic:1'],
};

test('the file\'s own word and its folder are the hints, generic folders left out', () => {
  assert.deepEqual(nameHints('/w/test/fixtures/classic.Dockerfile'), ['classic', 'fixtures']);
  assert.deepEqual(nameHints('/w/services/api/Dockerfile'), ['api']);
  assert.deepEqual(nameHints('/w/Dockerfile.worker'), ['worker', 'w']);
  assert.deepEqual(nameHints('C:\\w\\docker\\Dockerfile'), []);
  assert.deepEqual(nameHints('/w/BUILD.DOCKERFILE'), ['build', 'w']);
});

test('classic.Dockerfile names layerlens-test/classic:1, not the first tag the engine lists', () => {
  assert.deepEqual(nameForDockerfile([classic], '/repo/test/fixtures/classic.Dockerfile'), { id: 'sha256:classic', name: 'layerlens-test/classic:1' });
});

test('a folder names the repository: services/app/Dockerfile names an app tag, the plainest and newest version', () => {
  assert.deepEqual(nameForDockerfile([classic], '/repo/services/app/Dockerfile')?.name, 'layerlens-test/app:1.0');
});

test('a tag can be the hint: Dockerfile.dev names the :dev tag', () => {
  assert.deepEqual(nameForDockerfile([classic], '/repo/x/Dockerfile.dev')?.name, 'localhost:5000/team/app:dev');
});

test('no hint: the newest image\'s plainest name (no registry host), newest version first', () => {
  const older = { id: 'sha256:older', repoTags: ['tool:9'] };
  assert.deepEqual(nameForDockerfile([classic, older], '/repo/Dockerfile'), { id: 'sha256:classic', name: 'layerlens-test/app:1.0' });
  assert.deepEqual(nameForDockerfile([classic, older], undefined), { id: 'sha256:classic', name: 'layerlens-test/app:1.0' });
});

test('among equally matching images, the one the file names wins over the newer one', () => {
  const newer = { id: 'sha256:newer', repoTags: ['other/thing:2'] };
  const api = { id: 'sha256:api', repoTags: ['registry.example.com/team/api:3'] };
  assert.deepEqual(nameForDockerfile([newer, api], '/repo/api/Dockerfile'), { id: 'sha256:api', name: 'registry.example.com/team/api:3' });
});

test('untagged images give no name (the caller falls back to a digest or the ID)', () => {
  assert.equal(nameForDockerfile([{ id: 'sha256:x', repoTags: [] }], '/repo/Dockerfile'), undefined);
});
