// What a Local Images row says of an image's containers: "running" only for a running one;
// created, exited and paused containers only hold the image.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerUseKind, containerUseText, type ContainerUse } from '../../../src/engine/images';

const container = (state: string, name = state): ContainerUse => ({ id: `${name}-id`, name, state });

test('no container: nothing to say', () => {
  assert.equal(containerUseKind([]), 'none');
  assert.equal(containerUseText([]), undefined);
});

test('a created or exited container is a stopped one, not "running"', () => {
  for (const state of ['created', 'exited', 'paused', 'dead', 'unknown']) {
    assert.equal(containerUseKind([container(state)]), 'stopped', state);
    assert.equal(containerUseText([container(state)]), 'used by a stopped container', state);
  }
  assert.equal(containerUseText([container('created', 'a'), container('exited', 'b')]), 'used by 2 stopped containers');
});

test('any running container makes it running', () => {
  assert.equal(containerUseKind([container('exited', 'a'), container('running', 'b')]), 'running');
  assert.equal(containerUseText([container('running')]), 'running');
});
