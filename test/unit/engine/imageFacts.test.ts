// The image-facts cache: layers and histories read once per image ID, names read each time,
// an engine refusal told apart from a missing image, and memory kept to the listed images.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Dockerode from 'dockerode';
import { ImageFactsCache, type EngineHistoryItem } from '../../../src/engine/imageFacts';

const id = (name: string): string => `sha256:${name.padEnd(64, '0')}`;

function fakeDocker(layers: Record<string, string[]>, failHistory?: (nameOrId: string) => Error | undefined): { docker: Dockerode; calls: string[] } {
  const calls: string[] = [];
  const missing = (): Error => Object.assign(new Error('(HTTP code 404) no such image'), { statusCode: 404 });
  const docker = {
    getImage: (nameOrId: string) => ({
      inspect: () => {
        calls.push(`inspect ${nameOrId}`);
        const key = nameOrId === 'app:1' ? id('app') : nameOrId;
        return layers[key] ? Promise.resolve({ Id: key, RootFS: { Layers: layers[key] } }) : Promise.reject(missing());
      },
      history: () => {
        calls.push(`history ${nameOrId}`);
        const failure = failHistory?.(nameOrId);
        if (failure) return Promise.reject(failure);
        const key = nameOrId === 'app:1' ? id('app') : nameOrId;
        const items: EngineHistoryItem[] = (layers[key] ?? []).map((layer) => ({ Id: '<missing>', Created: 1, CreatedBy: `ADD ${layer}`, Size: 1 }));
        return layers[key] ? Promise.resolve(items) : Promise.reject(missing());
      },
    }),
  };
  return { docker: docker as unknown as Dockerode, calls };
}

describe('image facts cache', () => {
  test('layers are inspected once per ID; an inspect by name remembers them under the ID', async () => {
    const { docker, calls } = fakeDocker({ [id('app')]: ['a', 'b'], [id('base')]: ['a'] });
    const facts = new ImageFactsCache(2);
    assert.equal((await facts.inspect(docker, 'app:1')).Id, id('app'));
    const layers = await facts.layersOf(docker, [id('app'), id('base'), id('base')]);
    assert.deepEqual([...layers], [[id('app'), ['a', 'b']], [id('base'), ['a']]]);
    await facts.layersOf(docker, [id('base')]);
    assert.deepEqual(calls, ['inspect app:1', `inspect ${id('base')}`]);
  });

  test('an image that vanished is left out of layersOf; another failure is thrown', async () => {
    const { docker } = fakeDocker({ [id('base')]: ['a'] });
    const facts = new ImageFactsCache();
    assert.deepEqual([...(await facts.layersOf(docker, [id('gone'), id('base')])).keys()], [id('base')]);
    const down = { getImage: () => ({ inspect: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) }) } as unknown as Dockerode;
    await assert.rejects(facts.layersOf(down, [id('new')]), /ECONNREFUSED/);
  });

  test('a history by ID is read once, by name each time (a name moves); rememberHistory files it under the ID', async () => {
    const { docker, calls } = fakeDocker({ [id('app')]: ['a', 'b'] });
    const facts = new ImageFactsCache();
    assert.equal(await facts.historyLength(docker, id('app')), 2);
    assert.equal(await facts.historyLength(docker, id('app')), 2);
    const byName = await facts.history(docker, 'app:1');
    await facts.history(docker, 'app:1');
    assert.deepEqual(calls, [`history ${id('app')}`, 'history app:1', 'history app:1']);
    const other = new ImageFactsCache();
    other.rememberHistory(id('app'), byName!);
    assert.equal(await other.historyLength(docker, id('app')), 2);
    assert.equal(calls.length, 3);
  });

  test('a missing image has no history, and is asked again later (it may be loaded again)', async () => {
    const layers: Record<string, string[]> = {};
    const { docker, calls } = fakeDocker(layers);
    const facts = new ImageFactsCache();
    assert.equal(await facts.history(docker, id('late')), undefined);
    layers[id('late')] = ['a'];
    assert.equal(await facts.historyLength(docker, id('late')), 1);
    assert.equal(calls.length, 2);
  });

  test('the engine refusing a history is a problem in its own words; a lost engine is thrown and not remembered', async () => {
    let failure: Error | undefined = Object.assign(new Error('(HTTP code 500) server error - too many non-empty layers in History section'), {
      statusCode: 500,
      json: { message: 'too many non-empty layers in History section' },
    });
    const { docker } = fakeDocker({ [id('app')]: ['a'] }, () => failure);
    const facts = new ImageFactsCache();
    assert.deepEqual(await facts.history(docker, id('app')), { problem: 'too many non-empty layers in History section' });
    assert.equal(await facts.historyLength(docker, id('app')), undefined);
    const other = new ImageFactsCache();
    failure = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    await assert.rejects(other.history(docker, id('app')), /socket hang up/);
    failure = undefined;
    assert.equal(await other.historyLength(docker, id('app')), 1);
  });

  test('retain keeps only the listed IDs; clear keeps nothing', async () => {
    const { docker, calls } = fakeDocker({ [id('a')]: ['1'], [id('b')]: ['2'] });
    const facts = new ImageFactsCache();
    await facts.layersOf(docker, [id('a'), id('b')]);
    await facts.history(docker, id('a'));
    facts.retain([id('b')]);
    await facts.layersOf(docker, [id('a'), id('b')]);
    await facts.history(docker, id('a'));
    assert.deepEqual(calls.filter((call) => call.endsWith(id('a'))), [`inspect ${id('a')}`, `history ${id('a')}`, `inspect ${id('a')}`, `history ${id('a')}`]);
    facts.clear();
    await facts.layersOf(docker, [id('b')]);
    assert.equal(calls.filter((call) => call === `inspect ${id('b')}`).length, 2);
  });
});
