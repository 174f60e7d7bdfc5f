// Reading the layers model's input from the engine (src/layers/engineLayers.ts): engine JSON
// to model input, intermediate images for zero-byte steps, and the index over local images
// read through the image-facts cache.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Dockerode from 'dockerode';
import { alignHistoryWithLayers, buildImageLayersModel } from '../../../src/layers/model';
import { imageLayersFromEngine, LocalIndexCache, readImageLayers } from '../../../src/layers/engineLayers';
import { ImageFactsCache, type EngineHistoryItem, type EngineImageInspect } from '../../../src/engine/imageFacts';

const d = (name: string): string => `sha256:${name.padEnd(64, '0')}`;

describe('engine read', () => {
  const inspect: EngineImageInspect = {
    Id: d('top'),
    RepoTags: ['app:1', '<none>:<none>'],
    RepoDigests: ['<none>@<none>'],
    Created: '2026-01-02T03:04:05.5Z',
    Size: 15,
    Os: 'linux',
    Architecture: 'arm',
    Variant: 'v7',
    RootFS: { Type: 'layers', Layers: [d('a'), d('b')] },
  };
  const history: EngineHistoryItem[] = [
    { Id: d('top'), Created: 1_700_000_002, CreatedBy: '/bin/sh -c #(nop)  CMD ["sh"]', Tags: ['app:1'], Size: 0, Comment: '' },
    { Id: d('mid'), Created: 1_700_000_001, CreatedBy: '/bin/sh -c mkdir /x', Tags: null, Size: 0, Comment: '' },
    { Id: d('low'), Created: 1_700_000_001, CreatedBy: '/bin/sh -c true', Tags: null, Size: 0, Comment: '' },
    { Id: '<missing>', Created: 1_700_000_000, CreatedBy: '', Tags: null, Size: 15, Comment: 'imported' },
  ];

  test('engine JSON -> model input: oldest first, IDs, seconds to milliseconds, no placeholder names', () => {
    const input = imageLayersFromEngine(inspect, history);
    assert.deepEqual(input.repoTags, ['app:1']);
    assert.deepEqual(input.repoDigests, []);
    assert.equal(input.created, Date.parse('2026-01-02T03:04:05.5Z'));
    assert.deepEqual(input.history!.map((entry) => [entry.createdBy, entry.imageId, entry.created, entry.layerCount]), [
      ['', undefined, 1_700_000_000_000, undefined],
      ['/bin/sh -c true', d('low'), 1_700_000_001_000, undefined],
      ['/bin/sh -c mkdir /x', d('mid'), 1_700_000_001_000, undefined],
      ['/bin/sh -c #(nop)  CMD ["sh"]', d('top'), 1_700_000_002_000, 2],
    ]);
    assert.equal(buildImageLayersModel(input).image.platform, 'linux/arm/v7');
  });

  /** A Dockerode stand-in serving `images` by ID and counting calls. */
  function fakeDocker(images: Record<string, EngineImageInspect>, historyOf: (id: string) => EngineHistoryItem[]): { docker: Dockerode; calls: string[] } {
    const calls: string[] = [];
    const docker = {
      getImage: (id: string) => ({
        inspect: () => {
          calls.push(`inspect ${id}`);
          const found = images[id];
          return found ? Promise.resolve(found) : Promise.reject(Object.assign(new Error('no such image'), { statusCode: 404 }));
        },
        history: () => {
          calls.push(`history ${id}`);
          return Promise.resolve(historyOf(id));
        },
      }),
      listImages: () => Promise.resolve(Object.values(images).map((image) => ({ Id: image.Id, RepoTags: image.RepoTags, RepoDigests: image.RepoDigests, Created: 1 }))),
    };
    return { docker: docker as unknown as Dockerode, calls };
  }

  test('zero-byte steps of a classic build are placed with the intermediate images\' layer counts', async () => {
    const { docker, calls } = fakeDocker(
      {
        [d('top')]: inspect,
        [d('mid')]: { Id: d('mid'), RootFS: { Layers: [d('a'), d('b')] } },
        [d('low')]: { Id: d('low'), RootFS: { Layers: [d('a')] } },
      },
      () => history,
    );
    const input = await readImageLayers(docker, d('top'), new ImageFactsCache());
    assert.deepEqual(alignHistoryWithLayers(input.diffIds, input.history).entries.map((entry) => [entry.kind, entry.layerIndex]), [
      ['layer', 0],
      ['metadata', undefined],
      ['layer', 1],
      ['metadata', undefined],
    ]);
    assert.deepEqual(calls.sort(), [`history ${d('top')}`, `inspect ${d('low')}`, `inspect ${d('mid')}`, `inspect ${d('top')}`]);
  });

  test('a history the daemon refuses is reported, not thrown', async () => {
    const refusing = {
      getImage: () => ({
        inspect: () => Promise.resolve(inspect),
        history: () => Promise.reject(Object.assign(new Error('(HTTP code 500) server error - too many non-empty layers in History section'), { statusCode: 500, json: { message: 'too many non-empty layers in History section' } })),
      }),
    } as unknown as Dockerode;
    const input = await readImageLayers(refusing, 'app:1', new ImageFactsCache());
    assert.equal(input.history, undefined);
    assert.equal(input.historyProblem, 'Docker could not list the history of app:1 (too many non-empty layers in History section): its layers are shown without instructions.');
  });

  test('local layers are inspected once per image ID; the index is rebuilt only when the images change', async () => {
    const images = {
      [d('top')]: inspect,
      [d('base')]: { Id: d('base'), RepoTags: ['base:1'], RootFS: { Layers: [d('a')] } },
    };
    const { docker, calls } = fakeDocker(images, () => history.slice(3));
    const facts = new ImageFactsCache(2);
    const indexes = new LocalIndexCache();
    const list = Object.values(images).map((image) => ({ id: image.Id, repoTags: image.RepoTags ?? [] }));
    const first = await indexes.index(docker, facts, list);
    const second = await indexes.index(docker, facts, list);
    assert.equal(first, second);
    assert.equal(calls.filter((call) => call.startsWith('inspect')).length, 2);
    assert.equal(first.findBase(inspect.RootFS!.Layers!, inspect.Id)?.name, 'base:1');
    // A new name is a new index; the layers are not read again.
    const renamed = await indexes.index(docker, facts, list.map((image) => (image.id === d('base') ? { ...image, repoTags: ['base:2'] } : image)));
    assert.notEqual(renamed, first);
    assert.equal(renamed.findBase(inspect.RootFS!.Layers!, inspect.Id)?.name, 'base:2');
    assert.equal(calls.filter((call) => call.startsWith('inspect')).length, 2);
    // An image removed since the list was read is left out, not an error.
    const without = await indexes.index(docker, facts, [...list, { id: d('gone'), repoTags: ['gone:1'] }]);
    assert.deepEqual(without.images.map((image) => image.id).sort(), [d('base'), d('top')].sort());
  });
});

