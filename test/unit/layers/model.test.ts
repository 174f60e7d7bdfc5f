// The layers model: history cleaning, history <-> layer alignment, sharing and base image,
// and Dockerfile attribution; over histories recorded from real classic and BuildKit builds
// (test/unit/fixtures/layers, see record.ts there) and hand-made edge cases.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  alignHistoryWithLayers,
  buildImageLayersModel,
  cleanHistory,
  cleanHistoryEntry,
  EMPTY_LAYER_DIFF_ID,
  layerSizesByLine,
  LocalLayerIndex,
  rankImagesForDockerfile,
  type HistoryEntryInput,
  type ImageLayersInput,
  type ImageLayersModel,
  type LocalImageLayers,
} from '../../../src/layers/model';
import { imageLayersFromEngine } from '../../../src/layers/engineLayers';
import { describeRows, EXPECTED_ROWS } from '../fixtures/layers/expected';
import { loadRecording, recordedLocalImages } from '../fixtures/layers/recordings';
import { LAYERS_FIXTURE_DIR, type FixtureBuilder, type LayersRecording } from '../fixtures/layers/specs';

// ---------------------------------------------------------------------------------------------
// Recorded fixtures


function recordedInput(recording: LayersRecording, withIntermediates = true): ImageLayersInput {
  const counts = new Map(recording.intermediates.map((image) => [image.Id, image.RootFS.Layers.length]));
  return imageLayersFromEngine(recording.inspect, recording.history, withIntermediates ? counts : new Map());
}

function modelOf(recording: LayersRecording, options: { withIntermediates?: boolean; dockerfile?: string } = {}): ImageLayersModel {
  const dockerfile = options.dockerfile ?? fs.readFileSync(path.join(LAYERS_FIXTURE_DIR, recording.dockerfile), 'utf8');
  return buildImageLayersModel(recordedInput(recording, options.withIntermediates), { index: LocalLayerIndex.build(recordedLocalImages(recording)), dockerfile: { text: dockerfile } });
}

describe('recorded builds: alignment and attribution exact', () => {
  for (const builder of ['classic', 'buildkit'] as const) {
    for (const [fixture, expected] of Object.entries(EXPECTED_ROWS[builder])) {
      test(`${builder} ${fixture}`, () => {
        const recording = loadRecording(builder, fixture);
        const model = modelOf(recording);
        assert.deepEqual(describeRows(model), expected.rows);
        assert.deepEqual(model.problems, []);
        assert.equal(model.base?.name, expected.base);
        assert.equal(model.base?.layerCount, expected.baseLayers);
        assert.equal(model.base?.via, 'local-image');
        // Every layer is in exactly one row, in order, and the sizes add up to the image's.
        const layerRows = model.rows.filter((row) => row.layerIndex !== undefined);
        assert.deepEqual(layerRows.map((row) => row.layerIndex), model.image.layerCount ? [...Array(model.image.layerCount).keys()] : []);
        assert.deepEqual(layerRows.map((row) => row.diffId), (recording.inspect.RootFS as { Layers: string[] }).Layers);
        assert.equal(layerRows.reduce((sum, row) => sum + (row.size ?? Number.NaN), 0), recording.inspect.Size);
        assert.ok(model.rows.every((row) => row.kind !== 'metadata' || row.size === 0));
      });
    }
  }

  test('without the classic builder\'s intermediate images, zero-byte steps are unattributed, and nothing is paired wrongly', () => {
    for (const fixture of Object.keys(EXPECTED_ROWS.classic)) {
      const recording = loadRecording('classic', fixture);
      const exact = modelOf(recording);
      const blind = modelOf(recording, { withIntermediates: false });
      blind.rows.forEach((row) => {
        if (row.historyIndex === undefined || row.kind === 'unattributed') return;
        const truth = exact.rows.find((other) => other.historyIndex === row.historyIndex)!;
        assert.equal(row.kind, truth.kind, `${fixture} entry ${row.historyIndex}`);
        assert.equal(row.layerIndex, truth.layerIndex, `${fixture} entry ${row.historyIndex}`);
      });
      // Attribution to the Dockerfile does not depend on the layers.
      assert.deepEqual(blind.rows.filter((row) => row.historyIndex !== undefined).map((row) => row.dockerfile), exact.rows.filter((row) => row.historyIndex !== undefined).map((row) => row.dockerfile));
    }
    const single = modelOf(loadRecording('classic', 'single'), { withIntermediates: false });
    assert.deepEqual(single.problems, ['ambiguous']);
    // RUN true, RUN mkdir, WORKDIR /app, WORKDIR work, RUN rm: 3 of those 5 made layers, the data cannot say which.
    const unattributed = single.rows.filter((row) => row.historyIndex !== undefined && row.kind === 'unattributed').map((row) => row.instruction!.text);
    assert.ok(unattributed.includes('RUN true') && unattributed.includes('RUN rm -rf /app/empty-dir'), unattributed.join(', '));
    assert.match(single.notes.join(' '), /cannot tell which of them made a layer/);
    // The layers left over keep their place in build order and their size where every candidate agrees.
    const orphans = single.rows.filter((row) => row.historyIndex === undefined);
    assert.deepEqual(orphans.map((row) => row.layerIndex), [3, 4, 5, 6, 7, 8, 9]);
    assert.equal(orphans[0]!.size, 0);
  });

  test('the classic history shows the intermediate images: the engine read resolves the zero-byte steps with them', () => {
    const recording = loadRecording('classic', 'single');
    const ids = recordedInput(recording).history!.map((entry) => entry.imageId);
    assert.ok(ids.every((id) => id?.startsWith('sha256:')));
    const buildkit = recordedInput(loadRecording('buildkit', 'single'));
    // BuildKit keeps no intermediate images: only the image itself is named.
    assert.deepEqual(buildkit.history!.map((entry) => entry.imageId).filter(Boolean), [buildkit.id]);
    assert.equal(buildkit.history!.at(-1)!.layerCount, buildkit.diffIds.length);
  });

  test('sharing: the base layer is shared by every other local image; the image\'s own layers by none', () => {
    const recording = loadRecording('buildkit', 'derived');
    const model = modelOf(recording);
    const others = recording.localImages.filter((image) => image.Id !== recording.inspect.Id);
    const [busybox, baseRun] = model.rows;
    assert.equal(busybox!.shared?.count, others.length);
    assert.deepEqual(busybox!.shared?.images.map((image) => image.id).sort(), others.map((image) => image.Id).sort());
    assert.deepEqual(baseRun!.shared?.images.map((image) => image.repoTags[0]), ['layerlens-test/layers-base:1']);
    for (const row of model.rows.filter((row) => !row.inBase)) assert.equal(row.shared?.count ?? 0, 0);
  });

  test('a local image the FROM does not name is not taken for the base when the file\'s own lines are in it', () => {
    const recording = loadRecording('buildkit', 'single');
    const input = recordedInput(recording);
    // An older build of the same file, five layers long, is the longest local prefix; busybox is gone.
    const older: LocalImageLayers = { id: 'sha256:older', repoTags: ['app:old'], repoDigests: [], created: 1, diffIds: input.diffIds.slice(0, 5) };
    const index = LocalLayerIndex.build([older]);
    assert.equal(buildImageLayersModel(input, { index }).base?.name, 'app:old');
    const text = fs.readFileSync(path.join(LAYERS_FIXTURE_DIR, recording.dockerfile), 'utf8');
    const model = buildImageLayersModel(input, { index, dockerfile: { text } });
    assert.deepEqual([model.base?.name, model.base?.via, model.base?.layerCount], ['layerlens-test/busybox:1', 'dockerfile', 1]);
    assert.deepEqual(describeRows(model), EXPECTED_ROWS.buildkit.single!.rows);
  });

  test('the Dockerfile side: sizes by line, the biggest marked', () => {
    const sizes = layerSizesByLine(modelOf(loadRecording('buildkit', 'single')));
    assert.deepEqual(
      sizes.map((size) => [size.startLine, size.keyword, size.size, size.largest]),
      [
        [7, 'RUN', 32768, true],
        [9, 'RUN', 12, false],
        [10, 'RUN', 0, false],
        [11, 'RUN', 0, false],
        [12, 'WORKDIR', 0, false],
        [13, 'WORKDIR', 0, false],
        [14, 'COPY', 30, false],
        [15, 'COPY', 12, false],
        [16, 'RUN', 10, false],
        [18, 'RUN', 8, false],
        [19, 'RUN', 0, false],
      ],
    );
  });

  test('an edited Dockerfile: changed lines stay unmatched, the others follow their new line numbers', () => {
    const recording = loadRecording('buildkit', 'single');
    const original = fs.readFileSync(path.join(LAYERS_FIXTURE_DIR, recording.dockerfile), 'utf8').split('\n');
    // Line 9's command changed, and a new RUN inserted after line 10.
    const edited = [...original.slice(0, 9), 'RUN echo "$GREETING!" > /app/greeting.txt', original[10]!, 'RUN echo inserted', ...original.slice(11)].join('\n');
    const model = modelOf(recording, { dockerfile: edited });
    const rows = describeRows(model);
    assert.equal(rows[5], 'L2 RUN -');
    assert.equal(rows[6], 'L3 RUN 10');
    assert.equal(rows[7], 'L4 RUN 12');
    assert.equal(rows[22], 'meta CMD 27');
    assert.equal(model.dockerfile?.matchedSteps, 21);
    assert.deepEqual(model.dockerfile?.unmatchedSteps.map((step) => step.startLine), [9, 11]);
    assert.ok(model.dockerfile.score < 1 && model.dockerfile.score > 0.9);
  });

  test('ranking candidate images for a Dockerfile: the matching ones first, the most recent of equals first', () => {
    const text = fs.readFileSync(path.join(LAYERS_FIXTURE_DIR, 'single.Dockerfile'), 'utf8');
    const candidates = (['classic', 'buildkit'] as const)
      .flatMap((builder) => ['single', 'multistage', 'derived'].map((fixture) => recordedInput(loadRecording(builder, fixture))))
      .map((image) => ({ id: image.id, created: image.created, history: image.history! }));
    const ranked = rankImagesForDockerfile(text, candidates);
    const single = ['classic', 'buildkit'].map((builder) => recordedInput(loadRecording(builder as FixtureBuilder, 'single')));
    const newestFirst = [...single].sort((a, b) => b.created! - a.created!).map((image) => image.id);
    assert.deepEqual(ranked.slice(0, 2).map((score) => score.id), newestFirst);
    assert.deepEqual(ranked.slice(0, 2).map((score) => score.score), [1, 1]);
    assert.ok(ranked.slice(2).every((score) => score.score < 0.3), JSON.stringify(ranked.map((score) => score.score)));
  });
});

// ---------------------------------------------------------------------------------------------
// Cleaning the recorded text

describe('history text of both builders', () => {
  const cases: Array<[createdBy: string, comment: string, keyword: string, text: string, body?: string]> = [
    ['/bin/sh -c #(nop)  CMD ["sh"]', '', 'CMD', 'CMD ["sh"]'],
    ['/bin/sh -c #(nop)  ENV APP_HOME=/app APP_MODE=classic', '', 'ENV', 'ENV APP_HOME=/app APP_MODE=classic'],
    ['/bin/sh -c apk add --no-cache curl', '', 'RUN', 'RUN apk add --no-cache curl', '/bin/sh -c apk add --no-cache curl'],
    ['/bin/sh -c #(nop) COPY file:29e84e5de7fb3b063be84b2c026182ad61f768bf998929e31049180d9f915a45 in /srv/hello.txt ', '', 'COPY', 'COPY file:29e84e5de7fb in /srv/hello.txt'],
    ['/bin/sh -ec #(nop)  SHELL [/bin/sh -ec]', '', 'SHELL', 'SHELL [/bin/sh -ec]'],
    ['/bin/sh -c #(nop)  EXPOSE 8080 9090/udp', '', 'EXPOSE', 'EXPOSE 8080/tcp 9090/udp'],
    ['cmd /S /C #(nop)  ENV A=1', '', 'ENV', 'ENV A=1'],
    ['RUN /bin/sh -c make # buildkit', 'buildkit.dockerfile.v0', 'RUN', 'RUN make', '/bin/sh -c make'],
    ['COPY src /app # buildkit', 'buildkit.dockerfile.v0', 'COPY', 'COPY src /app', 'src /app'],
    ['COPY --chown=1000:1000 --chmod=755 app.sh /app/ # buildkit', 'buildkit.dockerfile.v0', 'COPY', 'COPY --chown=1000:1000 --chmod=755 app.sh /app/'],
    ['EXPOSE map[8080/tcp:{} 9090/udp:{}]', 'buildkit.dockerfile.v0', 'EXPOSE', 'EXPOSE 8080/tcp 9090/udp'],
    ['HEALTHCHECK &{["CMD-SHELL" "cat /app/hello.txt"] "30s" "0s" "0s" \'\\x00\'}', 'buildkit.dockerfile.v0', 'HEALTHCHECK', 'HEALTHCHECK CMD cat /app/hello.txt'],
    ['RUN /bin/sh -c apk add curl\nmkdir -p /app\n # buildkit', 'buildkit.dockerfile.v0', 'RUN', 'RUN apk add curl\nmkdir -p /app', '/bin/sh -c apk add curl\nmkdir -p /app'],
    ['', 'layerlens test base: static busybox', '', ''],
  ];
  for (const [createdBy, comment, keyword, text, body] of cases) {
    test(JSON.stringify(createdBy).slice(0, 70), () => {
      const instruction = cleanHistoryEntry(createdBy, comment);
      assert.equal(instruction.keyword, keyword);
      assert.equal(instruction.text, text);
      if (body !== undefined) assert.equal(instruction.body, body);
      assert.equal(instruction.raw, createdBy);
    });
  }

  test('build-argument prefixes are cut off and kept, values with spaces included', () => {
    const [withShell, exec, classic] = cleanHistory([
      { createdBy: 'RUN |2 A=x y B=2 /bin/sh -c echo $A # buildkit', comment: 'buildkit.dockerfile.v0' },
      { createdBy: 'RUN |2 A=x y B=2 sh -c echo exec # buildkit', comment: 'buildkit.dockerfile.v0' },
      { createdBy: '|2 FLAVOR=special VERSION=1.0 /bin/sh -ec echo "$VERSION-$FLAVOR" > /f' },
    ]);
    assert.deepEqual(withShell!.buildArgs, [['A', 'x y'], ['B', '2']]);
    assert.equal(withShell!.text, 'RUN echo $A');
    // The exec form has no shell to anchor on: the value seen in the other entry tells where it ends.
    assert.deepEqual(exec!.buildArgs, [['A', 'x y'], ['B', '2']]);
    assert.equal(exec!.text, 'RUN sh -c echo exec');
    assert.deepEqual(classic!.buildArgs, [['FLAVOR', 'special'], ['VERSION', '1.0']]);
    assert.equal(classic!.text, 'RUN /bin/sh -ec echo "$VERSION-$FLAVOR" > /f');
    assert.equal(classic!.builder, 'classic');
  });

  test('what the text says about layers', () => {
    const rule = (createdBy: string, comment = ''): string => cleanHistoryEntry(createdBy, comment).layerRule;
    assert.equal(rule('ENV A=1', 'buildkit.dockerfile.v0'), 'metadata');
    assert.equal(rule('RUN /bin/sh -c true # buildkit', 'buildkit.dockerfile.v0'), 'layer');
    assert.equal(rule('COPY a b # buildkit', 'buildkit.dockerfile.v0'), 'layer');
    assert.equal(rule('WORKDIR /app', 'buildkit.dockerfile.v0'), 'either');
    assert.equal(rule('/bin/sh -c #(nop)  LABEL a=b'), 'metadata');
    assert.equal(rule('/bin/sh -c #(nop) WORKDIR /app'), 'either');
    assert.equal(rule('/bin/sh -c #(nop) COPY file:abc in /x '), 'either');
    assert.equal(rule('/bin/sh -c true'), 'either');
    assert.equal(rule('', 'Imported from -'), 'either');
    assert.equal(rule('RUN make # buildkit', 'buildkit.exporter.image.v0'), 'layer');
    assert.equal(cleanHistoryEntry('RUN make', 'buildkit.exporter.image.v0').padding, true);
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-made edge cases

const d = (name: string): string => `sha256:${name.padEnd(64, '0')}`;
const BK = 'buildkit.dockerfile.v0';

describe('alignment edge cases', () => {
  test('no history: every layer unattributed, said once', () => {
    const model = buildImageLayersModel({ id: d('f'), repoTags: [], repoDigests: [], diffIds: [d('a'), d('b')] });
    assert.deepEqual(model.rows.map((row) => [row.kind, row.layerIndex, row.historyIndex]), [
      ['unattributed', 0, undefined],
      ['unattributed', 1, undefined],
    ]);
    assert.deepEqual(model.problems, ['no-history']);
    assert.match(model.notes[0]!, /no history: none of its 2 layers/);
  });

  test('an unreadable history is said, and the layers still shown', () => {
    const model = buildImageLayersModel({ id: d('f'), repoTags: [], repoDigests: [], diffIds: [d('a')], historyProblem: 'Docker could not list the history of x (too many non-empty layers in History section): its layers are shown without instructions.' });
    assert.equal(model.rows.length, 1);
    assert.match(model.notes[0]!, /too many non-empty layers/);
  });

  test('BuildKit padding: the build\'s own entries sit on the top layers; the base\'s layers have no instruction', () => {
    // A base with two layers and no history; BuildKit appended an entry per missing layer, at the end.
    // The engine paired them bottom up, so the sizes it reports belong to the wrong entries: RUN shows b1's 100.
    const history: HistoryEntryInput[] = [
      { createdBy: 'ENV A=1', comment: BK, size: 0 },
      { createdBy: 'RUN /bin/sh -c make # buildkit', comment: BK, size: 100 },
      { createdBy: 'COPY . /app # buildkit', comment: BK, size: 200 },
      { createdBy: 'pulled from docker.io/library/base', comment: 'buildkit.exporter.image.v0', size: 10 },
      { createdBy: '', comment: 'buildkit.exporter.image.v0', size: 20 },
    ];
    const alignment = alignHistoryWithLayers([d('b1'), d('b2'), d('r1'), d('r2')], history);
    assert.deepEqual(alignment.entries.map((entry) => [entry.kind, entry.layerIndex, entry.size]), [
      ['metadata', undefined, 0],
      ['layer', 2, 10],
      ['layer', 3, 20],
      ['unattributed', undefined, undefined],
      ['unattributed', undefined, undefined],
    ]);
    assert.deepEqual(alignment.layers.map((layer) => [layer.entryIndex, layer.size]), [
      [undefined, 100],
      [undefined, 200],
      [1, 10],
      [2, 20],
    ]);
    assert.deepEqual(alignment.problems, ['padded']);
    const model = buildImageLayersModel({ id: d('f'), repoTags: [], repoDigests: [], diffIds: [d('b1'), d('b2'), d('r1'), d('r2')], history });
    // The base's layers come first in build order, before the build's own entries.
    assert.deepEqual(model.rows.map((row) => [row.historyIndex, row.layerIndex]), [
      [0, undefined],
      [undefined, 0],
      [undefined, 1],
      [1, 2],
      [2, 3],
      [3, undefined],
      [4, undefined],
    ]);
  });

  test('fewer history entries than layers, without padding: nothing is paired', () => {
    const alignment = alignHistoryWithLayers([d('a'), d('b'), d('c')], [{ createdBy: '/bin/sh -c make', size: 5 }]);
    assert.deepEqual(alignment.problems, ['short-history']);
    assert.deepEqual(alignment.entries.map((entry) => entry.kind), ['unattributed']);
    assert.ok(alignment.layers.every((layer) => layer.entryIndex === undefined));
  });

  test('more history entries making layers than layers (a config blob): nothing is paired', () => {
    const alignment = alignHistoryWithLayers([d('a')], [
      { createdBy: '', emptyLayer: false },
      { createdBy: 'RUN /bin/sh -c make # buildkit', comment: BK, emptyLayer: false },
    ]);
    assert.deepEqual(alignment.problems, ['long-history']);
    assert.deepEqual(alignment.entries.map((entry) => entry.kind), ['unattributed', 'unattributed']);
  });

  test('a config blob\'s empty_layer flags are exact, empty-tar layers included', () => {
    const alignment = alignHistoryWithLayers([d('a'), EMPTY_LAYER_DIFF_ID, d('c')], [
      { createdBy: '/bin/sh -c #(nop) ADD file:abc in / ', emptyLayer: false },
      { createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', emptyLayer: true },
      { createdBy: 'WORKDIR /app', comment: BK, emptyLayer: false },
      { createdBy: 'ENV A=1', comment: BK, emptyLayer: true },
      { createdBy: 'RUN /bin/sh -c make # buildkit', comment: BK, emptyLayer: false },
    ]);
    assert.deepEqual(alignment.entries.map((entry) => [entry.kind, entry.layerIndex]), [
      ['layer', 0],
      ['metadata', undefined],
      ['layer', 1],
      ['metadata', undefined],
      ['layer', 2],
    ]);
    assert.deepEqual(alignment.problems, []);
  });

  test('zero-byte layers: an entry with bytes never takes the empty tar, which settles who made it', () => {
    // Another tool's RUNs (no rule from the text): X or Z made the third layer; only Z can, since Y has bytes.
    const alignment = alignHistoryWithLayers([d('a'), d('y'), EMPTY_LAYER_DIFF_ID], [
      { createdBy: '', size: 5 },
      { createdBy: 'RUN x', size: 0 },
      { createdBy: 'RUN y', size: 4 },
      { createdBy: 'RUN z', size: 0 },
    ]);
    assert.deepEqual(alignment.entries.map((entry) => [entry.kind, entry.layerIndex]), [
      ['layer', 0],
      ['metadata', undefined],
      ['layer', 1],
      ['layer', 2],
    ]);
  });

  test('zero-byte layers the data cannot place stay unattributed; a known layer count places them', () => {
    const history: HistoryEntryInput[] = [
      { createdBy: '', size: 5 },
      { createdBy: '/bin/sh -c mkdir /x', size: 0, imageId: d('i1') },
      { createdBy: '/bin/sh -c true', size: 0, imageId: d('i2') },
      { createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', size: 0, imageId: d('i3') },
    ];
    const blind = alignHistoryWithLayers([d('a'), d('x')], history);
    assert.deepEqual(blind.entries.map((entry) => entry.kind), ['layer', 'unattributed', 'unattributed', 'metadata']);
    assert.deepEqual(blind.layers[1]!.candidates, [1, 2]);
    assert.equal(blind.layers[1]!.size, 0);
    const counted = alignHistoryWithLayers([d('a'), d('x')], history.map((entry, index) => (index === 1 ? { ...entry, layerCount: 2 } : entry)));
    assert.deepEqual(counted.entries.map((entry) => [entry.kind, entry.layerIndex]), [
      ['layer', 0],
      ['layer', 1],
      ['metadata', undefined],
      ['metadata', undefined],
    ]);
  });
});

describe('sharing and base image by layer chain', () => {
  const image = (id: string, tags: string[], layers: string[], created = 0): LocalImageLayers => ({ id: d(id), repoTags: tags, repoDigests: [], diffIds: layers.map(d), created });
  const base = image('e', ['busybox:latest'], ['x']);
  const older = image('a', ['app:old'], ['x', 'y'], 1);
  const sibling = image('b', [], ['x', 'z']);
  const elsewhere = image('c', ['other:1'], ['q', 'y']);
  const twin = image('t', ['twin:1'], ['x', 'y', 'w']);
  const self = image('s', ['app:new'], ['x', 'y', 'w']);
  const index = LocalLayerIndex.build([base, older, sibling, elsewhere, twin, self]);

  test('a layer is shared only with the same layers below it', () => {
    const sharing = index.sharing(self.diffIds, self.id);
    assert.deepEqual(sharing.map((shared) => shared.images.map((other) => other.id).sort()), [[base.id, older.id, sibling.id, twin.id].sort(), [older.id, twin.id].sort(), [twin.id]]);
    assert.deepEqual(sharing.map((shared) => shared.count), [4, 2, 1]);
    // An image not in the index (or no self given) is compared with all of them.
    assert.deepEqual(index.sharing([d('x'), d('z')]).map((shared) => shared.count), [5, 1]);
  });

  test('the base is the longest strict prefix with a tag, unless the FROM names another local one', () => {
    assert.equal(index.findBase(self.diffIds, self.id)?.image.id, older.id);
    const named = index.findBase(self.diffIds, self.id, 'docker.io/library/busybox');
    assert.deepEqual([named?.image.id, named?.name, named?.layerCount, named?.viaFrom], [base.id, 'busybox:latest', 1, true]);
    // An identical chain is not a base; neither is anything for a one-layer image.
    assert.equal(index.findBase([d('x')], 'none'), undefined);
    const untagged = LocalLayerIndex.build([image('u', [], ['x']), self]);
    assert.equal(untagged.findBase(self.diffIds, self.id)?.name, 'u00000000000');
  });
});

describe('Dockerfile attribution edge cases', () => {
  const entry = (createdBy: string, size = 0, comment = BK): HistoryEntryInput => ({ createdBy, comment, size });
  const image = (history: HistoryEntryInput[], diffIds: string[]): ImageLayersInput => ({ id: d('f'), repoTags: [], repoDigests: [], diffIds, history });

  test('heredoc RUNs as newer BuildKit records them: the body, a #! script, and a heredoc inside a command', () => {
    const dockerfile = [
      'FROM alpine:3.20', // 0
      'RUN <<EOT', // 1
      'apk add --no-cache curl',
      'mkdir -p /app',
      'EOT', // 4
      'RUN <<EOT', // 5
      '#!/bin/sh',
      'echo script > /app/script.txt',
      'EOT', // 8
      'RUN cat <<EOF > /app/conf.txt', // 9
      'key=value',
      'EOF', // 11
      'COPY --chown=1000:1000 --chmod=755 app.sh /app/', // 12
      '',
    ].join('\n');
    const model = buildImageLayersModel(
      image(
        [
          entry('/bin/sh -c #(nop) ADD file:abc in / ', 7_000_000, ''),
          entry('/bin/sh -c #(nop)  CMD ["/bin/sh"]', 0, ''),
          entry('RUN /bin/sh -c apk add --no-cache curl\nmkdir -p /app\n # buildkit', 2_000_000),
          entry('RUN /dev/pipes/EOT # buildkit', 20),
          entry('RUN /bin/sh -c cat <<EOF > /app/conf.txt\nkey=value\nEOF # buildkit', 10),
          entry('COPY --chown=1000:1000 --chmod=755 app.sh /app/ # buildkit', 300),
        ],
        [d('a'), d('b'), d('c'), d('e'), d('f')],
      ),
      { dockerfile: { text: dockerfile } },
    );
    assert.deepEqual(describeRows(model), ['base L0 ADD -', 'base meta CMD -', 'L1 RUN 1-4', 'L2 RUN 5-8', 'L3 RUN 9-11', 'L4 COPY 12']);
    // No local image: the base is told by the Dockerfile (its first instruction's entry).
    assert.deepEqual([model.base?.name, model.base?.via, model.base?.layerCount, model.base?.rowCount], ['alpine:3.20', 'dockerfile', 1, 2]);
    assert.equal(model.rows[2]!.instruction!.text, 'RUN apk add --no-cache curl\nmkdir -p /app');
  });

  test('ARG and ENV values are expanded where the builders expand them, and unknown ones match anything', () => {
    const dockerfile = [
      'ARG BASE=alpine:3.20', // 0
      'FROM ${BASE}', // 1
      'ARG DEST=/srv', // 2
      'ARG TOOL', // 3
      'ENV APP_HOME=${DEST}/app PATH=$PATH:/opt/bin', // 4
      'WORKDIR $APP_HOME', // 5
      'COPY tool-${TOOL}.sh ${APP_HOME}/', // 6
      'RUN ./tool-$TOOL.sh', // 7
      'USER ${RUNAS:-nobody}', // 8
      '',
    ].join('\n');
    const model = buildImageLayersModel(
      image(
        [
          entry('', 100, ''),
          entry('ARG DEST=/srv'),
          entry('ARG TOOL'),
          entry('ENV APP_HOME=/data/app PATH=/usr/bin:/bin:/opt/bin'),
          entry('WORKDIR /data/app'),
          entry('COPY tool-v2.sh /data/app/ # buildkit', 30),
          entry('RUN |2 DEST=/data TOOL=v2 /bin/sh -c ./tool-$TOOL.sh # buildkit', 40),
          entry('USER nobody'),
        ],
        [d('a'), d('w'), d('c'), d('r')],
      ),
      { dockerfile: { text: dockerfile } },
    );
    assert.deepEqual(describeRows(model), ['base L0 -', 'meta ARG 2', 'meta ARG 3', 'meta ENV 4', 'L1 WORKDIR 5', 'L2 COPY 6', 'L3 RUN 7', 'meta USER 8']);
    assert.equal(model.base?.name, 'alpine:3.20');
  });

  test('a command the file has twice but the history once is not guessed', () => {
    const model = buildImageLayersModel(image([entry('', 5, ''), entry('RUN /bin/sh -c make # buildkit', 3)], [d('a'), d('b')]), {
      dockerfile: { text: 'FROM x\nRUN make\nRUN make\n' },
    });
    assert.deepEqual(describeRows(model), ['L0 -', 'L1 RUN -']);
    assert.equal(model.dockerfile?.matchedSteps, 0);
  });

  test('a RUN recorded without its shell (kaniko) still matches its line', () => {
    const model = buildImageLayersModel(image([entry('', 5, ''), entry('RUN apk add curl', 3, ''), entry('ENV A=1', 0, '')], [d('a'), d('b')]), {
      dockerfile: { text: 'FROM x\nRUN apk add curl\nENV A=1\n' },
    });
    assert.deepEqual(describeRows(model), ['base L0 -', 'L1 RUN 1', 'meta ENV 2']);
  });

  test('only the target stage\'s chain counts: the same command in another stage is not attributed', () => {
    const text = 'FROM x AS build\nRUN make\nFROM x\nRUN make install\n';
    const model = buildImageLayersModel(image([entry('', 5, ''), entry('RUN /bin/sh -c make # buildkit', 3)], [d('a'), d('b')]), { dockerfile: { text } });
    assert.deepEqual(describeRows(model), ['L0 -', 'L1 RUN -']);
    const build = buildImageLayersModel(image([entry('', 5, ''), entry('RUN /bin/sh -c make # buildkit', 3)], [d('a'), d('b')]), { dockerfile: { text, stage: 'build' } });
    assert.deepEqual(describeRows(build), ['base L0 -', 'L1 RUN 1']);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated histories: whatever is paired is paired right

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('properties', () => {
  test('alignment from engine sizes never pairs an entry with a layer it did not make (2,000 generated histories)', () => {
    const random = prng(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    let placed = 0;
    let total = 0;
    for (let round = 0; round < 2000; round++) {
      const history: HistoryEntryInput[] = [];
      const truth: Array<number | undefined> = [];
      const diffIds: string[] = [];
      const sizes: number[] = [];
      const count = 1 + Math.floor(random() * 25);
      for (let i = 0; i < count; i++) {
        const kind = i === 0 ? 'base' : pick(['bk-run', 'bk-meta', 'bk-workdir', 'classic-run', 'classic-nop', 'classic-copy', 'other']);
        const makesLayer = kind === 'base' || kind === 'bk-run' ? true : kind === 'bk-meta' || kind === 'classic-nop' ? false : random() < 0.5;
        const createdBy = {
          base: '',
          'bk-run': `RUN /bin/sh -c step-${i} # buildkit`,
          'bk-meta': `ENV STEP=${i}`,
          'bk-workdir': `WORKDIR /w${i}`,
          'classic-run': `/bin/sh -c step-${i}`,
          'classic-nop': `/bin/sh -c #(nop)  ENV STEP=${i}`,
          'classic-copy': `/bin/sh -c #(nop) COPY file:${i} in /c${i} `,
          other: `step ${i}`,
        }[kind]!;
        let size = 0;
        if (makesLayer) {
          const empty = kind !== 'base' && random() < 0.2;
          size = empty || random() < 0.3 ? 0 : 1 + Math.floor(random() * 1000);
          diffIds.push(empty ? EMPTY_LAYER_DIFF_ID : d(`l${round}x${i}`));
          sizes.push(size);
        }
        truth.push(makesLayer ? diffIds.length - 1 : undefined);
        history.push({ createdBy, comment: kind.startsWith('bk') ? BK : '', size, layerCount: random() < 0.15 ? diffIds.length : undefined });
      }
      const alignment = alignHistoryWithLayers(diffIds, history);
      assert.deepEqual(alignment.problems.filter((problem) => problem !== 'ambiguous'), [], `round ${round}`);
      alignment.entries.forEach((entry, index) => {
        total++;
        if (entry.kind === 'unattributed') return;
        placed++;
        assert.equal(entry.layerIndex, truth[index], `round ${round}, entry ${index} (${history[index]!.createdBy})`);
      });
      alignment.layers.forEach((layer, index) => {
        if (layer.size !== undefined) assert.equal(layer.size, sizes[index], `round ${round}, layer ${index}`);
      });
    }
    // Most entries are placed all the same (here 71%: a third of these steps are zero-byte ones the text cannot classify).
    assert.ok(placed / total > 0.6, `${placed} of ${total} placed`);
  });

  test('attribution never names a line that did not write the entry, whatever the edits (1,000 generated files)', () => {
    const random = prng(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    // A small pool, so that the same command appears often: the hard case.
    const pool = ['RUN make', 'RUN make install', 'RUN apk add curl', 'COPY . /app', 'COPY src /src', 'ENV A=1', 'ENV B=2', 'WORKDIR /app', 'CMD ["run"]', 'EXPOSE 80'];
    const recorded = (line: string): HistoryEntryInput => {
      const [keyword, ...rest] = line.split(' ');
      const args = rest.join(' ');
      if (keyword === 'RUN') return { createdBy: `RUN /bin/sh -c ${args} # buildkit`, comment: BK, size: 1 };
      if (keyword === 'COPY') return { createdBy: `COPY ${args} # buildkit`, comment: BK, size: 1 };
      if (keyword === 'EXPOSE') return { createdBy: `EXPOSE map[${args}/tcp:{}]`, comment: BK, size: 0 };
      return { createdBy: line, comment: BK, size: 0 };
    };
    let attributedCount = 0;
    let entriesCount = 0;
    for (let round = 0; round < 1000; round++) {
      const built = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(pool));
      const history: HistoryEntryInput[] = [{ createdBy: '', size: 5 }, ...built.map(recorded)];
      const diffIds = history.filter((entry) => entry.size! > 0 || entry.createdBy.startsWith('WORKDIR')).map((_, index) => d(`r${round}l${index}`));
      // Edit the file: each line kept, changed or deleted; new lines inserted anywhere unless `insertions` is off.
      const insertions = round % 2 === 0;
      const current: Array<{ text: string; origin?: number }> = [];
      built.forEach((line, origin) => {
        if (insertions && random() < 0.15) current.push({ text: pick(pool) });
        const roll = random();
        if (roll < 0.7) current.push({ text: line, origin });
        else if (roll < 0.85) current.push({ text: `${line}-edited` });
      });
      if (insertions && random() < 0.3) current.push({ text: pick(pool) });
      const text = ['FROM base', ...current.map((line) => line.text)].join('\n');
      const model = buildImageLayersModel(image(history, diffIds), { dockerfile: { text } });
      model.rows.forEach((row) => {
        if (row.historyIndex === undefined || row.historyIndex === 0) return;
        entriesCount++;
        const origin = row.historyIndex - 1;
        if (!row.dockerfile) return;
        attributedCount++;
        const line = current[row.dockerfile.startLine - 1]!;
        // The same instruction text always; without insertions, exactly the line it was built from.
        assert.equal(line.text, built[origin], `round ${round}: ${JSON.stringify(built)} -> ${JSON.stringify(current.map((l) => l.text))}`);
        if (!insertions) assert.equal(line.origin, origin, `round ${round}: ${JSON.stringify(built)} -> ${JSON.stringify(current.map((l) => l.text))}`);
      });
      // An unedited file: every entry on its own line.
      if (current.every((line, index) => line.origin === index) && current.length === built.length) {
        assert.deepEqual(
          model.rows.filter((row) => row.historyIndex !== undefined && row.historyIndex > 0).map((row) => row.dockerfile?.startLine),
          built.map((_, index) => index + 1),
          `round ${round}`,
        );
      }
    }
    assert.ok(attributedCount / entriesCount > 0.5, `${attributedCount} of ${entriesCount} attributed`);
  });
});

function image(history: HistoryEntryInput[], diffIds: string[]): ImageLayersInput {
  return { id: d('f'), repoTags: [], repoDigests: [], diffIds, history };
}
