// Enter in Push Images' multi-select pick: the ticked rows, else the highlighted one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptedItems, firstMatch } from '../../../../src/views/images/pickChoice';

test('ticked rows win over the highlighted one', () => {
  assert.deepEqual(acceptedItems(['a:1', 'b:1'], ['c:1']), ['a:1', 'b:1']);
});

test('nothing ticked: Enter takes the highlighted row', () => {
  assert.deepEqual(acceptedItems([], ['c:1']), ['c:1']);
  assert.deepEqual(acceptedItems([], ['c:1', 'd:1']), ['c:1']);
});

test('nothing ticked or highlighted: nothing, for the pick to say so', () => {
  assert.deepEqual(acceptedItems([], []), []);
});

const rows = [
  { label: 'team/app:1.0', description: '2.0 MB', detail: 'sha256:aaa' },
  { label: 'team/api:2', description: 'running', detail: 'sha256:bbb' },
];

test('nothing typed: the first row is highlighted, as in a single pick', () => {
  assert.equal(firstMatch(rows, ''), rows[0]);
  assert.equal(firstMatch(rows, '   '), rows[0]);
  assert.equal(firstMatch([], ''), undefined);
});

test('typed text highlights the first row whose label, description or detail holds it, in any case', () => {
  assert.equal(firstMatch(rows, 'API'), rows[1]);
  assert.equal(firstMatch(rows, 'running'), rows[1]);
  assert.equal(firstMatch(rows, 'sha256:bb'), rows[1]);
  assert.equal(firstMatch(rows, 'team/'), rows[0]);
});

test('text no row holds highlights nothing', () => {
  assert.equal(firstMatch(rows, 'nginx'), undefined);
});
