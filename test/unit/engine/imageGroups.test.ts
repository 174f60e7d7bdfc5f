import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findTag, groupImages, registryDigest } from '../../../src/engine/imageGroups';
import { type LocalImage, toLocalImages } from '../../../src/engine/images';

const DIGEST_A = 'sha256:' + 'a'.repeat(64);
let serial = 0;
function image(overrides: Partial<LocalImage>): LocalImage {
  serial++;
  return { id: `sha256:${serial.toString(16).padStart(64, '0')}`, repoTags: [], repoDigests: [], created: 1_700_000_000_000 + serial, size: 1000, labels: {}, containers: [], ...overrides };
}

describe('groupImages', () => {
  test('groups tags by repository, shows docker.io names in their familiar form', () => {
    const nginx = image({ repoTags: ['nginx:1.27', 'nginx:latest'] });
    const podmanNginx = image({ repoTags: ['docker.io/library/nginx:1.26'], created: 1 });
    const app = image({ repoTags: ['localhost:5000/team/app:1', 'user/tool:2'] });
    const groups = groupImages([nginx, podmanNginx, app]);
    assert.deepEqual(groups.repositories.map((g) => [g.label, g.repository, g.tags.map((t) => t.tag)]), [
      ['localhost:5000/team/app', 'localhost:5000/team/app', ['1']],
      ['nginx', 'docker.io/library/nginx', ['1.27', '1.26', 'latest']],
      ['user/tool', 'docker.io/user/tool', ['2']],
    ]);
    assert.equal(groups.repositories[1]!.tags[1]!.familiar, 'nginx:1.26');
    assert.equal(groups.repositories[1]!.tags[1]!.reference, 'docker.io/library/nginx:1.26');
    assert.equal(groups.imageCount, 3);
  });

  test('an image with neither tag nor digest is dangling; one with a digest only stays under its repository', () => {
    const dangling = image({});
    const byDigest = image({ repoDigests: [`alpine@${DIGEST_A}`] });
    const groups = groupImages([dangling, byDigest]);
    assert.deepEqual(groups.dangling, [dangling]);
    assert.equal(groups.repositories.length, 1);
    assert.equal(groups.repositories[0]!.label, 'alpine');
    assert.deepEqual(groups.repositories[0]!.untagged.map((u) => u.digest), [DIGEST_A]);
  });

  test('a digest of a repository the image is also tagged in is not listed twice', () => {
    const groups = groupImages([image({ repoTags: ['alpine:3'], repoDigests: [`alpine@${DIGEST_A}`] })]);
    assert.equal(groups.repositories[0]!.untagged.length, 0);
    assert.equal(groups.repositories[0]!.tags.length, 1);
  });

  test('tags in the Registries view\'s order: newest version first whatever the build date, then latest, then the rest', () => {
    const rebuilt = image({ repoTags: ['app:1.9'], created: 9000 });
    const old = image({ repoTags: ['app:1.10', 'app:dev'], created: 1000 });
    const newer = image({ repoTags: ['app:2.0', 'app:2.0-rc1'], created: 5000 });
    const latest = image({ repoTags: ['app:latest'], created: 10 });
    const tags = groupImages([rebuilt, old, newer, latest]).repositories[0]!.tags.map((t) => t.tag);
    assert.deepEqual(tags, ['2.0', '2.0-rc1', '1.10', '1.9', 'latest', 'dev']);
  });

  test('repositories sort in natural, case-insensitive order', () => {
    const labels = groupImages([image({ repoTags: ['b:1'] }), image({ repoTags: ['a10:1'] }), image({ repoTags: ['a9:1'] })]).repositories.map((g) => g.label);
    assert.deepEqual(labels, ['a9', 'a10', 'b']);
  });

  test('a name the parser refuses is still shown as the engine gave it', () => {
    const groups = groupImages([image({ repoTags: ['Weird/Name:1'] })]);
    assert.equal(groups.repositories[0]!.label, 'Weird/Name');
  });

  test('an empty engine', () => {
    assert.deepEqual(groupImages([]), { repositories: [], dangling: [], imageCount: 0 });
  });

  test('2,000 tags of one repository', () => {
    const many = image({ repoTags: Array.from({ length: 2000 }, (_, i) => `bench/many:t${i}`) });
    const groups = groupImages([many]);
    assert.equal(groups.repositories[0]!.tags.length, 2000);
    assert.equal(groups.repositories[0]!.tags[0]!.tag, 't1999');
  });

  test('findTag by engine reference or familiar form', () => {
    const groups = groupImages([image({ repoTags: ['docker.io/library/redis:7'] })]);
    assert.equal(findTag(groups, 'redis:7')?.tag, '7');
    assert.equal(findTag(groups, 'docker.io/library/redis:7')?.tag, '7');
    assert.equal(findTag(groups, 'redis:8'), undefined);
  });
});

describe('registryDigest', () => {
  const pushed = image({ repoTags: ['localhost:5000/app:1', 'app:1'], repoDigests: [`localhost:5000/app@${DIGEST_A}`] });
  test('the digest of the tag’s own repository', () => {
    assert.equal(registryDigest(pushed, 'localhost:5000/app:1'), DIGEST_A);
  });
  test('none for a repository the image was never pushed to', () => {
    assert.equal(registryDigest(pushed, 'app:1'), undefined);
  });
  test('matches familiar and full names alike', () => {
    const hub = image({ repoTags: ['nginx:1'], repoDigests: [`docker.io/library/nginx@${DIGEST_A}`] });
    assert.equal(registryDigest(hub, 'nginx:1'), DIGEST_A);
  });
  test('a digest reference is its own digest', () => {
    assert.equal(registryDigest(pushed, `localhost:5000/app@${DIGEST_A}`), DIGEST_A);
  });
});

describe('toLocalImages', () => {
  test('drops <none> placeholders, converts seconds, and attaches containers', () => {
    const images = toLocalImages(
      [
        { Id: 'sha256:1', RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'], Created: 1700000000, Size: 5, Labels: null },
        { Id: 'sha256:2', RepoTags: null, RepoDigests: null, Created: 1, Size: 6 },
      ],
      [
        { Id: 'c1', Names: ['/web'], ImageID: 'sha256:1', State: 'running' },
        { Id: 'c2abcdef0123456789', Names: null, ImageID: 'sha256:1', State: 'exited' },
        { Id: 'c3', ImageID: 'sha256:gone' },
      ],
    );
    assert.deepEqual(images[0]!.repoTags, []);
    assert.deepEqual(images[0]!.repoDigests, []);
    assert.equal(images[0]!.created, 1700000000000);
    assert.deepEqual(images[0]!.containers, [
      { id: 'c1', name: 'web', state: 'running' },
      { id: 'c2abcdef0123456789', name: 'c2abcdef0123', state: 'exited' },
    ]);
    assert.deepEqual(images[1]!.containers, []);
    assert.deepEqual(images[1]!.labels, {});
  });
});
