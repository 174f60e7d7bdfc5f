// Waste tied to the Dockerfile on a real build: the archive's layers (engine/imageArchive.ts),
// the contents model, and the Layers model's attribution of each layer to its line, for a
// Dockerfile whose waste is known by construction (the line numbers below are the file's).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import Dockerode from 'dockerode';
import { readEngineImageLayers } from '../../src/engine/imageArchive';
import { ImageFactsCache } from '../../src/engine/imageFacts';
import { listLocalImages } from '../../src/engine/images';
import { LocalIndexCache, readLayersModelInput } from '../../src/layers/engineLayers';
import { analyzeLayers } from '../../src/layers/layerContents';
import { buildImageLayersModel } from '../../src/layers/model';
import { layerLinesOf, wasteItems } from '../../src/layers/wasteItems';
import { BASE_IMAGE, importBusyboxBase, startTestEngine, type TestEngine } from '../env';
import { makeTempDir } from '../env/cleanup';

const IMAGE = 'layerlens-test/waste:1';
const DOCKERFILE = [
  `FROM ${BASE_IMAGE}`, // 1
  'RUN mkdir -p /var/cache/pkgs && head -c 512000 /dev/zero > /var/cache/pkgs/big.deb', // 2
  'COPY secret.tar /app/secret.tar', // 3
  'RUN rm -rf /var/cache/pkgs /app/secret.tar && echo small > /etc/motd', // 4
  '',
].join('\n');

let engine: TestEngine;
let docker: Dockerode;

before(async () => {
  engine = await startTestEngine();
  await importBusyboxBase(engine);
  const context = makeTempDir();
  fs.writeFileSync(path.join(context, 'Dockerfile'), DOCKERFILE);
  fs.writeFileSync(path.join(context, 'secret.tar'), Buffer.alloc(9000, 1));
  await engine.docker(['build', '--quiet', '-t', IMAGE, context], { env: { DOCKER_BUILDKIT: '0' } });
  docker = new Dockerode({ socketPath: engine.socketPath });
}, { timeout: 120_000 });

after(async () => {
  await engine?.dispose();
});

test('each waste item names the line that wrote it and the line that removed it, with the fix', async () => {
  const contents = analyzeLayers((await readEngineImageLayers(docker, IMAGE)).layers);
  const read = await readLayersModelInput(docker, IMAGE, { facts: new ImageFactsCache(), index: new LocalIndexCache() }, { images: await listLocalImages(docker) });
  const model = buildImageLayersModel(read.image, { index: read.index, dockerfile: { text: DOCKERFILE } });
  const items = wasteItems(contents, layerLinesOf(model));
  const summary = items.map((item) => ({ path: item.path, bytes: item.bytes, wrote: item.writtenLine?.line, hid: item.hiddenLine?.line }));
  assert.deepEqual(summary.slice(0, 2), [
    { path: 'var/cache/pkgs', bytes: 512_000, wrote: 2, hid: 4 },
    { path: 'app/secret.tar', bytes: 9000, wrote: 3, hid: 4 },
  ]);
  assert.equal(items[0]!.fix, 'var/cache/pkgs (512.0 kB) is written by line 2 and removed by line 4: remove it in the same RUN as line 2.');
  assert.match(items[1]!.fix, /^app\/secret\.tar \(9\.0 kB\) is brought in by COPY on line 3 and removed by line 4: leave it out of the build context/);
  assert.equal(items.reduce((sum, item) => sum + item.bytes, 0), contents.hiddenBytes, 'the items account for every hidden byte');
});
