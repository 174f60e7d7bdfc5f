// Layerlens against Podman's Docker-compatible API: the same model lists, groups and follows
// live changes, and names the engine "Podman".

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import Dockerode from 'dockerode';
import { readEngineImageLayers } from '../../src/engine/imageArchive';
import { makeTempDir } from '../env/cleanup';
import { type LocalImagesModel } from '../../src/engine/localImages';
import { busyboxRootfsTar, startTestPodman, type TestPodman } from '../env';
import { createImagesModel, describeState, hasTag, waitForState } from './support';

let podman: TestPodman;
let model: LocalImagesModel;

before(async () => {
  podman = await startTestPodman();
  // Podman stores full names (`docker.io/...`); a bare name would become `localhost/...`.
  await podman.podman(['import', '-', 'docker.io/layerlens-test/podman-base:1'], busyboxRootfsTar());
  ({ model } = createImagesModel(podman.dockerHost));
  model.start();
  await waitForState(model, (state) => state.kind === 'ready', 30_000, 'the first listing from Podman');
});

after(async () => {
  model?.dispose();
  await podman?.dispose();
});

test('the engine is named Podman and its full names are shown in the familiar form', () => {
  const state = model.state;
  if (state.kind !== 'ready') assert.fail(describeState(state));
  assert.equal(state.engine.product, 'Podman');
  assert.match(state.engine.version, /^4\./);
  const group = state.groups.repositories.find((candidate) => candidate.label === 'layerlens-test/podman-base');
  assert.ok(group, `groups: ${state.groups.repositories.map((g) => `${g.label} (${g.repository})`).join(', ')}`);
  assert.equal(group.repository, 'docker.io/layerlens-test/podman-base');
  assert.deepEqual(group.tags.map((tag) => tag.familiar), ['layerlens-test/podman-base:1']);
});

test('a `podman tag` reaches the model through the event stream', async () => {
  await podman.podman(['tag', 'docker.io/layerlens-test/podman-base:1', 'docker.io/layerlens-test/podman-base:live']);
  await waitForState(model, (state) => hasTag(state, 'docker.io/layerlens-test/podman-base:live'), 15_000, 'the podman tag');
});

test('Podman\'s archive (GET /images/{name}/get) reads into the layers Python\'s tarfile reads from podman save', async () => {
  const saved = path.join(makeTempDir(), 'podman-save.tar');
  await podman.podman(['save', '--format', 'docker-archive', '-o', saved, 'docker.io/layerlens-test/podman-base:1']);
  const { stdout } = await promisify(execFile)('python3', [path.join(__dirname, '..', 'env', 'saveReading.py'), saved], { maxBuffer: 64 * 1024 * 1024 });
  const reading = JSON.parse(stdout) as { diffIds: string[]; layers: Array<{ diffId: string; entries: unknown[] }> };
  const result = await readEngineImageLayers(new Dockerode({ socketPath: podman.socketPath }), 'docker.io/layerlens-test/podman-base:1');
  assert.deepEqual(result.layers.map((layer) => layer.diffId), reading.diffIds);
  assert.deepEqual(result.layers.map((layer) => layer.entries), reading.layers.map((layer) => layer.entries));
  assert.ok(result.layers[0]!.entries.some((entry) => entry.path === 'bin/busybox'), 'the busybox rootfs is there');
});
