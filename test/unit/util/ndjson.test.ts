import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NdjsonLineSplitter } from '../../../src/util/ndjson';

const split = (chunks: Array<Buffer | string>, end = true): string[] => {
  const lines: string[] = [];
  const splitter = new NdjsonLineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  if (end) splitter.end();
  return lines;
};

test('lines cut across chunks come out whole, trimmed, without empty ones', () => {
  assert.deepEqual(split(['{"a":', '1}\n\n  {"b":2}  \r\n{"c"', ':3}\n']), ['{"a":1}', '{"b":2}', '{"c":3}']);
});

test('a UTF-8 character cut between two chunks is decoded whole', () => {
  const bytes = Buffer.from('{"status":"Téléchargement ✓"}\n');
  const cut = bytes.indexOf(0xa9); // the second byte of "é"
  assert.deepEqual(split([bytes.subarray(0, cut), bytes.subarray(cut)]), ['{"status":"Téléchargement ✓"}']);
});

test('a last line without a newline counts only once the stream has ended', () => {
  assert.deepEqual(split(['{"a":1}\n{"b":2}'], false), ['{"a":1}']);
  assert.deepEqual(split(['{"a":1}\n{"b":2}']), ['{"a":1}', '{"b":2}']);
});
