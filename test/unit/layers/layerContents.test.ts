// The layer contents model over hand-built layers: changes per layer, the merged tree, hidden
// bytes, and dive's figures beside them. Every expected figure is worked out by hand in the
// comments (sizes in bytes; "L1" is the layer at index 1).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type LayerEntries } from '../../../src/image/layerEntry';
import { analyzeLayers, type ImageContents, type LayerChanges } from '../../../src/layers/layerContents';
import { dir, file, hardlink, layers, opaque, symlink, whiteout } from './layerEntryBuilders';

function changesOf(layer: LayerChanges) {
  return {
    added: layer.added.map((entry) => entry.path),
    modified: layer.modified.map((entry) => entry.path),
    removed: layer.removed.map(({ path, size, writtenBy, cause }) => `${path} ${size} L${writtenBy} ${cause}`).sort(),
    tally: {
      added: [layer.tally.added.count, layer.tally.added.bytes],
      modified: [layer.tally.modified.count, layer.tally.modified.bytes],
      removed: [layer.tally.removed.count, layer.tally.removed.bytes],
    },
    hiddenBytes: layer.hiddenBytes,
  };
}

function visibleOf(contents: ImageContents): string[] {
  return [...contents.visible]
    .map(([path, version]) => `${path} L${version.layer}${(version.earlier ?? []).map((hidden) => ` <L${hidden.layer}:${hidden.size}>`).join('')}`)
    .sort();
}

/** Every byte written is either still visible or hidden by a later layer. */
function assertBytesAddUp(input: readonly LayerEntries[], contents: ImageContents): void {
  const written = input.flatMap((layer) => layer.entries).reduce((sum, entry) => sum + entry.size, 0);
  assert.equal(contents.visibleBytes + contents.hiddenBytes, written);
  assert.deepEqual(contents.layers.map((layer) => layer.sizeBytes), input.map((layer) => layer.entries.reduce((sum, entry) => sum + entry.size, 0)));
}

describe('analyzeLayers', () => {
  test('a file overwritten in a later layer: the old version is hidden, dive counts the path twice', () => {
    const input = layers(
      [dir('etc'), file('etc/conf', 100), file('etc/other', 10)],
      [dir('etc'), file('etc/conf', 150)],
    );
    const contents = analyzeLayers(input);
    assert.deepEqual(contents.layers.map(changesOf), [
      { added: ['etc', 'etc/conf', 'etc/other'], modified: [], removed: [], tally: { added: [3, 110], modified: [0, 0], removed: [0, 0] }, hiddenBytes: 100 },
      { added: [], modified: ['etc', 'etc/conf'], removed: [], tally: { added: [0, 0], modified: [2, 150], removed: [0, 0] }, hiddenBytes: 0 },
    ]);
    assert.deepEqual(visibleOf(contents), ['etc L1 <L0:0>', 'etc/conf L1 <L0:100>', 'etc/other L0']);
    assert.equal(contents.visible.get('etc/conf')?.entry.size, 150);
    // visible 150 + 10 = 160; hidden 100 (L0's etc/conf)
    assert.equal(contents.visibleBytes, 160);
    assert.equal(contents.hiddenBytes, 100);
    assertBytesAddUp(input, contents);
    // dive leaves: L0 etc/conf 100, etc/other 10; L1 etc/conf 150 (etc has children: no leaf).
    // min sum 100 + 10 = 110; cumulative 100 + 150 + 10 = 260; wasted etc/conf 100 + 150 = 250;
    // user size (L1) 150.
    assert.deepEqual(contents.dive, {
      efficiency: 110 / 260,
      wastedBytes: 250,
      userWastedFraction: 250 / 150,
      inefficientPaths: [{ path: 'etc/conf', count: 2, cumulativeSize: 250 }],
    });
  });

  test('a file deleted: removed with its bytes, dive counts the whiteout 0', () => {
    const input = layers(
      [dir('app'), file('app/big', 1000), file('app/keep', 5)],
      [dir('app'), whiteout('app/big'), file('app/new', 20)],
    );
    const contents = analyzeLayers(input);
    assert.deepEqual(changesOf(contents.layers[1]!), {
      added: ['app/new'], modified: ['app'], removed: ['app/big 1000 L0 whiteout'],
      tally: { added: [1, 20], modified: [1, 0], removed: [1, 1000] }, hiddenBytes: 0,
    });
    const removed = contents.layers[1]!.removed[0]!;
    assert.deepEqual([removed.type, removed.mode, removed.uid, removed.gid], ['file', 0o644, 0, 0]);
    assert.equal(contents.layers[0]!.hiddenBytes, 1000);
    assert.deepEqual(visibleOf(contents), ['app L1 <L0:0>', 'app/keep L0', 'app/new L1']);
    assertBytesAddUp(input, contents);
    // dive: app/big 1000 then 0 (its whiteout, a file below) -> min 0, cumulative 1000;
    // app/keep 5; app/new 20. min sum 0 + 5 + 20 = 25; cumulative 1000 + 5 + 20 = 1025;
    // wasted 1000; user size (L1) 20.
    assert.deepEqual(contents.dive, {
      efficiency: 25 / 1025,
      wastedBytes: 1000,
      userWastedFraction: 1000 / 20,
      inefficientPaths: [{ path: 'app/big', count: 2, cumulativeSize: 1000 }],
    });
  });

  test('a directory deleted whole: hidden bytes count it, dive wasted bytes miss it', () => {
    const input = layers(
      [dir('cache'), file('cache/a', 300), dir('cache/sub'), file('cache/sub/b', 200)],
      [whiteout('cache'), file('readme', 10)],
    );
    const contents = analyzeLayers(input);
    // cache holds 300 + 200 = 500, cache/sub 200.
    assert.deepEqual(changesOf(contents.layers[1]!), {
      added: ['readme'], modified: [],
      removed: ['cache 500 L0 whiteout', 'cache/a 300 L0 whiteout', 'cache/sub 200 L0 whiteout', 'cache/sub/b 200 L0 whiteout'],
      tally: { added: [1, 10], modified: [0, 0], removed: [4, 500] }, hiddenBytes: 0,
    });
    assert.equal(contents.layers[1]!.removed[0]!.path, 'cache', 'the removal root comes first');
    assert.equal(contents.layers[0]!.hiddenBytes, 500);
    assert.equal(contents.hiddenBytes, 500);
    assert.deepEqual(visibleOf(contents), ['readme L1']);
    assertBytesAddUp(input, contents);
    // dive: L0 leaves cache/a 300, cache/sub/b 200; L1 leaves cache (whiteout of a directory
    // below: 0 + 300 + 0 + 200 = 500) and readme 10. Each path seen once: min sum = cumulative
    // = 1010, efficiency 1, wasted 0.
    assert.deepEqual(contents.dive, { efficiency: 1, wastedBytes: 0, userWastedFraction: 0, inefficientPaths: [] });
  });

  test('a directory deleted and made again: dive also counts the version that stays', () => {
    const input = layers(
      [dir('d'), file('d/f', 100)],
      [whiteout('d')],
      [dir('d'), file('d/f', 30)],
    );
    const contents = analyzeLayers(input);
    assert.deepEqual(contents.layers.map((layer) => changesOf(layer).removed), [[], ['d 100 L0 whiteout', 'd/f 100 L0 whiteout'], []]);
    // Not visible after L1: written again, d and d/f are added.
    assert.deepEqual(changesOf(contents.layers[2]!).added, ['d', 'd/f']);
    assert.deepEqual(contents.layers.map((layer) => layer.hiddenBytes), [100, 0, 0]);
    assertBytesAddUp(input, contents);
    // dive: d/f 100 (L0) and 30 (L2): cumulative 130, min 30; d 100 (L1's whiteout: 0 + 100).
    // min sum 30 + 100 = 130; cumulative 130 + 100 = 230; wasted 130 (more than the 100 hidden);
    // user size 0 + 30 = 30.
    assert.deepEqual(contents.dive, {
      efficiency: 130 / 230,
      wastedBytes: 130,
      userWastedFraction: 130 / 30,
      inefficientPaths: [{ path: 'd/f', count: 2, cumulativeSize: 130 }],
    });
  });

  test('an opaque directory: our model removes what was under it, dive ignores the marker', () => {
    const input = layers(
      [dir('var'), dir('var/lib'), file('var/lib/x', 40), file('var/lib/y', 60)],
      [dir('var/lib'), opaque('var/lib'), file('var/lib/y', 70), file('var/lib/z', 5)],
    );
    const contents = analyzeLayers(input);
    // var/lib/x is removed; var/lib/y is written again by the same layer: modified.
    assert.deepEqual(changesOf(contents.layers[1]!), {
      added: ['var/lib/z'], modified: ['var/lib', 'var/lib/y'], removed: ['var/lib/x 40 L0 opaque'],
      tally: { added: [1, 5], modified: [2, 70], removed: [1, 40] }, hiddenBytes: 0,
    });
    // L0 hidden: x 40 + y 60 = 100.
    assert.equal(contents.layers[0]!.hiddenBytes, 100);
    assert.deepEqual(visibleOf(contents), ['var L0', 'var/lib L1 <L0:0>', 'var/lib/y L1 <L0:60>', 'var/lib/z L1']);
    assertBytesAddUp(input, contents);
    // dive drops the marker (and makes var implicitly in L1's tree): leaves L0 x 40, y 60;
    // L1 y 70, z 5. min sum 40 + 60 + 5 = 105; cumulative 40 + 130 + 5 = 175; wasted y 130;
    // user size 70 + 5 = 75. x's 40 hidden bytes are not waste to dive.
    assert.deepEqual(contents.dive, {
      efficiency: 105 / 175,
      wastedBytes: 130,
      userWastedFraction: 130 / 75,
      inefficientPaths: [{ path: 'var/lib/y', count: 2, cumulativeSize: 130 }],
    });
  });

  test('hard links and symlinks weigh 0 bytes and keep their targets', () => {
    const input = layers(
      [dir('bin'), file('bin/busybox', 800), hardlink('bin/sh', 'bin/busybox'), symlink('bin/ls', 'busybox')],
      [symlink('bin/sh', 'busybox')],
    );
    const contents = analyzeLayers(input);
    assert.deepEqual(changesOf(contents.layers[0]!).tally.added, [4, 800]);
    assert.deepEqual(changesOf(contents.layers[1]!).modified, ['bin/sh']);
    const sh = contents.visible.get('bin/sh');
    assert.deepEqual([sh?.entry.type, sh?.entry.linkTarget, sh?.earlier], ['symlink', 'busybox', [{ layer: 0, size: 0 }]]);
    assert.equal(contents.visible.get('bin/ls')?.entry.linkTarget, 'busybox');
    assert.equal(contents.hiddenBytes, 0);
    assertBytesAddUp(input, contents);
    // dive: busybox 800, sh 0 twice, ls 0: min sum = cumulative = 800, efficiency 1;
    // sh is repeated but weighs 0. User size 0: dive divides 0 by 0, we say 0.
    assert.deepEqual(contents.dive, {
      efficiency: 1, wastedBytes: 0, userWastedFraction: 0,
      inefficientPaths: [{ path: 'bin/sh', count: 2, cumulativeSize: 0 }],
    });
  });

  test('an empty layer and the same file written by three layers', () => {
    const input = layers([file('data.bin', 100)], [], [file('data.bin', 50)], [file('data.bin', 80)]);
    const contents = analyzeLayers(input);
    assert.deepEqual(contents.layers.map((layer) => changesOf(layer).tally), [
      { added: [1, 100], modified: [0, 0], removed: [0, 0] },
      { added: [0, 0], modified: [0, 0], removed: [0, 0] },
      { added: [0, 0], modified: [1, 50], removed: [0, 0] },
      { added: [0, 0], modified: [1, 80], removed: [0, 0] },
    ]);
    assert.deepEqual(contents.layers[1]?.sizeBytes, 0);
    // hidden: L0 100, L2 50; total 150; visible 80.
    assert.deepEqual(contents.layers.map((layer) => layer.hiddenBytes), [100, 0, 50, 0]);
    assert.equal(contents.hiddenBytes, 150);
    assert.deepEqual(visibleOf(contents), ['data.bin L3 <L0:100> <L2:50>']);
    assertBytesAddUp(input, contents);
    // dive: data.bin 100, 50, 80: cumulative 230, min 50; efficiency 50/230; wasted 230;
    // user size 0 + 50 + 80 = 130.
    assert.deepEqual(contents.dive, {
      efficiency: 50 / 230,
      wastedBytes: 230,
      userWastedFraction: 230 / 130,
      inefficientPaths: [{ path: 'data.bin', count: 3, cumulativeSize: 230 }],
    });
  });

  test('a whiteout for a path that never existed removes nothing and is named', () => {
    const input = layers([file('a', 10)], [whiteout('ghost'), whiteout('etc/ghost'), file('b', 5)]);
    const contents = analyzeLayers(input);
    assert.deepEqual(contents.layers[1]!.unmatchedWhiteouts, ['ghost', 'etc/ghost']);
    assert.deepEqual(changesOf(contents.layers[1]!).tally.removed, [0, 0]);
    assert.equal(contents.hiddenBytes, 0);
    // dive (whose visit would stop at the whiteout) counts: a 10, etc/ghost 0, ghost 0, b 5:
    // min sum = cumulative = 15, efficiency 1, wasted 0.
    assert.deepEqual(contents.dive, { efficiency: 1, wastedBytes: 0, userWastedFraction: 0, inefficientPaths: [] });
  });

  test('a non-directory written over a directory replaces what was under it', () => {
    const input = layers([dir('opt'), file('opt/tool', 70)], [symlink('opt', '/usr/opt')]);
    const contents = analyzeLayers(input);
    assert.deepEqual(changesOf(contents.layers[1]!), {
      added: [], modified: ['opt'], removed: ['opt/tool 70 L0 replaced'],
      tally: { added: [0, 0], modified: [1, 0], removed: [1, 70] }, hiddenBytes: 0,
    });
    assert.equal(contents.hiddenBytes, 70);
    assertBytesAddUp(input, contents);
    // dive: opt/tool 70 once, opt 0 once: nothing repeated.
    assert.equal(contents.dive.wastedBytes, 0);
  });

  test('a layer that holds a path twice: the later entry wins, the first is hidden by its own layer', () => {
    const input = layers([file('x', 4)], [file('x', 6), file('x', 9)]);
    const contents = analyzeLayers(input);
    assert.deepEqual(changesOf(contents.layers[1]!).modified, ['x', 'x']);
    // hidden: L0 4, L1 6 (its first x); visible 9.
    assert.deepEqual(contents.layers.map((layer) => layer.hiddenBytes), [4, 6]);
    assertBytesAddUp(input, contents);
  });

  test('200,000 entries across 5 layers', () => {
    const count = 40_000;
    const many = (make: (at: number) => ReturnType<typeof file>) => Array.from({ length: count }, (_, at) => make(at));
    const input = layers(
      [dir('a'), ...many((at) => file(`a/f${at}`, 1))],
      many((at) => file(`a/f${at}`, 2)).slice(2),
      [dir('b'), ...many((at) => file(`b/f${at}`, 3))],
      [whiteout('b'), ...many((at) => file(`c/f${at}`, 1)).slice(1)],
      [dir('a'), opaque('a'), ...many((at) => file(`a/g${at}`, 1)).slice(2)],
    );
    assert.equal(input.reduce((sum, layer) => sum + layer.entries.length, 0), 200_000);
    const contents = analyzeLayers(input);
    assert.deepEqual(contents.layers.map((layer) => changesOf(layer).tally), [
      { added: [count + 1, count], modified: [0, 0], removed: [0, 0] },
      // all but a/f0 and a/f1
      { added: [0, 0], modified: [count - 2, 2 * (count - 2)], removed: [0, 0] },
      { added: [count + 1, 3 * count], modified: [0, 0], removed: [0, 0] },
      // b and its files; 3 bytes each
      { added: [count - 1, count - 1], modified: [0, 0], removed: [count + 1, 3 * count] },
      // a/f* under the opaque a: a/f0 and a/f1 of 1 byte, the others rewritten by L1 with 2
      { added: [count - 2, count - 2], modified: [1, 0], removed: [count, 2 + 2 * (count - 2)] },
    ]);
    assert.deepEqual(contents.layers.map((layer) => layer.hiddenBytes), [count, 2 * (count - 2), 3 * count, 0, 0]);
    // a, a/g* (count - 2), c/f* (count - 1)
    assert.equal(contents.visible.size, 1 + (count - 2) + (count - 1));
    assertBytesAddUp(input, contents);
    // dive: a/f2.. seen in L0 and L1 (1 + 2 bytes each); b is a whiteout seen once.
    assert.equal(contents.dive.wastedBytes, 3 * (count - 2));
    assert.equal(contents.dive.inefficientPaths.length, count - 2);
  });
});
