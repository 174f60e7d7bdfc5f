// The Local Images core against a real, throwaway Docker Engine: listing, grouping,
// dangling and in-use images, removal, live updates from the event stream, and recovery
// when the engine stops and comes back.

import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { EngineError } from '../../src/engine/errors';
import { pruneDanglingImages, removeImage } from '../../src/engine/images';
import { type LocalImagesModel } from '../../src/engine/localImages';
import { type EngineSession } from '../../src/engine/session';
import { startTestEnvironment, type TestEnvironment } from '../env';
import { createImagesModel, describeState, firstError, hasTag, waitForState } from './support';

let env: TestEnvironment;
let model: LocalImagesModel;
let session: EngineSession;

before(async () => {
  // Its own engine: these tests remove, prune and restart, which other suites must not see.
  env = await startTestEnvironment({ registries: false });
  ({ model, session } = createImagesModel(env.engine.dockerHost));
  model.start();
  await waitForState(model, (state) => state.kind === 'ready', 30_000, 'the first listing');
});

after(async () => {
  model?.dispose();
  await env?.stop();
});

describe('listing', () => {
  test('reports the engine and groups the fixture images by repository', () => {
    const state = model.state;
    assert.equal(state.kind, 'ready', describeState(state));
    if (state.kind !== 'ready') return;
    assert.equal(state.engine.product, 'Docker Engine');
    assert.match(state.engine.version, /^\d+\.\d+/);
    assert.equal(state.endpoint, env.engine.dockerHost);
    const base = state.groups.repositories.find((group) => group.label === 'layerlens-test/busybox');
    assert.ok(base, `no busybox group in ${state.groups.repositories.map((g) => g.label).join(', ')}`);
    assert.deepEqual(base.tags.map((tag) => tag.tag), ['1']);
    for (const reference of [env.fixtures.classic.ref, env.fixtures.buildkit.ref, ...env.fixtures.extraTags]) {
      assert.ok(hasTag(state, reference), `missing ${reference}`);
    }
  });

  test('the dangling image is under Dangling, and only images with neither tag nor digest are', () => {
    const state = model.state;
    if (state.kind !== 'ready') assert.fail(describeState(state));
    assert.ok(state.groups.dangling.some((image) => image.id === env.fixtures.dangling.id));
    for (const image of state.groups.dangling) assert.deepEqual([image.repoTags, image.repoDigests], [[], []]);
  });

  test('the image a container uses names that container', () => {
    const state = model.state;
    if (state.kind !== 'ready') assert.fail(describeState(state));
    const inUse = state.images.find((image) => image.id === env.fixtures.inUse.id);
    assert.ok(inUse);
    assert.ok(inUse.containers.some((container) => env.fixtures.inUse.containerId.startsWith(container.id) || container.id.startsWith(env.fixtures.inUse.containerId)));
    const unused = state.images.find((image) => image.repoTags.includes(env.fixtures.base));
    assert.deepEqual(unused?.containers, []);
  });
});

describe('live updates from the event stream', () => {
  test('an outside `docker tag` reaches the model without a refresh call', async () => {
    const reference = 'layerlens-test/outside:one';
    const loadsBefore = model.loadCount;
    await env.engine.docker(['tag', env.fixtures.base, reference]);
    await waitForState(model, (state) => hasTag(state, reference), 10_000, reference);
    assert.equal(model.loadCount, loadsBefore + 1, 'one tag, one refresh');
  });

  test('a burst of 50 tags coalesces into one or two refreshes, and all 50 arrive', async () => {
    const references = Array.from({ length: 50 }, (_, i) => `layerlens-test/burst:t${i}`);
    const loadsBefore = model.loadCount;
    await Promise.all(references.map((reference) => env.engine.api('POST', `/images/${encodeURIComponent(env.fixtures.base)}/tag?repo=layerlens-test/burst&tag=${reference.split(':')[1]}`)));
    await waitForState(model, (state) => references.every((reference) => hasTag(state, reference)), 10_000, 'all 50 burst tags');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refreshes = model.loadCount - loadsBefore;
    assert.ok(refreshes >= 1 && refreshes <= 2, `50 tags caused ${refreshes} refreshes`);
  });

  test('an outside removal reaches the model', async () => {
    const reference = 'layerlens-test/outside:one';
    await env.engine.docker(['rmi', reference]);
    await waitForState(model, (state) => state.kind === 'ready' && !hasTag(state, reference), 10_000, `${reference} gone`);
  });
});

describe('remove', () => {
  test('removing the last tag of an image a container uses is refused, naming the container; force removes it', async () => {
    const reference = env.fixtures.inUse.ref;
    await assert.rejects(
      session.run('remove', (connection) => removeImage(connection.calls, reference)),
      (error: unknown) => error instanceof EngineError && error.kind === 'conflict' && /container [0-9a-f]+ is using/.test(error.message),
    );
    const result = await session.run('force remove', (connection) => removeImage(connection.calls, reference, { force: true }));
    assert.ok(result.untagged.some((untagged) => untagged.includes('layerlens-test/inuse')), JSON.stringify(result));
    // A stopped container does not keep its image: force deletes it, the container stays.
    assert.ok(result.deleted.includes(env.fixtures.inUse.id), JSON.stringify(result));
    await waitForState(model, (state) => state.kind === 'ready' && !state.images.some((image) => image.id === env.fixtures.inUse.id), 10_000, 'in-use image gone');
    const containers = await env.engine.api<Array<{ Id: string }>>('GET', '/containers/json?all=1');
    assert.ok(containers.some((container) => container.Id === env.fixtures.inUse.containerId));
  });

  test('removing a tag that does not exist is a not-found error with the engine’s words', async () => {
    await assert.rejects(
      session.run('remove', (connection) => removeImage(connection.calls, 'layerlens-test/never:there')),
      (error: unknown) => error instanceof EngineError && error.kind === 'not-found' && /No such image: layerlens-test\/never:there/.test(error.message),
    );
  });

  test('removing one of several tags keeps the image', async () => {
    await env.engine.docker(['tag', env.fixtures.base, 'layerlens-test/twotags:a']);
    await env.engine.docker(['tag', env.fixtures.base, 'layerlens-test/twotags:b']);
    const result = await session.run('remove', (connection) => removeImage(connection.calls, 'layerlens-test/twotags:a'));
    assert.deepEqual(result, { untagged: ['layerlens-test/twotags:a'], deleted: [] });
    await waitForState(model, (state) => hasTag(state, 'layerlens-test/twotags:b') && !hasTag(state, 'layerlens-test/twotags:a'), 10_000, 'twotags:a gone');
  });

  test('Remove Dangling Images deletes the dangling fixture and the Dangling group empties', async () => {
    const result = await session.run('prune', (connection) => pruneDanglingImages(connection.calls));
    assert.ok(result.deleted.includes(env.fixtures.dangling.id), JSON.stringify(result));
    await waitForState(model, (state) => state.kind === 'ready' && !state.images.some((image) => image.id === env.fixtures.dangling.id), 10_000, 'dangling gone');
  });
});

describe('engine failures', () => {
  test('a socket that does not exist: an error naming the socket and the next step', async () => {
    const error = await firstError('unix:///tmp/layerlens-no-such-dir/docker.sock');
    assert.equal(error.kind, 'no-socket');
    assert.match(error.message, /unix:\/\/\/tmp\/layerlens-no-such-dir\/docker\.sock: the socket does not exist\. Start Docker/);
  });

  test('a port nothing listens on: connection refused', async () => {
    const error = await firstError('tcp://127.0.0.1:1');
    assert.equal(error.kind, 'refused');
    assert.match(error.message, /tcp:\/\/127\.0\.0\.1:1: connection refused/);
  });

  test('an invalid setting: an error quoting the value', async () => {
    const error = await firstError('ftp://nope');
    assert.equal(error.kind, 'bad-endpoint');
    assert.match(error.message, /"ftp:\/\/nope" from the layerlens\.dockerHost setting is not a Docker host/);
  });

  test('an engine too old for Layerlens is refused with its version', async () => {
    const dir = fs.mkdtempSync('/tmp/ll-old-');
    const socketPath = path.join(dir, 'old.sock');
    const server = http.createServer((request, response) => {
      response.setHeader('Content-Type', 'application/json');
      if (request.url?.endsWith('/version')) response.end(JSON.stringify({ Version: '1.12.6', ApiVersion: '1.24', Os: 'linux', Arch: 'amd64' }));
      else response.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const error = await firstError(`unix://${socketPath}`);
      assert.equal(error.kind, 'too-old');
      assert.match(error.message, /Docker Engine 1\.12\.6 at unix:\/\/.*old\.sock speaks API 1\.24; Layerlens needs API 1\.30/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the engine stops: the model reports it; the engine comes back: the model recovers by itself', async () => {
    await env.engine.stop();
    const down = await waitForState(model, (state) => state.kind === 'error', 20_000, 'the error state');
    if (down.kind !== 'error') assert.fail();
    assert.ok(['no-socket', 'refused'].includes(down.error.kind), down.error.message);
    assert.match(down.error.message, new RegExp(env.engine.socketPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    await env.engine.start();
    const up = await waitForState(model, (state) => state.kind === 'ready', 30_000, 'recovery');
    assert.ok(up.kind === 'ready' && hasTag(up, env.fixtures.base));
    // And the event stream works again after the reconnect.
    await env.engine.docker(['tag', env.fixtures.base, 'layerlens-test/after-restart:1']);
    await waitForState(model, (state) => hasTag(state, 'layerlens-test/after-restart:1'), 10_000, 'a tag after restart');
  });
});
