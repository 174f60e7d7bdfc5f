// The Layers panel's view model over recorded builds: display rows (bar scale, largest, shared
// names, 1-based lines), rows of a Dockerfile line, and the webview's filter and sort.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { buildImageLayersModel, LocalLayerIndex, type ImageLayersModel, type LocalImageLayers } from '../../../../src/layers/model';
import { imageLayersFromEngine } from '../../../../src/layers/engineLayers';
import { rowsAtLine, toPanelData } from '../../../../src/views/layers/panelData';
import { formatDateTime } from '../../../../src/util/format';
import { panelDataProblem, type PanelData } from '../../../../src/views/layers/protocol';
import { rowMatches, rowView } from '../../../../src/webview/rowOrder';
import { loadRecording, recordedLocalImages } from '../../fixtures/layers/recordings';
import { LAYERS_FIXTURE_DIR, type FixtureBuilder, type LayersRecording } from '../../fixtures/layers/specs';

const NOW = Date.UTC(2030, 0, 1);

function recorded(builder: FixtureBuilder, fixture: string, extraLocals: LocalImageLayers[] = []): { model: ImageLayersModel; dockerfile: string } {
  const recording = loadRecording(builder, fixture);
  const counts = new Map(recording.intermediates.map((image) => [image.Id, image.RootFS.Layers.length]));
  const input = imageLayersFromEngine(recording.inspect, recording.history, counts);
  const locals = recordedLocalImages(recording);

  const dockerfile = fs.readFileSync(path.join(LAYERS_FIXTURE_DIR, recording.dockerfile), 'utf8');
  return { model: buildImageLayersModel(input, { index: LocalLayerIndex.build([...locals, ...extraLocals]), dockerfile: { text: dockerfile } }), dockerfile };
}

describe('panel data from the model', () => {
  for (const builder of ['classic', 'buildkit'] as const) {
    test(`${builder} single: one row per model row, valid for the webview, bars to scale, lines 1-based`, () => {
      const { model } = recorded(builder, 'single');
      const data = toPanelData(model, { name: 'layers-single', dockerfileLabel: 'single.Dockerfile', now: NOW });
      assert.equal(panelDataProblem(data), undefined);
      assert.equal(data.rows.length, model.rows.length);
      assert.deepEqual(data.rows.map((row) => row.index), model.rows.map((_row, index) => index));
      assert.equal(data.image.layerCount, model.image.layerCount);
      assert.equal(data.image.layerCount, builder === 'classic' ? 10 : 12, 'BuildKit records the empty RUN and WORKDIR layers');
      assert.equal(data.image.platform, 'linux/amd64');
      assert.equal(data.dockerfile?.label, 'single.Dockerfile');

      // The largest layer is the busybox base (about 2 MB); its bar is full, every other shorter.
      const largest = data.rows.filter((row) => row.largest);
      assert.equal(largest.length, 1);
      assert.equal(largest[0]!.index, model.largestRow);
      assert.equal(largest[0]!.scale, 1);
      for (const row of data.rows) {
        assert.ok(row.scale >= 0 && row.scale <= 1);
        if (row.kind === 'metadata') assert.equal(row.scale, 0);
        if (!row.largest && row.size !== undefined && row.size > 0) assert.ok(row.scale < 1 && row.scale > 0, `${row.text}: ${row.scale}`);
      }
      // 32 KiB RUN on lines 8-9 (1-based) of single.Dockerfile.
      const blob = data.rows.find((row) => row.text.includes('head -c 32768'))!;
      assert.deepEqual(blob.line, { start: 8, end: 9 });
      assert.equal(blob.keyword, 'RUN');
      assert.equal(blob.sizeText, '32.8 kB');
      assert.equal(blob.layerId?.length, 12);
      assert.ok(blob.diffId?.startsWith(`sha256:${blob.layerId}`));
      // Metadata rows say so and have no layer.
      const user = data.rows.find((row) => row.keyword === 'USER')!;
      assert.equal(user.kind, 'metadata');
      assert.equal(user.layerId, undefined);
      // The base: the busybox image's row, shared with every local image built on it.
      assert.equal(data.base?.name, 'layerlens-test/busybox:1');
      assert.equal(data.rows[0]!.inBase, true);
      assert.ok(data.rows[0]!.sharedCount >= 2, String(data.rows[0]!.sharedCount));
      assert.ok(data.rows[0]!.sharedNames.includes('layerlens-test/busybox:1'));
    });
  }

  test('a layer shared with thousands of images lists twenty names and the count', () => {
    const { model: plain } = recorded('buildkit', 'single');
    const baseLayer = plain.rows[0]!.diffId!;
    const many = Array.from({ length: 2000 }, (_, i) => ({ id: `sha256:${String(i).padStart(64, '0')}`, repoTags: [`many/img:${i}`], repoDigests: [], created: i, diffIds: [baseLayer, `sha256:own${i}`] }));
    const { model } = recorded('buildkit', 'single', many);
    const data = toPanelData(model, { name: 'x', now: NOW });
    assert.ok(data.rows[0]!.sharedCount >= 2000);
    assert.equal(data.rows[0]!.sharedNames.length, 20);
  });

  test('without a Dockerfile label the panel says no Dockerfile, and rows keep no line', () => {
    const recording = JSON.parse(fs.readFileSync(path.join(LAYERS_FIXTURE_DIR, 'classic-single.json'), 'utf8')) as LayersRecording;
    const model = buildImageLayersModel(imageLayersFromEngine(recording.inspect, recording.history));
    const data = toPanelData(model, { name: 'x', now: NOW });
    assert.equal(data.dockerfile, undefined);
    assert.ok(data.rows.every((row) => row.line === undefined));
    assert.equal(panelDataProblem(data), undefined);
  });

  test('an image with no history and no layers is still valid data', () => {
    const model = buildImageLayersModel({ id: 'sha256:e', repoTags: [], repoDigests: [], diffIds: [] });
    const data = toPanelData(model, { name: 'empty', now: NOW });
    assert.deepEqual(data.rows, []);
    assert.equal(panelDataProblem(data), undefined);
  });

  test('rows of a Dockerfile line: every line of a continued instruction names its row; other lines none', () => {
    const { model } = recorded('classic', 'single');
    const blob = model.rows.findIndex((row) => row.instruction?.text.includes('head -c 32768'));
    assert.deepEqual(rowsAtLine(model, 7), [blob]);
    assert.deepEqual(rowsAtLine(model, 8), [blob]);
    assert.deepEqual(rowsAtLine(model, 0), []);
    assert.deepEqual(rowsAtLine(model, 1), [], 'FROM writes no entry of the image itself');
  });

  test('dates: local YYYY-MM-DD HH:MM', () => {
    assert.match(formatDateTime(Date.UTC(2024, 4, 1, 12, 3)), /^2024-05-0[12] \d\d:\d3$/);
    assert.equal(formatDateTime(Number.NaN), 'unknown');
  });
});

describe('webview row order: filter and sort', () => {
  const { model } = recorded('buildkit', 'single');
  const data: PanelData = toPanelData(model, { name: 'x', dockerfileLabel: 'Dockerfile', now: NOW });

  test('build order: base rows grouped, own rows after, nothing lost', () => {
    const view = rowView(data, { filter: '', sortBySize: false });
    assert.ok(view.grouped);
    assert.equal(view.base.length, data.base!.rowCount);
    assert.equal(view.base.length + view.own.length, data.rows.length);
    assert.deepEqual([...view.base, ...view.own].map((row) => row.index), data.rows.map((row) => row.index));
  });

  test('largest first: one list, sizes descending, unknown sizes last, ties in build order', () => {
    const view = rowView(data, { filter: '', sortBySize: true });
    assert.ok(!view.grouped);
    assert.equal(view.rows.length, data.rows.length);
    assert.ok(view.rows[0]!.largest);
    for (let i = 1; i < view.rows.length; i++) {
      const a = view.rows[i - 1]!;
      const b = view.rows[i]!;
      assert.ok((a.size ?? -1) > (b.size ?? -1) || ((a.size ?? -1) === (b.size ?? -1) && a.index < b.index));
    }
  });

  test('filter: every word, any case, across instruction, keyword, layer ID and line', () => {
    const blob = data.rows.find((row) => row.text.includes('head -c 32768'))!;
    assert.deepEqual(rowView(data, { filter: 'HEAD  urandom', sortBySize: false }).shown, 1);
    assert.ok(rowMatches(blob, blob.layerId!));
    assert.ok(rowMatches(blob, 'line 8'));
    assert.ok(rowMatches(blob, 'run'));
    assert.ok(!rowMatches(blob, 'copy'));
    const metadata = rowView(data, { filter: 'metadata only', sortBySize: true });
    assert.ok(metadata.shown > 0 && !metadata.grouped && metadata.rows.every((row) => row.kind === 'metadata'));
    assert.equal(rowView(data, { filter: 'no-such-text', sortBySize: false }).shown, 0);
  });
});
