// dive's figures where dive's own tree code decides them: implicit directories, the order in
// which a layer is stacked, dropped `.wh..wh..*` names. Figures worked out by hand in the
// comments (sizes in bytes; "L1" is the layer at index 1). The common cases are in
// layerContents.test.ts, beside our hidden bytes.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diveEfficiency } from '../../../src/layers/diveEfficiency';
import { dir, file, layers, opaque, whiteout } from './layerEntryBuilders';

describe('diveEfficiency', () => {
  test('a whiteout sums the directory below it, and that directory as dive last stacked it', () => {
    // L1 writes a/g without an entry for a: dive makes a implicitly in L1's tree, and stacking L1
    // resets a below to an empty FileInfo, not a directory: L2's whiteout of a then weighs 0.
    // a/f 100; a/g 1; a 0 (L2) and 7 (L3, a file): cumulative 7, min 0.
    // min sum 100 + 1 + 0 = 101; cumulative 100 + 1 + 7 = 108; wasted 7; user size 1 + 7 = 8.
    const implicit = layers([dir('a'), file('a/f', 100)], [file('a/g', 1)], [whiteout('a')], [file('a', 7)]);
    assert.deepEqual(diveEfficiency(implicit), {
      efficiency: 101 / 108,
      wastedBytes: 7,
      userWastedFraction: 7 / 8,
      inefficientPaths: [{ path: 'a', count: 2, cumulativeSize: 7 }],
    });
    // With a's entry in L1, the whiteout weighs 0 + 100 + 1 = 101: a cumulative 108, min 7.
    // min sum 100 + 1 + 7 = 108; cumulative 100 + 1 + 108 = 209; wasted 108.
    const explicit = layers([dir('a'), file('a/f', 100)], [dir('a'), file('a/g', 1)], [whiteout('a')], [file('a', 7)]);
    assert.deepEqual(diveEfficiency(explicit), {
      efficiency: 108 / 209,
      wastedBytes: 108,
      userWastedFraction: 108 / 8,
      inefficientPaths: [{ path: 'a', count: 2, cumulativeSize: 108 }],
    });
  });

  test('a whiteout and its own path in one layer stack in sorted name order', () => {
    // ".wh.x" sorts before "x": L1 removes x, then writes x and x/new; L2's whiteout of x finds
    // the directory: 0 + 20. x/old 10; x 10 (L1: 0 + 10) and 20 (L2); x/new 20.
    // min sum 10 + 10 + 20 = 40; cumulative 10 + 30 + 20 = 60; wasted 30; user size 20.
    const afterWhiteout = layers([dir('x'), file('x/old', 10)], [whiteout('x'), dir('x'), file('x/new', 20)], [whiteout('x')]);
    assert.deepEqual(diveEfficiency(afterWhiteout), {
      efficiency: 40 / 60,
      wastedBytes: 30,
      userWastedFraction: 30 / 20,
      inefficientPaths: [{ path: 'x', count: 2, cumulativeSize: 30 }],
    });
    // "-x" sorts before ".wh.-x": L1 writes -x and -x/new, then removes -x; L2's whiteout finds
    // nothing: 0. -x/old 10; -x 10 and 0; -x/new 20.
    // min sum 10 + 0 + 20 = 30; cumulative 10 + 10 + 20 = 40; wasted 10; user size 20.
    const beforeWhiteout = layers([dir('-x'), file('-x/old', 10)], [whiteout('-x'), dir('-x'), file('-x/new', 20)], [whiteout('-x')]);
    assert.deepEqual(diveEfficiency(beforeWhiteout), {
      efficiency: 30 / 40,
      wastedBytes: 10,
      userWastedFraction: 10 / 20,
      inefficientPaths: [{ path: '-x', count: 2, cumulativeSize: 10 }],
    });
  });

  test('.wh..wh.. names are dropped, but an opaque marker still makes its directory', () => {
    // L1: the marker alone makes an implicit etc, a leaf of 0; L2: etc again, 0. The aufs link
    // file in L1 is dropped from the tree but counts in L1's size (50).
    // Leaves: keep 1, etc 0 twice: min sum = cumulative = 1, efficiency 1; wasted 0.
    const input = layers([file('keep', 1)], [opaque('etc'), file('.wh..wh..plnk/1.2', 50)], [dir('etc')]);
    assert.deepEqual(diveEfficiency(input), {
      efficiency: 1,
      wastedBytes: 0,
      userWastedFraction: 0,
      inefficientPaths: [{ path: 'etc', count: 2, cumulativeSize: 0 }],
    });
  });

  test('inefficient paths: largest cumulative size first, then by path', () => {
    // b 2 + 2 = 4; a 1 + 3 = 4; c 5 + 5 = 10.
    const input = layers([file('b', 2), file('a', 1), file('c', 5)], [file('a', 3), file('b', 2), file('c', 5)]);
    assert.deepEqual(diveEfficiency(input).inefficientPaths.map(({ path, cumulativeSize }) => `${path} ${cumulativeSize}`), ['c 10', 'a 4', 'b 4']);
  });

  test('no layers, or nothing but empty ones: efficiency 1', () => {
    assert.deepEqual(diveEfficiency([]), { efficiency: 1, wastedBytes: 0, userWastedFraction: 0, inefficientPaths: [] });
    assert.equal(diveEfficiency(layers([], [])).efficiency, 1);
  });
});
