// The edits themselves: where pinEdit and unpinEdit put their text, when they refuse, and how
// mergeEdits and applyEdits combine them; plus which file names are Dockerfiles.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type PinnableImage, parsePinnableDockerfile } from '../../../src/pinning/pinnable';
import { applyEdits, mergeEdits, pinEdit, pinnedDigest, type TextEdit, unpinEdit } from '../../../src/pinning/pin';

const C64 = 'sha256:' + 'c'.repeat(64);
const D = 'sha256:' + 'd'.repeat(64);

function imageAt(text: string, index = 0): PinnableImage {
  const image = parsePinnableDockerfile(text).images[index];
  assert.ok(image, `image ${index} of ${JSON.stringify(text)}`);
  return image;
}

const edit = (start: number, end: number, newText: string): TextEdit => ({ span: { start, end }, newText });

describe('pinEdit', () => {
  test('inserts @digest right after the tag, touching nothing else', () => {
    const text = 'FROM nginx:1.27 AS web\n';
    assert.deepEqual(pinEdit(text, imageAt(text), D), edit(15, 15, `@${D}`));
  });

  test('replaces only the digest of a pinned image', () => {
    const text = `FROM nginx:1.27@${C64} AS web\n`;
    const image = imageAt(text);
    assert.equal(pinnedDigest(image), C64);
    assert.deepEqual(pinEdit(text, image, D), edit(16, 16 + C64.length, D));
    assert.equal(applyEdits(text, [pinEdit(text, image, D)]), `FROM nginx:1.27@${D} AS web\n`);
  });

  test('replaces the digest of a digest-only reference', () => {
    const text = `FROM nginx@${C64}\n`;
    assert.equal(applyEdits(text, [pinEdit(text, imageAt(text), D)]), `FROM nginx@${D}\n`);
  });

  test('adds the :latest an untagged image pulls, so the pin keeps following a tag', () => {
    const text = 'FROM nginx\n';
    assert.deepEqual(pinEdit(text, imageAt(text), D), edit(10, 10, `:latest@${D}`));
  });

  test('goes into the ARG default for FROM ${BASE}', () => {
    const text = 'ARG BASE=nginx:1.27\nFROM ${BASE}\n';
    assert.deepEqual(pinEdit(text, imageAt(text), D), edit(19, 19, `@${D}`));
  });

  test('throws the pin target reason when there is no safe place', () => {
    const text = 'ARG BASE=nginx:1.27\nFROM ${BASE}\nFROM ${BASE}-slim\n';
    const image = imageAt(text);
    assert.equal(image.pinTarget.kind, 'none');
    const reason = image.pinTarget.kind === 'none' ? image.pinTarget.reason : '';
    assert.throws(() => pinEdit(text, image, D), { message: reason });
  });

  test('throws for scratch, stages, unresolved and invalid images, with their reasons', () => {
    const text = 'FROM scratch AS s\nFROM s\nFROM golang:${V}\nFROM Nginx\n';
    for (const [index, message] of [[0, /scratch is the empty image/], [1, /"s" is a build stage/], [2, /\$\{V\}, which has no value/], [3, /must be lowercase/]] as const) {
      assert.throws(() => pinEdit(text, imageAt(text, index), D), { message });
    }
  });

  test('refuses something that is not a digest', () => {
    const text = 'FROM nginx:1.27\n';
    assert.throws(() => pinEdit(text, imageAt(text), 'latest'), /is not a digest such as sha256: and 64 hex digits/);
    assert.throws(() => pinEdit(text, imageAt(text), `@${D}`), /is not a digest/);
  });

  test('refuses a text that changed since the image was read', () => {
    const text = `FROM nginx:1.27@${C64}\n`;
    const image = imageAt(text);
    assert.throws(() => pinEdit(`FROM nginx:1.27\n`, image, D), /The Dockerfile changed since nginx:1.27@sha256:c+ was read at offset 5; read it again/);
  });

  test('pinning twice with the same digest changes nothing the second time', () => {
    const text = 'ARG TAG=1.27\nFROM nginx:${TAG}\nFROM alpine:3.20 AS tools\n';
    const once = applyEdits(text, parsePinnableDockerfile(text).images.map((image) => pinEdit(text, image, D)));
    const twice = applyEdits(once, parsePinnableDockerfile(once).images.map((image) => pinEdit(once, image, D)));
    assert.equal(twice, once);
    assert.equal(once, `ARG TAG=1.27@${D}\nFROM nginx:\${TAG}\nFROM alpine:3.20@${D} AS tools\n`);
  });
});

describe('unpinEdit', () => {
  test('removes exactly @digest and keeps the tag', () => {
    const text = `FROM --platform=linux/amd64 nginx:1.27@${C64} AS web\n`;
    const removal = unpinEdit(text, imageAt(text));
    assert.deepEqual(removal, edit(38, 39 + C64.length, ''));
    assert.equal(applyEdits(text, removal ? [removal] : []), 'FROM --platform=linux/amd64 nginx:1.27 AS web\n');
  });

  test('removes the digest from an ARG default', () => {
    const text = `ARG TAG="1.27@${C64}"\nFROM nginx:\${TAG}\n`;
    const removal = unpinEdit(text, imageAt(text));
    assert.equal(applyEdits(text, removal ? [removal] : []), 'ARG TAG="1.27"\nFROM nginx:${TAG}\n');
  });

  test('is undefined for an unpinned image and for a digest-only one', () => {
    assert.equal(unpinEdit('FROM nginx:1.27\n', imageAt('FROM nginx:1.27\n')), undefined);
    const digestOnly = `FROM nginx@${C64}\n`;
    assert.equal(unpinEdit(digestOnly, imageAt(digestOnly)), undefined);
  });

  test('throws the reason when the digest has no safe place', () => {
    const text = `ARG BASE=nginx:1.27@${C64}\nFROM \${BASE}\nARG BASE\n`;
    assert.throws(() => unpinEdit(text, imageAt(text)), /ARG BASE is redeclared in the stage on line 3/);
  });
});

describe('mergeEdits', () => {
  test('sorts by position', () => {
    assert.deepEqual(mergeEdits([edit(9, 9, 'b'), edit(2, 4, 'a'), edit(4, 4, 'c')]), [edit(2, 4, 'a'), edit(4, 4, 'c'), edit(9, 9, 'b')]);
  });

  test('drops exact duplicates: two FROMs sharing one ARG give one edit', () => {
    const text = 'ARG BASE=nginx:1.27\nFROM ${BASE} AS a\nFROM ${BASE} AS b\n';
    const edits = parsePinnableDockerfile(text).images.map((image) => pinEdit(text, image, D));
    assert.equal(edits.length, 2);
    assert.deepEqual(mergeEdits(edits), [edit(19, 19, `@${D}`)]);
    assert.equal(applyEdits(text, edits), `ARG BASE=nginx:1.27@${D}\nFROM \${BASE} AS a\nFROM \${BASE} AS b\n`);
  });

  test('throws on overlapping different edits, naming both', () => {
    assert.throws(() => mergeEdits([edit(2, 6, 'x'), edit(4, 8, 'y')]), /Two different changes touch the same text \(offsets 2-6 and 4-8\): "x" and "y"/);
    assert.throws(() => mergeEdits([edit(5, 5, '@a'), edit(5, 5, '@b')]), /offsets 5-5 and 5-5/);
  });

  test('accepts edits that only touch at their ends', () => {
    assert.deepEqual(mergeEdits([edit(4, 8, 'y'), edit(2, 4, 'x')]), [edit(2, 4, 'x'), edit(4, 8, 'y')]);
  });

  test('of nothing is nothing', () => {
    assert.deepEqual(mergeEdits([]), []);
  });
});

describe('applyEdits', () => {
  test('applies edits over offsets of the original text, in any order', () => {
    assert.equal(applyEdits('0123456789', [edit(8, 9, 'EIGHT'), edit(0, 0, '>'), edit(3, 5, '')]), '>012567EIGHT9');
  });

  test('leaves the text alone without edits', () => {
    assert.equal(applyEdits('FROM a\r\n', []), 'FROM a\r\n');
  });

  test('refuses an edit beyond the end of the text', () => {
    assert.throws(() => applyEdits('abc', [edit(2, 5, 'x')]), /lies outside the text \(3 characters\)/);
  });
});
