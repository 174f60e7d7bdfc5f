import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { changesImageList, EngineEventWatcher, type WatcherStatus, parseEngineEvent } from '../../../src/engine/events';
import { Coalescer } from '../../../src/util/coalescer';
import { silentLogger } from '../../../src/util/logger';

describe('parseEngineEvent', () => {
  test('a Docker image event', () => {
    const event = parseEngineEvent('{"status":"tag","id":"sha256:1","Type":"image","Action":"tag","Actor":{"ID":"sha256:1","Attributes":{"name":"app:2"}},"scope":"local","time":1,"timeNano":1000}');
    assert.deepEqual(event, { type: 'image', action: 'tag', actorId: 'sha256:1', attributes: { name: 'app:2' }, timeNano: 1000 });
    assert.ok(changesImageList(event));
  });
  test('actions with detail after a colon', () => {
    assert.equal(parseEngineEvent('{"Type":"container","Action":"exec_start: sh -c ls","Actor":{"ID":"c"}}')?.action, 'exec_start');
  });
  test('not events', () => {
    for (const line of ['', 'not json', '42', 'null', '{"Type":"image"}', '{"Action":"tag"}']) assert.equal(parseEngineEvent(line), undefined, line);
  });
  test('which events change the list', () => {
    const cases: Array<[string, string, boolean]> = [
      ['image', 'pull', true],
      ['image', 'untag', true],
      ['image', 'delete', true],
      ['image', 'load', true],
      ['image', 'import', true],
      ['image', 'push', false],
      ['container', 'create', true],
      ['container', 'destroy', true],
      ['container', 'start', false],
      ['network', 'connect', false],
    ];
    for (const [type, action, expected] of cases) assert.equal(changesImageList({ type, action, actorId: '', attributes: {} }), expected, `${type} ${action}`);
  });
});

describe('EngineEventWatcher', () => {
  test('splits events across chunk boundaries, ignores garbage, and reconnects with backoff when the stream ends', async () => {
    const streams: PassThrough[] = [];
    let opens = 0;
    const watcher = new EngineEventWatcher(
      () => {
        opens++;
        if (opens === 2) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
        const stream = new PassThrough();
        streams.push(stream);
        return Promise.resolve(stream);
      },
      silentLogger,
      { initialMs: 5, maxMs: 20 },
    );
    const actions: string[] = [];
    const statuses: WatcherStatus['kind'][] = [];
    watcher.onEvent((event) => actions.push(event.action));
    watcher.onStatus((status) => statuses.push(status.kind));
    watcher.start();
    await until(() => streams.length === 1);
    streams[0]!.write('{"Type":"image","Action":"ta');
    streams[0]!.write('g","Actor":{"ID":"x"}}\n{garbage}\n{"Type":"image","Action":"untag","Actor":{"ID":"x"}}\n');
    await until(() => actions.length === 2);
    assert.deepEqual(actions, ['tag', 'untag']);
    streams[0]!.end();
    await until(() => streams.length === 2);
    // The stream ends, the first reconnect is refused, the second one connects.
    assert.deepEqual(statuses, ['connecting', 'connected', 'disconnected', 'connecting', 'disconnected', 'connecting', 'connected']);
    assert.equal(opens, 3);
    watcher.dispose();
  });

  test('stop() ends the stream and no reconnect follows', async () => {
    let opens = 0;
    const stream = new PassThrough();
    const watcher = new EngineEventWatcher(
      () => {
        opens++;
        return Promise.resolve(stream);
      },
      silentLogger,
      { initialMs: 1, maxMs: 1 },
    );
    watcher.start();
    await until(() => opens === 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    watcher.stop();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(opens, 1);
    assert.ok(stream.destroyed);
  });
});

describe('Coalescer', () => {
  test('a burst becomes one flush; a lone trigger flushes after the quiet gap', async () => {
    let flushes = 0;
    const coalescer = new Coalescer(() => flushes++, 10, 1000);
    for (let i = 0; i < 50; i++) coalescer.trigger();
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(flushes, 1);
    coalescer.trigger();
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(flushes, 2);
    coalescer.dispose();
  });

  test('a steady stream still flushes by maxWait', async () => {
    let flushes = 0;
    const coalescer = new Coalescer(() => flushes++, 20, 30);
    const interval = setInterval(() => coalescer.trigger(), 5);
    await new Promise((resolve) => setTimeout(resolve, 120));
    clearInterval(interval);
    coalescer.dispose();
    assert.ok(flushes >= 2, `flushed ${flushes} times`);
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
