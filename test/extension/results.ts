// The channel between the mocha suite (inside the extension host) and the runner (outside):
// a JSON-lines file whose path the runner passes in an environment variable. Both run on the
// same machine, so a file is simpler and more reliable than scraping workbench log lines, and
// the runner can tail it to print results while the suite is still running.
import * as fs from 'node:fs';

export const RESULTS_FILE_ENV = 'LAYERLENS_EXTENSION_TEST_RESULTS';
export const GREP_ENV = 'LAYERLENS_EXTENSION_TEST_GREP';
export const TIMEOUT_ENV = 'LAYERLENS_EXTENSION_TEST_TIMEOUT_MS';

export type TestRecord =
  | { kind: 'test'; state: 'passed' | 'failed' | 'skipped'; title: string; durationMs?: number; error?: string }
  /** A failure outside any test: a hook, or a file that threw while loading. */
  | { kind: 'error'; title: string; error: string }
  | { kind: 'end'; passed: number; failed: number; skipped: number };

export function appendRecord(file: string, record: TestRecord): void {
  fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** Reads the records written so far; a half-written last line is left for the next read. */
export function readRecords(file: string, fromByte = 0): { records: TestRecord[]; nextByte: number } {
  let text: string;
  try {
    text = fs.readFileSync(file).subarray(fromByte).toString('utf8');
  } catch {
    return { records: [], nextByte: fromByte };
  }
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const records = complete
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TestRecord);
  return { records, nextByte: fromByte + Buffer.byteLength(complete) };
}
