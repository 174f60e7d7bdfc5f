// Pull Image's input: it never opens with an error, and a repository's Pull opens with a whole
// reference.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pullInputRow, pullPrefill } from '../../../../src/views/transfer/pullInput';

test('a valid reference is a Pull row, with its platform', () => {
  const row = pullInputRow('nginx:1.27 --platform linux/arm64', false);
  assert.equal(row?.label, '$(cloud-download) Pull docker.io/library/nginx:1.27');
  assert.equal(row?.description, 'for linux/arm64');
  assert.ok(row?.request);
});

test('an unfinished reference says nothing until the user types, then says why', () => {
  assert.equal(pullInputRow('127.0.0.1:5000/demo/classic:', false), undefined);
  const row = pullInputRow('127.0.0.1:5000/demo/classic:', true);
  assert.match(row?.label ?? '', /^\$\(error\) .*tag/);
  assert.equal(row?.request, undefined);
  assert.equal(pullInputRow('   ', true), undefined);
});

test('a repository opens with its first tag, or :latest when it has none', () => {
  const tag = (familiar: string) => ({ familiar }) as Parameters<typeof pullPrefill>[0]['tags'][number];
  assert.equal(pullPrefill({ label: '127.0.0.1:5000/demo/classic', tags: [tag('127.0.0.1:5000/demo/classic:2'), tag('127.0.0.1:5000/demo/classic:1')] }), '127.0.0.1:5000/demo/classic:2');
  assert.equal(pullPrefill({ label: 'demo/empty', tags: [] }), 'demo/empty:latest');
  // Whatever it opens with parses: no error on opening.
  assert.ok(pullInputRow(pullPrefill({ label: 'demo/empty', tags: [] }), false)?.request);
});
