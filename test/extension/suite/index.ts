// Entry point the extension host loads as extensionTestsPath: runs every bundled *.test.js next
// to it with mocha (tdd UI: suite/test/suiteSetup) and reports each result to the runner through
// the JSON-lines file named by LAYERLENS_EXTENSION_TEST_RESULTS. The workbench turns run()'s
// outcome into the exit code it hands to codeAutomationExit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { appendRecord, GREP_ENV, RESULTS_FILE_ENV, TIMEOUT_ENV, type TestRecord } from '../results';

const DEFAULT_TEST_TIMEOUT_MS = 30_000;

export async function run(): Promise<void> {
  const resultsFile = process.env[RESULTS_FILE_ENV];
  const record = (entry: TestRecord): void => {
    if (resultsFile) appendRecord(resultsFile, entry);
    else console.log(`[extension-tests] ${JSON.stringify(entry)}`);
  };
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env[TIMEOUT_ENV] ?? DEFAULT_TEST_TIMEOUT_MS),
    grep: process.env[GREP_ENV] || undefined,
    reporter: recordingReporter(record),
  });
  const testFiles = fs.readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort();
  for (const name of testFiles) mocha.addFile(path.join(__dirname, name));

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve); // loads the files with require(); a file that throws lands in catch
    } catch (error) {
      record({ kind: 'error', title: 'loading the test files', error: errorText(error) });
      record({ kind: 'end', passed: 0, failed: 1, skipped: 0 });
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
  if (failures > 0) throw new Error(`${failures} extension test(s) failed`);
}

/** A mocha reporter that writes one record per test (and per failed hook), then a summary. */
function recordingReporter(record: (entry: TestRecord) => void): Mocha.ReporterConstructor {
  return class RecordingReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      runner.on('pass', (test) => {
        passed++;
        record({ kind: 'test', state: 'passed', title: test.fullTitle(), durationMs: test.duration });
      });
      runner.on('pending', (test) => {
        skipped++;
        record({ kind: 'test', state: 'skipped', title: test.fullTitle() });
      });
      runner.on('fail', (test, error) => {
        failed++;
        const entry = { title: test.fullTitle(), error: errorText(error) };
        record(test.type === 'test' ? { kind: 'test', state: 'failed', durationMs: test.duration, ...entry } : { kind: 'error', ...entry });
      });
      runner.once('end', () => record({ kind: 'end', passed, failed, skipped }));
    }
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
