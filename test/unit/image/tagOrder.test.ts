import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareTagsNewestFirst } from '../../../src/image/tagOrder';

test('versions newest first, pre-releases after their release, then the rest', () => {
  const tags = ['latest', '1.2.10', '1.2.9', 'v2.0.0', '2.0.0-rc.1', '2.0.0-rc.10', '1.10', 'alpine', 'edge', '1', 'sha-abc1234', '3.0.0-beta'];
  assert.deepEqual([...tags].sort(compareTagsNewestFirst), ['3.0.0-beta', 'v2.0.0', '2.0.0-rc.10', '2.0.0-rc.1', '1.10', '1.2.10', '1.2.9', '1', 'latest', 'sha-abc1234', 'edge', 'alpine']);
});

test('3,000 numbered tags sort in numeric, not lexical, order', () => {
  const tags = Array.from({ length: 3000 }, (_, i) => `t${i}`).sort(compareTagsNewestFirst);
  assert.deepEqual(tags.slice(0, 3), ['t2999', 't2998', 't2997']);
});
