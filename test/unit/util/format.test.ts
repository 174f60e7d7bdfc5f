import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAge, formatBytes, shortImageId } from '../../../src/util/format';

test('formatBytes uses decimal units like the docker CLI', () => {
  const cases: Array<[number, string]> = [
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [7_700_000, '7.7 MB'],
    [123_456_789, '123 MB'],
    [1_500_000_000, '1.5 GB'],
    [-1, '?'],
    [Number.NaN, '?'],
  ];
  for (const [bytes, expected] of cases) assert.equal(formatBytes(bytes), expected, String(bytes));
});

test('formatAge', () => {
  const now = Date.UTC(2026, 0, 31);
  const cases: Array<[number, string]> = [
    [now - 5_000, 'just now'],
    [now - 60_000, '1 minute ago'],
    [now - 2 * 3600_000, '2 hours ago'],
    [now - 3 * 86400_000, '3 days ago'],
    [now - 14 * 86400_000, '2 weeks ago'],
    [now - 65 * 86400_000, '2 months ago'],
    [now - 800 * 86400_000, '2 years ago'],
    [now + 60_000, 'in the future'],
    [0, 'unknown age'],
  ];
  for (const [created, expected] of cases) assert.equal(formatAge(created, now), expected);
});

test('shortImageId', () => {
  assert.equal(shortImageId('sha256:0123456789abcdef0123'), '0123456789ab');
  assert.equal(shortImageId('0123456789abcdef'), '0123456789ab');
});
