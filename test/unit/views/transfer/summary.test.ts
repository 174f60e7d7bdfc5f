// The line a finished pull says, from the engine's own stream lines (as dockerd 20.10 sends them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransferProgressTracker } from '../../../../src/engine/transferProgress';
import { pullSummary } from '../../../../src/views/transfer/summary';

function resultOf(lines: object[]): { status?: string; snapshot: ReturnType<TransferProgressTracker['snapshot']> } {
  const tracker = new TransferProgressTracker();
  for (const line of lines) tracker.apply(line);
  return { status: tracker.outcome.status, snapshot: tracker.snapshot() };
}

const download = (id: string, total: number): object[] => [
  { status: 'Pulling fs layer', id },
  { status: 'Downloading', id, progressDetail: { current: total / 2, total } },
  { status: 'Download complete', id },
  { status: 'Pull complete', id },
];

test('a fresh pull counts its layers and the bytes downloaded', () => {
  const result = resultOf([{ status: '1.27: Pulling from library/nginx', id: '1.27' }, ...download('aaaaaaaaaaaa', 10_000_000), ...download('bbbbbbbbbbbb', 2_000_000), { status: 'Digest: sha256:' + 'c'.repeat(64) }, { status: 'Status: Downloaded newer image for nginx:1.27' }]);
  assert.equal(pullSummary('nginx:1.27', result), 'Pulled nginx:1.27 (2 layers, 12.0 MB downloaded)');
});

test('layers the engine had already are not counted as new', () => {
  const result = resultOf([{ status: 'Already exists', id: 'aaaaaaaaaaaa' }, ...download('bbbbbbbbbbbb', 3_100_000), { status: 'Status: Downloaded newer image for team/app:2' }]);
  assert.equal(pullSummary('team/app:2', result), 'Pulled team/app:2 (1 of 2 layers new, 3.1 MB downloaded)');
});

test('nothing new: up to date', () => {
  const result = resultOf([{ status: 'Already exists', id: 'aaaaaaaaaaaa' }, { status: 'Status: Image is up to date for nginx:1.27' }]);
  assert.equal(pullSummary('nginx:1.27', result), 'nginx:1.27 is up to date (1 layer)');
  assert.equal(pullSummary('nginx:1.27', resultOf([{ status: 'Status: Image is up to date for nginx:1.27' }])), 'nginx:1.27 is up to date');
});

test('a stream without layer lines still says it pulled', () => {
  assert.equal(pullSummary('x:1', resultOf([{ status: 'Status: Downloaded newer image for x:1' }])), 'Pulled x:1');
});
