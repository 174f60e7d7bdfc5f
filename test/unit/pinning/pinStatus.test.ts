// pinStatus and platformsOf over a DigestResolver whose registry is a fake fetch. The
// PinnableImage values are built by hand (the parser is tested on its own).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type PinnableImage } from '../../../src/pinning/pinnable';
import { type PinStatus, pinStatus, platformsOf } from '../../../src/pinning/pinStatus';
import { findPlatform, parsePlatform, platformMatches } from '../../../src/image/platform';
import { type EngineDistribution } from '../../../src/image/distribution';
import { OCI_INDEX } from '../../../src/registry/manifest';
import { FakeRegistries, imageManifest, indexOf, resolverFor } from '../registry/fakeRegistries';
import { handmadeFromImage } from '../dockerfile/handmadeImage';

const image = handmadeFromImage;

function notImage(kind: PinnableImage['kind'], text: string, extra: Partial<PinnableImage> = {}): PinnableImage {
  return { site: 'from', kind, stageIndex: 1, line: 3, text, span: { start: 0, end: text.length }, unresolved: [], pinTarget: { kind: 'none', reason: 'not an image' }, ...extra };
}

const amd64 = imageManifest('p-amd64', { os: 'linux', architecture: 'amd64' });
const arm64 = imageManifest('p-arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' });
const armV7 = imageManifest('p-armv7', { os: 'linux', architecture: 'arm', variant: 'v7' });
const armV6 = imageManifest('p-armv6', { os: 'linux', architecture: 'arm', variant: 'v6' });
const attestation = imageManifest('p-attest', { os: 'unknown', architecture: 'unknown' });
const multi = indexOf([
  { platform: { os: 'linux', architecture: 'amd64' }, image: amd64 },
  { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, image: arm64 },
  { platform: { os: 'linux', architecture: 'arm', variant: 'v6' }, image: armV6 },
  { platform: { os: 'linux', architecture: 'arm', variant: 'v7' }, image: armV7 },
  { platform: { os: 'unknown', architecture: 'unknown' }, image: attestation },
]);
const oldIndex = indexOf([{ platform: { os: 'linux', architecture: 'amd64' }, image: imageManifest('old-amd64') }]);
const single = imageManifest('single');
const oldSingle = imageManifest('old-single');
const GONE = `sha256:${'9'.repeat(64)}`;

function world(): FakeRegistries {
  const fake = new FakeRegistries();
  fake.put('nginx:1.27', multi);
  for (const platform of [amd64, arm64, armV7, armV6, attestation]) fake.putDigest('docker.io/library/nginx', platform);
  fake.putDigest('docker.io/library/nginx', oldIndex);
  fake.put('127.0.0.1:5000/team/app:1.0', single);
  fake.putDigest('127.0.0.1:5000/team/app', oldSingle);
  return fake;
}

async function status(text: string | PinnableImage, options: { platform?: string } = {}, fake = world()): Promise<PinStatus> {
  return pinStatus(typeof text === 'string' ? image(text) : text, resolverFor(fake), options);
}

describe('not pinnable', () => {
  test('scratch, a build stage, an invalid reference', async () => {
    assert.deepEqual(await status(notImage('scratch', 'scratch')), { kind: 'not-pinnable', message: 'scratch: nothing to pin' });
    assert.deepEqual(await status(notImage('stage', 'build')), { kind: 'not-pinnable', message: 'build stage: nothing to pin' });
    const referenceError = 'Invalid image reference "Nginx:1": the path component "Nginx" must be lowercase.';
    assert.deepEqual(await status(notImage('invalid', 'Nginx:1', { expanded: 'Nginx:1', referenceError })), { kind: 'not-pinnable', message: referenceError });
  });

  test('unresolved: each variable named, with the ARG to give a default', async () => {
    assert.deepEqual(await status(notImage('unresolved', 'golang:${GO_VERSION}', { unresolved: ['GO_VERSION'] })), {
      kind: 'not-pinnable',
      message: 'Cannot pin: ${GO_VERSION} has no value (give ARG GO_VERSION a default before the first FROM)',
    });
    assert.deepEqual(await status(notImage('unresolved', '${REGISTRY}/app:${TAG}', { unresolved: ['REGISTRY', 'TAG', 'REGISTRY'] })), {
      kind: 'not-pinnable',
      message: 'Cannot pin: ${REGISTRY} and ${TAG} have no value (give ARG REGISTRY and ARG TAG defaults before the first FROM)',
    });
  });

  test('no registry request for any of them', async () => {
    const fake = world();
    await status(notImage('scratch', 'scratch'), {}, fake);
    await status(notImage('unresolved', '${X}', { unresolved: ['X'] }), {}, fake);
    assert.equal(fake.count(), 0);
  });
});

describe('the digest chosen', () => {
  test('an index: the index digest by default', async () => {
    const result = await status('nginx:1.27');
    assert.equal(result.kind, 'unpinned');
    assert.ok(result.kind === 'unpinned');
    assert.equal(result.choice.digest, multi.digest);
    assert.equal(result.choice.kind, 'index');
    assert.deepEqual(result.choice.tag, { digest: multi.digest, mediaType: OCI_INDEX, kind: 'index', source: 'registry' });
  });

  test('a single image manifest: kind image, whatever the platform asked', async () => {
    for (const options of [{}, { platform: 'linux/arm64' }]) {
      const result = await status('127.0.0.1:5000/team/app:1.0', options);
      assert.ok(result.kind === 'unpinned');
      assert.deepEqual([result.choice.kind, result.choice.digest], ['image', single.digest]);
    }
  });

  test('options.platform: that platform\'s manifest digest (linux/arm64 matches variant v8)', async () => {
    const result = await status('nginx:1.27', { platform: 'linux/arm64' });
    assert.ok(result.kind === 'unpinned');
    assert.deepEqual([result.choice.kind, result.choice.digest, result.choice.platform], ['platform', arm64.digest, 'linux/arm64/v8']);
  });

  test('a literal --platform wins over options.platform', async () => {
    const flagged = image('nginx:1.27', { platform: { text: 'linux/arm/v7', expanded: 'linux/arm/v7', unresolved: [] } });
    const result = await status(flagged, { platform: 'linux/amd64' });
    assert.ok(result.kind === 'unpinned');
    assert.deepEqual([result.choice.kind, result.choice.digest, result.choice.platform], ['platform', armV7.digest, 'linux/arm/v7']);
  });

  test('an expanded --platform=${TARGET} (from an ARG default) counts as literal', async () => {
    const flagged = image('nginx:1.27', { platform: { text: '${TARGET}', expanded: 'linux/amd64', unresolved: [] } });
    const result = await status(flagged);
    assert.ok(result.kind === 'unpinned');
    assert.equal(result.choice.digest, amd64.digest);
  });

  test('--platform=$BUILDPLATFORM: the index digest, even with options.platform', async () => {
    const flagged = image('nginx:1.27', { platform: { text: '$BUILDPLATFORM', unresolved: ['BUILDPLATFORM'] } });
    const result = await status(flagged, { platform: 'linux/arm64' });
    assert.ok(result.kind === 'unpinned');
    assert.deepEqual([result.choice.kind, result.choice.digest], ['index', multi.digest]);
  });

  test('a platform the index lacks: an error naming it and listing the others (no attestations)', async () => {
    const flagged = image('nginx:1.27', { platform: { text: 'linux/s390x', expanded: 'linux/s390x', unresolved: [] } });
    assert.deepEqual(await status(flagged), {
      kind: 'error',
      message: 'nginx:1.27 has no linux/s390x image: its index holds linux/amd64, linux/arm64/v8, linux/arm/v6, linux/arm/v7. Change --platform to one of those.',
    });
    const viaOption = await status('nginx:1.27', { platform: 'windows/amd64' });
    assert.ok(viaOption.kind === 'error');
    assert.match(viaOption.message, /^nginx:1\.27 has no windows\/amd64 image: .*layerlens\.dockerfile\.pinPlatform/);
  });

  test('a platform that is not os/arch[/variant]', async () => {
    const result = await status('nginx:1.27', { platform: 'arm64' });
    assert.ok(result.kind === 'error');
    assert.match(result.message, /"arm64" is not os\/architecture\[\/variant\]/);
  });

  test('platformsOf: the index\'s entries for the hover; none for a single image', async () => {
    const fake = world();
    const resolver = resolverFor(fake);
    const nginx = image('nginx:1.27');
    const result = await pinStatus(nginx, resolver, {});
    assert.ok(result.kind === 'unpinned');
    assert.deepEqual((await platformsOf(nginx, result.choice, resolver)).map((p) => p.digest), [amd64.digest, arm64.digest, armV6.digest, armV7.digest, attestation.digest]);
    const app = image('127.0.0.1:5000/team/app:1.0');
    const appStatus = await pinStatus(app, resolver, {});
    assert.ok(appStatus.kind === 'unpinned');
    assert.deepEqual(await platformsOf(app, appStatus.choice, resolver), []);
  });
});

describe('platform matching, as the engine does it', () => {
  const entries = [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64' },
    { os: 'linux', architecture: 'arm', variant: 'v6' },
    { os: 'linux', architecture: 'arm', variant: 'v7' },
    { os: 'windows', architecture: 'amd64' },
  ];
  const pick = (text: string): string | undefined => {
    const wanted = parsePlatform(text);
    assert.ok(wanted, text);
    const found = findPlatform(entries, wanted);
    return found && `${found.os}/${found.architecture}${found.variant ? `/${found.variant}` : ''}`;
  };

  test('variants: arm64 is v8, arm is v7 unless said, amd64 is v1', () => {
    assert.equal(pick('linux/arm64'), 'linux/arm64');
    assert.equal(pick('linux/arm64/v8'), 'linux/arm64');
    assert.equal(pick('linux/arm/v7'), 'linux/arm/v7');
    assert.equal(pick('linux/arm/v6'), 'linux/arm/v6');
    assert.equal(pick('linux/arm'), 'linux/arm/v7');
    assert.equal(pick('linux/amd64'), 'linux/amd64');
    assert.equal(pick('linux/amd64/v1'), 'linux/amd64');
    assert.equal(pick('linux/amd64/v3'), undefined);
    assert.equal(pick('linux/arm/v5'), undefined);
    assert.equal(pick('windows/amd64'), 'windows/amd64');
    assert.equal(pick('linux/riscv64'), undefined);
  });

  test('aliases and case: aarch64, x86_64, armhf, LINUX', () => {
    assert.equal(pick('linux/aarch64'), 'linux/arm64');
    assert.equal(pick('Linux/X86_64'), 'linux/amd64');
    assert.equal(pick('linux/armhf'), 'linux/arm/v7');
    assert.ok(platformMatches({ os: 'linux', architecture: 'aarch64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }));
  });

  test('an exact variant is preferred over a normalized one', () => {
    const both = [
      { os: 'linux', architecture: 'arm64', digest: 'plain' },
      { os: 'linux', architecture: 'arm64', variant: 'v8', digest: 'v8' },
    ];
    assert.equal(findPlatform(both, parsePlatform('linux/arm64/v8')!)?.digest, 'v8');
    assert.equal(findPlatform(both, parsePlatform('linux/arm64')!)?.digest, 'plain');
  });

  test('parsePlatform refuses what is not os/arch[/variant]', () => {
    for (const text of ['', 'linux', 'linux/', '/amd64', 'linux/arm/v7/x', 'linux amd64', '$BUILDPLATFORM']) assert.equal(parsePlatform(text), undefined, text);
  });
});

describe('a pinned reference', () => {
  test('pinned to what the tag points at: current', async () => {
    const result = await status(`nginx:1.27@${multi.digest}`);
    assert.ok(result.kind === 'current');
    assert.deepEqual([result.pinned, result.choice.kind, result.choice.digest], [multi.digest, 'index', multi.digest]);
    const app = await status(`127.0.0.1:5000/team/app:1.0@${single.digest}`);
    assert.ok(app.kind === 'current');
    assert.equal(app.choice.kind, 'image');
  });

  test('pinned to one platform of the tag\'s index: current, and the choice keeps that platform', async () => {
    const result = await status(`nginx:1.27@${armV7.digest}`);
    assert.ok(result.kind === 'current');
    assert.deepEqual([result.choice.kind, result.choice.digest, result.choice.platform], ['platform', armV7.digest, 'linux/arm/v7']);
  });

  test('the tag moved, the old digest still there: moved, pinnedStillExists', async () => {
    const result = await status(`nginx:1.27@${oldIndex.digest}`);
    assert.deepEqual(result.kind === 'moved' && [result.pinned, result.choice.digest, result.pinnedStillExists], [oldIndex.digest, multi.digest, true]);
    const app = await status(`127.0.0.1:5000/team/app:1.0@${oldSingle.digest}`);
    assert.deepEqual(app.kind === 'moved' && [app.choice.kind, app.choice.digest, app.pinnedStillExists], ['image', single.digest, true]);
  });

  test('the tag moved and the old digest is gone: pinnedStillExists false', async () => {
    const result = await status(`nginx:1.27@${GONE}`);
    assert.deepEqual(result.kind === 'moved' && [result.choice.digest, result.pinnedStillExists], [multi.digest, false]);
  });

  test('moved, with a pin platform: the choice is that platform of the new index', async () => {
    const result = await status(`nginx:1.27@${oldIndex.digest}`, { platform: 'linux/amd64' });
    assert.deepEqual(result.kind === 'moved' && [result.choice.kind, result.choice.digest], ['platform', amd64.digest]);
  });

  test('digest only: nothing to follow; whether it still exists', async () => {
    assert.deepEqual(await status(`nginx@${amd64.digest}`), { kind: 'digest-only', pinned: amd64.digest, exists: true });
    assert.deepEqual(await status(`nginx@${GONE}`), { kind: 'digest-only', pinned: GONE, exists: false });
  });

  test('no tag and no digest follows latest', async () => {
    const fake = world();
    fake.put('nginx:latest', multi);
    const result = await status('nginx', {}, fake);
    assert.ok(result.kind === 'unpinned');
    assert.equal(result.choice.digest, multi.digest);
  });
});

describe('errors', () => {
  test('a tag that does not exist', async () => {
    assert.deepEqual(await status('nginx:9.99'), {
      kind: 'error',
      message: 'nginx:9.99 is not in docker.io: the tag does not exist. Check the tag (the Registries view lists a repository\'s tags) and the repository name.',
    });
  });

  test('a failing registry: its own sentence, naming the reference', async () => {
    const fake = world();
    fake.behaviour.set('127.0.0.1:5000', 500);
    const result = await status('127.0.0.1:5000/team/app:1.0', {}, fake);
    assert.ok(result.kind === 'error');
    assert.match(result.message, /^Cannot read the manifest of team\/app:1\.0 on registry 127\.0\.0\.1:5000: the registry answered 500/);
  });

  test('offline, neither the registry nor the engine answers: a short message, both texts as details', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 'no-dns');
    const resolver = resolverFor(fake, { engineDistribution: () => Promise.reject(new Error('The engine cannot resolve docker.io/library/nginx:1.27: dial tcp: lookup registry-1.docker.io: no such host.')) });
    const result = await pinStatus(image('nginx:1.27'), resolver, {});
    assert.ok(result.kind === 'error');
    assert.equal(result.message, 'Cannot reach docker.io: no network or DNS. Pin again when online (or check the DNS and proxy settings).');
    assert.match(result.details ?? '', /^The registry: .*ENOTFOUND.*\nThe engine: .*no such host/);
  });

  test('an index from the engine, with a pin platform: said plainly', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 401);
    const engine: EngineDistribution = { digest: multi.digest, mediaType: OCI_INDEX, platforms: [{ os: 'linux', architecture: 'amd64' }] };
    const resolver = resolverFor(fake, { engineDistribution: () => Promise.resolve(engine) });
    const unpinned = await pinStatus(image('nginx:1.27'), resolver, {});
    assert.ok(unpinned.kind === 'unpinned');
    assert.deepEqual([unpinned.choice.digest, unpinned.choice.tag.source], [multi.digest, 'engine']);
    const result = await pinStatus(image('nginx:1.27'), resolver, { platform: 'linux/amd64' });
    assert.ok(result.kind === 'error');
    assert.match(result.message, /^The platforms of nginx:1\.27 .* came from the engine, which gives no per-platform digests/);
  });

  test('a cancelled ask rejects instead of answering', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(pinStatus(image('nginx:1.27'), resolverFor(world()), {}, controller.signal), (error: unknown) => error instanceof Error && error.name === 'AbortError');
  });
});
