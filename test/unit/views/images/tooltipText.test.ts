// A Local Images tooltip is headed by the row hovered, lists the image's other names once, and
// uses the one date format of every view.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageTooltipMarkdown } from '../../../../src/views/images/tooltipText';
import { type LocalImage } from '../../../../src/engine/images';

const created = new Date(2026, 11, 2, 10, 14, 33).getTime();
const image: LocalImage = {
  id: `sha256:${'a'.repeat(64)}`,
  repoTags: ['127.0.0.1:35633/team/app:1.0', 'layerlens-test/app:latest', 'layerlens-test/classic:1'],
  repoDigests: [`127.0.0.1:35633/team/app@sha256:${'b'.repeat(64)}`],
  created,
  size: 3_000_000,
  labels: {},
  containers: [],
};

test('the heading is the tag hovered, not the image\'s first tag', () => {
  const text = imageTooltipMarkdown(image, 'layerlens-test/app:latest', undefined, created + 60_000);
  assert.equal(text.split('\n')[0], '**layerlens\\-test/app:latest**');
});

test('the other tags follow as "Also tagged", without the heading again', () => {
  const text = imageTooltipMarkdown(image, 'layerlens-test/app:latest');
  assert.match(text, /^- Also tagged: `127\.0\.0\.1:35633\/team\/app:1\.0`, `layerlens-test\/classic:1`$/m);
  assert.equal(text.split('layerlens-test/app:latest').length - 1, 0, 'the heading is escaped once and not listed again');
});

test('a digest row lists the tags as "Tags" and not its own digest again', () => {
  const heading = image.repoDigests[0]!;
  const text = imageTooltipMarkdown(image, heading);
  assert.match(text, /^- Tags: /m);
  assert.doesNotMatch(text, /^- Digests:/m);
});

test('a dangling image is headed as such', () => {
  const text = imageTooltipMarkdown({ ...image, repoTags: [], repoDigests: [] }, undefined);
  assert.equal(text.split('\n')[0], '**Dangling image**');
  assert.doesNotMatch(text, /Tags:/);
});

test('the date reads as everywhere else (YYYY-MM-DD HH:MM, local), and the size says which it is', () => {
  const text = imageTooltipMarkdown(image, 'layerlens-test/app:latest', undefined, created + 2 * 3600_000);
  assert.match(text, /^- Created: 2026-12-02 10:14 \(2 hours ago\)$/m);
  assert.match(text, /^- Size: 3\.0 MB unpacked \(on disk\)$/m);
});
