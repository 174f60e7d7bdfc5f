// The layers model on fresh builds: the fixture Dockerfiles built on a throwaway Docker Engine
// with the classic builder and with BuildKit, read back through src/layers/engineLayers.ts (inspect,
// history, the intermediate images and every local image's layers), and every history entry
// attributed to the right Dockerfile line.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildImageLayersModel } from '../../src/layers/model';
import { LocalIndexCache, readLayersModelInput, type LayersModelRead } from '../../src/layers/engineLayers';
import { ImageFactsCache } from '../../src/engine/imageFacts';
import { listLocalImages } from '../../src/engine/images';
import { EngineSession } from '../../src/engine/session';
import { importBusyboxBase, startTestEngine, type TestEngine } from '../env';
import { describeRows, EXPECTED_ROWS } from '../unit/fixtures/layers/expected';
import { EMPTY_TAR_IMAGE, handmadeImageTarball, NO_HISTORY_IMAGE, PADDED_IMAGE, TOO_LONG_HISTORY_IMAGE, type HandmadeImage } from '../unit/fixtures/layers/handmade';
import { buildLayersFixture } from '../unit/fixtures/layers/record';
import { FIXTURE_BUILDERS, LAYERS_FIXTURE_DIR, LAYERS_FIXTURES } from '../unit/fixtures/layers/specs';
import { inputsFor, recordingLogger } from './support';

let engine: TestEngine;
let session: EngineSession;

type Caches = { facts: ImageFactsCache; index: LocalIndexCache };
const newCaches = (): Caches => ({ facts: new ImageFactsCache(), index: new LocalIndexCache() });
/** What LocalImagesModel would hand the Layers loader: the list read with the same call. */
async function readLayers(calls: Parameters<typeof listLocalImages>[0], nameOrId: string, caches: Caches): Promise<LayersModelRead> {
  return readLayersModelInput(calls, nameOrId, caches, { images: await listLocalImages(calls) });
}

before(async () => {
  engine = await startTestEngine();
  await importBusyboxBase(engine);
  session = new EngineSession(inputsFor(engine.dockerHost), recordingLogger());
}, { timeout: 120_000 });

after(async () => {
  await engine?.dispose();
});

// In order: the derived fixture builds FROM the appbase tag, which each builder builds anew.
for (const builder of FIXTURE_BUILDERS) {
  describe(`${builder} builds`, () => {
    const cache = newCaches();
    for (const spec of LAYERS_FIXTURES) {
      test(`${spec.name}: every entry on its layer and its Dockerfile line`, { timeout: 120_000 }, async () => {
        const tag = await buildLayersFixture(engine, builder, spec);
        const dockerfile = fs.readFileSync(path.join(LAYERS_FIXTURE_DIR, spec.dockerfile), 'utf8');
        const started = performance.now();
        const { image, index } = await session.run(`layers of ${tag}`, (connection) => readLayers(connection.calls, tag, cache));
        const readMs = performance.now() - started;
        const model = buildImageLayersModel(image, { index, dockerfile: { text: dockerfile } });
        const expected = EXPECTED_ROWS[builder][spec.name]!;
        assert.deepEqual(describeRows(model), expected.rows);
        assert.deepEqual(model.problems, []);
        assert.equal(model.base?.name, expected.base);
        assert.equal(model.base?.layerCount, expected.baseLayers);
        assert.equal(model.rows.reduce((sum, row) => sum + (row.size ?? Number.NaN), 0), image.size);
        // The base image's busybox layer is on disk once, for every image built here.
        assert.equal(model.rows[0]!.shared?.count, index.images.length - 1);
        console.log(`  ${builder} ${spec.name}: ${model.rows.length} rows, ${index.images.length} local images, read in ${readMs.toFixed(0)} ms`);
      });
    }
  });
}

describe('engine read', () => {
  test('a classic image\'s zero-byte steps need its intermediate images, read once and cached', async () => {
    const cache = newCaches();
    const tag = LAYERS_FIXTURES.find((spec) => spec.name === 'single')!.tag('classic');
    const { image } = await session.run('layers', (connection) => readLayers(connection.calls, tag, cache));
    // RUN true, RUN mkdir, WORKDIR /app, WORKDIR work and RUN rm wrote no bytes: the layer counts told them apart.
    const counted = image.history!.filter((entry) => entry.layerCount !== undefined);
    assert.ok(counted.length >= 5, `${counted.length} entries with a layer count`);
    const again = await session.run('layers', (connection) => readLayers(connection.calls, tag, cache));
    assert.deepEqual(again.image.history, image.history);
  });

  test('an image that does not exist: the engine\'s own words, through the session', async () => {
    await assert.rejects(
      session.run('layers', (connection) => readLayers(connection.calls, 'layerlens-test/no-such-image:1', newCaches())),
      (error: Error) => error.name === 'EngineError' && /no such image/i.test(error.message),
    );
  });
});

describe('hand-made image configs, loaded with docker load', () => {
  const load = async (image: HandmadeImage): Promise<ReturnType<typeof buildImageLayersModel>> => {
    await engine.docker(['load'], { input: handmadeImageTarball(image) });
    const { image: input, index } = await session.run('layers', (connection) => readLayers(connection.calls, image.tag, newCaches()));
    return buildImageLayersModel(input, { index });
  };
  const rows = (model: ReturnType<typeof buildImageLayersModel>): Array<[string, number | undefined, number | undefined, string]> =>
    model.rows.map((row) => [row.kind, row.layerIndex, row.size, row.instruction?.text ?? '']);

  test('BuildKit padding: the engine pairs bottom up (wrong sizes on the entries); the model puts the build\'s entries on the top layers', async () => {
    const model = await load(PADDED_IMAGE);
    const raw = await engine.api<Array<{ CreatedBy: string; Size: number }>>('GET', `/images/${encodeURIComponent(PADDED_IMAGE.tag)}/history`);
    // What the engine says: RUN made 100 bytes, COPY 200 (the base's layers).
    assert.deepEqual(raw.map((item) => item.Size).reverse(), [0, 100, 200, 10, 20]);
    assert.deepEqual(rows(model), [
      ['metadata', undefined, 0, 'ENV APP=1'],
      ['unattributed', 0, 100, ''],
      ['unattributed', 1, 200, ''],
      ['layer', 2, 10, 'RUN make'],
      ['layer', 3, 20, 'COPY . /app'],
      ['unattributed', undefined, undefined, 'pulled from example.com/base'],
      ['unattributed', undefined, undefined, ''],
    ]);
    assert.deepEqual(model.problems, ['padded']);
  });

  test('no history: the engine lists none, the layers are shown unattributed', async () => {
    const model = await load(NO_HISTORY_IMAGE);
    assert.deepEqual(rows(model), [
      ['unattributed', 0, undefined, ''],
      ['unattributed', 1, undefined, ''],
    ]);
    assert.deepEqual(model.problems, ['no-history']);
  });

  test('empty-tar layers (upstream BuildKit\'s empty RUN or WORKDIR): Size 0 from the engine, placed exactly', async () => {
    const model = await load(EMPTY_TAR_IMAGE);
    assert.deepEqual(rows(model), [
      ['layer', 0, 60, 'ADD file:abc in /'],
      ['metadata', undefined, 0, 'CMD ["sh"]'],
      ['layer', 1, 0, 'WORKDIR /app'],
      ['metadata', undefined, 0, 'ENV A=1'],
      ['layer', 2, 70, 'RUN make'],
    ]);
  });

  test('a history naming more layers than the image has: the engine refuses to store such an image at all', async () => {
    await assert.rejects(engine.docker(['load'], { input: handmadeImageTarball(TOO_LONG_HISTORY_IMAGE) }), /too many non-empty layers in History section/);
  });
});
