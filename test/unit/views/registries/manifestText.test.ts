// A registry tag's words: its size says it is compressed, its date reads as every other view's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeManifest, manifestTooltipMarkdown } from '../../../../src/views/registries/manifestText';
import { type ManifestDetails } from '../../../../src/registry/client';

const created = new Date(2026, 11, 2, 10, 14, 33);
const image: ManifestDetails = {
  kind: 'image',
  digest: `sha256:${'c'.repeat(64)}`,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  size: 500,
  body: {},
  config: { digest: `sha256:${'d'.repeat(64)}`, mediaType: 'application/vnd.oci.image.config.v1+json', size: 100 },
  layers: [
    { digest: `sha256:${'e'.repeat(64)}`, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 2_000_000 },
    { digest: `sha256:${'f'.repeat(64)}`, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 100_000 },
  ],
  created: created.toISOString(),
  os: 'linux',
  architecture: 'amd64',
  totalSize: 2_100_000,
};

test('the row says its size is compressed', () => {
  assert.equal(describeManifest(image, created.getTime() + 3 * 86_400_000), 'sha256:cccccccccccc · linux/amd64 · 2.1 MB compressed · 3 days ago');
});

test('the tooltip names the size compressed and the date as YYYY-MM-DD HH:MM, local', () => {
  const text = manifestTooltipMarkdown('127.0.0.1:5000/team/app:1', image, created.getTime() + 60_000);
  assert.match(text, /^- Size: 2\.1 MB compressed, in 2 layers \(larger once pulled and unpacked\)$/m);
  assert.match(text, /^- Created: 2026-12-02 10:14 \(1 minute ago\)$/m);
});

test('an index lists its platforms and no size', () => {
  const index: ManifestDetails = { kind: 'index', digest: `sha256:${'a'.repeat(64)}`, mediaType: 'application/vnd.oci.image.index.v1+json', size: 300, body: {}, platforms: [{ os: 'linux', architecture: 'arm64', digest: `sha256:${'b'.repeat(64)}`, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 400 }] };
  assert.equal(describeManifest(index), 'sha256:aaaaaaaaaaaa · linux/arm64');
  assert.doesNotMatch(manifestTooltipMarkdown('x:1', index), /Size:/);
});
