// Runs the mocha suite in test/extension/suite inside a real VS Code extension host: code-server
// loads the repo as a development extension, and headless Chromium opens the workbench with the
// test payload. Per-test results come back through a JSON-lines file (see results.ts).
//
//   node --import tsx test/extension/run.ts [--grep RE] [--timeout MS] [--no-build] [--no-engine]
//                                           [--extension-path DIR] [--folder DIR] [--results FILE]
//
// From the command line it first starts a throwaway engine with the fixture images and a
// registry (test/env), and hands DOCKER_HOST etc. to the extension host. With --no-engine, this
// process's own DOCKER_* variables are handed on instead. --results writes the counts as JSON.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { type Browser } from 'playwright-core';
import { makeTempDir, removeTempDir } from '../env/cleanup';
import { launchBrowser, REPO_ROOT, startCodeServer, workbenchUrl, type CodeServer } from '../env/codeServer';
import { runCommand } from '../env/processes';
import { bundleSuite, SUITE_ENTRY } from './bundle';
import { callerDockerEnv, startSuiteEnvironment, type SuiteEnvironment } from './environment';
import { GREP_ENV, readRecords, RESULTS_FILE_ENV, TIMEOUT_ENV, type TestRecord } from './results';

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const POLL_MS = 250;

export interface ExtensionTestOptions {
  /** Passed to code-server, so the extension host (and the extension) see it: e.g. DOCKER_HOST. */
  env?: NodeJS.ProcessEnv;
  /** The workspace folder VS Code opens; default: a fresh empty temp dir. */
  folder?: string;
  /** The extension under test, loaded via extensionDevelopmentPath; default: the repo. */
  extensionPath?: string;
  /** Run `node scripts/build.mjs` first; default: true when testing the repo itself. */
  build?: boolean;
  /** For the whole run, from opening the workbench to the suite's exit; default 5 minutes. */
  timeoutMs?: number;
  /** Only tests whose full title matches this regular expression. */
  grep?: string;
  /** Per-mocha-test timeout inside the extension host; default 30 s. */
  testTimeoutMs?: number;
  /** Where progress lines go; default console.log. */
  log?: (line: string) => void;
}

export interface ExtensionTestResult {
  passed: number;
  failed: number;
  skipped: number;
  /** "full test title: first error line", one per failure (tests, hooks, or the run itself). */
  failures: string[];
}

export async function runExtensionTests(opts: ExtensionTestOptions = {}): Promise<ExtensionTestResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const extensionPath = path.resolve(opts.extensionPath ?? REPO_ROOT);
  const timer = stopwatch();
  if (opts.build ?? extensionPath === REPO_ROOT) {
    await runCommand(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  }
  await bundleSuite();
  const built = timer.lap();

  const work = makeTempDir();
  const folder = opts.folder ?? path.join(work, 'workspace');
  fs.mkdirSync(folder, { recursive: true });
  const resultsFile = path.join(work, 'results.jsonl');
  const result: ExtensionTestResult = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const onRecord = (record: TestRecord): void => tally(result, record, log);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let serverReady = '';
  try {
    server = await startCodeServer({
      folder,
      env: {
        ...opts.env,
        [RESULTS_FILE_ENV]: resultsFile,
        ...(opts.grep ? { [GREP_ENV]: opts.grep } : {}),
        ...(opts.testTimeoutMs ? { [TIMEOUT_ENV]: String(opts.testTimeoutMs) } : {}),
      },
    });
    serverReady = timer.lap();
    browser = await launchBrowser();
    const url = workbenchUrl(server.url, { folder, extensionDevelopmentPath: extensionPath, extensionTestsPath: SUITE_ENTRY });
    const outcome = await runInWorkbench(browser, url, resultsFile, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, onRecord);
    checkOutcome(result, outcome, log, server.logTail());
    if (result.failed > 0) log(`Layerlens output channel (last lines):\n${indent(layerlensLogTail(server.userDataDir))}`);
  } finally {
    await browser?.close();
    await server?.stop();
    removeTempDir(work);
  }
  log(`extension timings: build+bundle ${built} s, code-server ready ${serverReady} s, tests ${timer.lap()} s, total ${timer.total()} s`);
  return result;
}

interface WorkbenchOutcome {
  /** The suite's exit code, or undefined when it timed out. */
  exitCode: number | undefined;
  sawEnd: boolean;
  workbenchLog: string[];
}

/** Opens the payload URL and waits for codeAutomationExit, printing results as they arrive. */
async function runInWorkbench(
  browser: Browser,
  url: string,
  resultsFile: string,
  timeoutMs: number,
  onRecord: (record: TestRecord) => void,
): Promise<WorkbenchOutcome> {
  const page = await browser.newPage();
  const workbenchLog: string[] = [];
  const remember = (line: string): void => {
    workbenchLog.push(line);
    if (workbenchLog.length > 200) workbenchLog.shift();
    if (process.env.LAYERLENS_TEST_VERBOSE) console.error(`[workbench] ${line}`);
  };
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  // The workbench calls these on window: the exit code when run() settles, and its log lines.
  await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
  await page.exposeFunction('codeAutomationLog', (level: string, message: string) => remember(`${level}: ${message}`));
  page.on('pageerror', (error) => remember(`pageerror: ${error.message}`));
  page.on('crash', () => remember('the page crashed'));

  let offset = 0;
  let sawEnd = false;
  const drain = (): void => {
    const { records, nextByte } = readRecords(resultsFile, offset);
    offset = nextByte;
    for (const record of records) {
      if (record.kind === 'end') sawEnd = true;
      onRecord(record);
    }
  };
  const poller = setInterval(drain, POLL_MS);
  let timeout: ReturnType<typeof setTimeout> | undefined;
  try {
    await page.goto(url);
    const timedOut = new Promise<undefined>((resolve) => (timeout = setTimeout(() => resolve(undefined), timeoutMs)));
    const exitCode = await Promise.race([exited, timedOut]);
    drain();
    return { exitCode, sawEnd, workbenchLog };
  } finally {
    clearInterval(poller);
    clearTimeout(timeout);
  }
}

function tally(result: ExtensionTestResult, record: TestRecord, log: (line: string) => void): void {
  if (record.kind === 'end') return;
  if (record.kind === 'error') {
    result.failed++;
    result.failures.push(`${record.title}: ${firstLine(record.error)}`);
    log(`  ✗ ${record.title}\n${indent(record.error)}`);
    return;
  }
  const duration = record.durationMs === undefined ? '' : ` (${record.durationMs} ms)`;
  if (record.state === 'passed') {
    result.passed++;
    log(`  ✓ ${record.title}${duration}`);
  } else if (record.state === 'skipped') {
    result.skipped++;
    log(`  - ${record.title} (skipped)`);
  } else {
    result.failed++;
    result.failures.push(`${record.title}: ${firstLine(record.error ?? '')}`);
    log(`  ✗ ${record.title}${duration}\n${indent(record.error ?? '')}`);
  }
}

/** Turns a run that did not finish cleanly into a counted failure, with logs to explain it. */
function checkOutcome(result: ExtensionTestResult, outcome: WorkbenchOutcome, log: (line: string) => void, serverLog: string): void {
  let problem: string | undefined;
  if (outcome.exitCode === undefined) problem = 'the extension tests timed out';
  else if (!outcome.sawEnd) problem = `the suite never finished (extension host exit code ${outcome.exitCode})`;
  else if (outcome.exitCode !== 0 && result.failed === 0) problem = `the extension host reported exit code ${outcome.exitCode}`;
  else if (result.passed + result.failed + result.skipped === 0) problem = 'no extension tests ran';
  if (!problem) return;
  result.failed++;
  result.failures.push(problem);
  log(`  ✗ ${problem}`);
  log(`workbench log (last lines):\n${indent(outcome.workbenchLog.slice(-30).join('\n'))}`);
  log(`code-server log (last lines):\n${indent(serverLog)}`);
}

/** The end of the extension's own log (its LogOutputChannel is written under the user data dir's logs). */
function layerlensLogTail(userDataDir: string, lines = 60): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/Layerlens\.log$/.test(entry.name)) found.push(full);
    }
  };
  const logs = path.join(userDataDir, 'logs');
  if (fs.existsSync(logs)) walk(logs);
  if (!found.length) return '(no Layerlens log file under the user data dir)';
  return found.map((file) => fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')).join('\n');
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function indent(text: string): string {
  return text.split('\n').map((line) => `      ${line}`).join('\n');
}

function stopwatch(): { lap(): string; total(): string } {
  const start = Date.now();
  let last = start;
  const seconds = (ms: number): string => (ms / 1000).toFixed(1);
  return {
    lap: () => {
      const now = Date.now();
      const lap = seconds(now - last);
      last = now;
      return lap;
    },
    total: () => seconds(Date.now() - start),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      grep: { type: 'string' },
      timeout: { type: 'string' },
      'no-build': { type: 'boolean' },
      'no-engine': { type: 'boolean' },
      'extension-path': { type: 'string' },
      folder: { type: 'string' },
      results: { type: 'string' },
    },
  });
  let result: ExtensionTestResult;
  let suiteEnv: SuiteEnvironment | undefined;
  try {
    if (!values['no-engine']) suiteEnv = await startSuiteEnvironment();
    result = await runExtensionTests({
      env: suiteEnv?.env ?? callerDockerEnv(),
      grep: values.grep,
      timeoutMs: values.timeout ? Number(values.timeout) : undefined,
      build: values['no-build'] ? false : undefined,
      extensionPath: values['extension-path'],
      folder: values.folder,
    });
  } catch (error) {
    console.error(error);
    result = { passed: 0, failed: 1, skipped: 0, failures: [String(error)] };
  } finally {
    await suiteEnv?.stop().catch((error: unknown) => console.error(error));
  }
  if (values.results) fs.writeFileSync(values.results, JSON.stringify(result, null, 2));
  if (result.skipped > 0) console.log(`extension: ${result.skipped} skipped`);
  console.log(`extension: ${result.passed} passed, ${result.failed} failed`);
  process.exitCode = result.failed > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) void main();
