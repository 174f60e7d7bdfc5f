import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planBulkChange, summarizeBulkChange } from '../../../src/pinning/bulkPlan';
import { parsePinnableDockerfile } from '../../../src/pinning/pinnable';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const dockerfile = ['ARG GO_VERSION', 'FROM golang:${GO_VERSION} AS build', `FROM alpine:3.20@${DIGEST}`, 'FROM nginx:1.27', 'FROM busybox', 'FROM build', 'FROM scratch', ''].join('\n');
const images = parsePinnableDockerfile(dockerfile).images;

describe('planBulkChange', () => {
  test('Pin All: looks up tags not pinned; counts the pinned; skips, with a reason, what it cannot pin', () => {
    const plan = planBulkChange(images, 'pin');
    assert.equal(plan.total, 4, 'scratch and stages are not image lines');
    assert.deepEqual(plan.candidates.map((image) => image.text), ['nginx:1.27']);
    assert.deepEqual(plan.settled.map((image) => image.text), [`alpine:3.20@${DIGEST}`]);
    assert.deepEqual(plan.skipped.map((line) => [line.line + 1, line.image]), [[2, 'golang:${GO_VERSION}'], [5, 'busybox']]);
    assert.match(plan.skipped[0]!.reason, /^Cannot pin: \$\{GO_VERSION\} has no value/);
    assert.equal(plan.skipped[1]!.reason, 'it names no tag: write busybox:latest (or the tag you mean) to pin it');
  });
  test('Update and Unpin All: the pinned lines with a tag; the others are not pinned', () => {
    for (const mode of ['update', 'unpin'] as const) {
      const plan = planBulkChange(images, mode);
      assert.deepEqual(plan.candidates.map((image) => image.text), [`alpine:3.20@${DIGEST}`], mode);
      assert.equal(plan.settled.length, 2, mode);
    }
  });
});

describe('summarizeBulkChange', () => {
  const plan = planBulkChange(images, 'pin');
  test('nothing pinned because the one left is already pinned: says so, not "Pinned 0 lines"', () => {
    const pinned = planBulkChange(parsePinnableDockerfile(`FROM alpine:3.20@${DIGEST}\n`).images, 'pin');
    assert.deepEqual(summarizeBulkChange({ mode: 'pin', file: 'Dockerfile', plan: pinned, changed: 0, failed: [] }), { sentence: 'Pinned 0 of 1 FROM line in Dockerfile · 1 already pinned.', details: [] });
  });
  test('one sentence with the counts; each skipped line in the details with its line, image and reason', () => {
    const summary = summarizeBulkChange({ mode: 'pin', file: 'app/Dockerfile', plan, changed: 1, failed: [] });
    assert.equal(summary.sentence, 'Pinned 1 of 4 FROM lines in app/Dockerfile · 1 already pinned · 2 skipped.');
    assert.equal(summary.details.length, 2);
    assert.match(summary.details[0]!, /^line 2, golang:\$\{GO_VERSION\} \(skipped\): Cannot pin: /);
    assert.equal(summary.details[1], 'line 5, busybox (skipped): it names no tag: write busybox:latest (or the tag you mean) to pin it');
  });
  test('lines not resolved: their common cause ends the sentence; the registry\'s and the engine\'s words go in the details', () => {
    const failed = [{ line: 3, image: 'nginx:1.27', reason: 'Cannot reach docker.io: no network or DNS. Pin again when online.', details: 'The registry: ...\nThe engine: ...' }];
    const summary = summarizeBulkChange({ mode: 'pin', file: 'Dockerfile', plan, changed: 0, failed });
    assert.equal(summary.sentence, 'Pinned 0 of 4 FROM lines in Dockerfile · 1 already pinned · 2 skipped · 1 not resolved. Cannot reach docker.io: no network or DNS. Pin again when online.');
    assert.equal(summary.details[1], 'line 4, nginx:1.27 (not resolved): Cannot reach docker.io: no network or DNS. Pin again when online.\n  The registry: ...\n  The engine: ...');
  });
  test('Update All counts the current ones', () => {
    const summary = summarizeBulkChange({ mode: 'update', file: 'Dockerfile', plan: planBulkChange(images, 'update'), changed: 0, failed: [] });
    assert.equal(summary.sentence, 'Updated 0 of 1 FROM line pinned to a tag in Dockerfile · 1 current · 2 not pinned · 1 skipped.');
  });
});
