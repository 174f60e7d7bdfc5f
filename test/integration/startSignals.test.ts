// `npm start` must stop everything it started however it is stopped: each signal goes to the
// npm process, as a terminal or a process manager would send it, not to scripts/start.ts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { isZombie, removeTempDir } from '../env/cleanup';
import { codeServerDir, REPO_ROOT } from '../env/codeServer';
import { freeLoopbackPort } from '../env/ports';
import { delay, isolatedEnv, logTail } from '../env/processes';

const READY_DEADLINE_MS = 180_000;
const STOP_DEADLINE_MS = 90_000;
// Set in npm's environment and inherited by every process the run starts, detached ones included:
// it finds them (even one started after the signal) and nothing else on this shared machine.
const MARKER = 'LAYERLENS_START_SIGNAL_TEST';

interface Run {
  npm: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  port: number;
  marker: string;
  logFile: string;
  /** The sample registries' ports (no auth, basic, token), chosen here, never the defaults. */
  registryPorts: number[];
  /** LAYERLENS_CACHE of the run, where its sample workspace goes. */
  cacheDir: string;
}

async function startNpm(t: { after(fn: () => void): void }): Promise<Run> {
  const port = await freeLoopbackPort();
  const marker = crypto.randomUUID();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llsig-'));
  const logFile = path.join(logDir, 'npm-start.log');
  const cacheDir = path.join(logDir, 'cache');
  const registryPorts = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
  const log = fs.openSync(logFile, 'a');
  // The cache only for the sample workspace: code-server stays where it is installed.
  const env = isolatedEnv({ [MARKER]: marker, LAYERLENS_SKIP_INSTALL_DEPS: '1', LAYERLENS_CACHE: cacheDir, LAYERLENS_CODE_SERVER_DIR: codeServerDir() });
  delete env.NODE_TEST_CONTEXT;
  // Its own process group, as a terminal's job would be, so nothing reaches the test runner.
  const args = ['start', '--', '--sample', '--port', String(port), '--registry-ports', registryPorts.join(',')];
  const npm = spawn('npm', args, { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.once('exit', (code, signal) => resolve({ code, signal })));
  const dirs = new Set<string>();
  t.after(() => {
    // Passing or not: nothing of this run may outlive the test.
    for (const proc of markedProcesses(marker)) {
      for (const dir of proc.cmdline.match(/\/tmp\/ll-[A-Za-z0-9]+/g) ?? []) dirs.add(dir);
      kill(proc.pid, 'SIGKILL');
    }
    if (npm.exitCode === null && npm.signalCode === null && npm.pid) kill(-npm.pid, 'SIGKILL');
    for (const dir of dirs) removeTempDir(dir);
    fs.rmSync(logDir, { recursive: true, force: true });
  });
  return { npm, exited, port, marker, logFile, registryPorts, cacheDir };
}

interface MarkedProcess {
  pid: number;
  ppid: number;
  /** Start time in ticks: with the pid, it names the process even after the pid is reused. */
  start: string;
  comm: string;
  cmdline: string;
}

/** Live processes whose environment carries this run's marker. */
function markedProcesses(marker: string): MarkedProcess[] {
  const needle = `\0${MARKER}=${marker}\0`;
  const found: MarkedProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!`\0${fs.readFileSync(`/proc/${pid}/environ`, 'utf8')}`.includes(needle) || isZombie(pid)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      found.push({ pid, ppid: Number(fields[1]), start: fields[19] ?? '', comm, cmdline });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

function isAlive(proc: MarkedProcess): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${proc.pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] === proc.start && !isZombie(proc.pid);
  } catch {
    return false;
  }
}

function describe(procs: MarkedProcess[]): string {
  return procs.map((proc) => `${proc.comm} (${proc.pid})`).join(', ');
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Every process below root, following parent links (detached services keep theirs). */
function treeOf(root: number, procs: MarkedProcess[]): MarkedProcess[] {
  const tree: MarkedProcess[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const proc of procs) {
      if (parents.has(proc.ppid) && !parents.has(proc.pid)) {
        parents.add(proc.pid);
        tree.push(proc);
        grew = true;
      }
    }
  }
  return tree;
}

async function waitFor(what: string, run: Run, deadlineMs: number, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > deadline) assert.fail(`${what} within ${deadlineMs / 1000} s; npm start's output:\n${logTail(run.logFile)}`);
    await delay(250);
  }
}

function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual', signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);
}

/** Free when we can listen on it ourselves, which also proves no child still holds it. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port }, () => server.close(() => resolve(true)));
  });
}

function running(run: Run): boolean {
  return run.npm.exitCode === null && run.npm.signalCode === null;
}

async function signalAndExpectEverythingGone(run: Run, signal: NodeJS.Signals, started: MarkedProcess[], toGroup = false): Promise<void> {
  if (toGroup) kill(-(run.npm.pid as number), signal);
  else run.npm.kill(signal);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const status = await Promise.race([run.exited, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), STOP_DEADLINE_MS)))]);
  clearTimeout(timer);
  assert.ok(status, `npm did not exit within ${STOP_DEADLINE_MS / 1000} s of ${signal}:\n${logTail(run.logFile)}`);
  // npm passes on start.ts's 128 + n, or (SIGHUP, which npm does not forward) dies of the signal itself.
  const expectedCode = 128 + (os.constants.signals[signal] ?? 0);
  assert.ok(status.code === expectedCode || status.signal === signal, `npm exited with ${JSON.stringify(status)} after ${signal}`);
  await waitFor(`every process started should be gone after ${signal}`, run, STOP_DEADLINE_MS, () => !started.some(isAlive));
  // Also any started after the tree was read (a service still starting when the signal came).
  const late = markedProcesses(run.marker);
  assert.deepEqual(late, [], `still running after ${signal}: ${describe(late)}`);
  await waitFor(`port ${run.port} should be free after ${signal}`, run, STOP_DEADLINE_MS, () => portIsFree(run.port));
}

/** The sample's registries on the ports asked for, named by kind, how to log in, and a workspace outside the repository. */
async function expectSampleOutput(run: Run): Promise<void> {
  await waitFor('npm start should print the address to open', run, READY_DEADLINE_MS, () => fs.readFileSync(run.logFile, 'utf8').includes('Layerlens is running'));
  const output = fs.readFileSync(run.logFile, 'utf8');
  const [none, basic, token] = run.registryPorts;
  for (const line of [`127.0.0.1:${none} (no auth)`, `127.0.0.1:${basic} (basic auth)`, `127.0.0.1:${token} (token auth)`, 'user layerlens, password layerlens-secret']) {
    assert.ok(output.includes(line), `"${line}" in npm start's output:\n${output}`);
  }
  const folder = decodeURIComponent(/\?folder=(\S+)/.exec(output)?.[1] ?? '');
  assert.equal(folder, path.join(run.cacheDir, 'sample-workspace'), `the folder opened, in:\n${output}`);
  assert.ok(fs.existsSync(path.join(folder, '.vscode', 'settings.json')));
}

const CASES = [
  { signal: 'SIGINT', toGroup: false, name: 'SIGINT to npm start' },
  { signal: 'SIGTERM', toGroup: false, name: 'SIGTERM to npm start' },
  { signal: 'SIGHUP', toGroup: false, name: 'SIGHUP to npm start' },
  // start.ts then gets SIGINT twice, from the terminal and forwarded by npm.
  { signal: 'SIGINT', toGroup: true, name: "A terminal's Ctrl-C (SIGINT to npm's process group)" },
] as const;

for (const { signal, toGroup, name } of CASES) {
  test(`${name} stops code-server, the engine and the registries, and frees the port`, { timeout: READY_DEADLINE_MS + 3 * STOP_DEADLINE_MS }, async (t) => {
    const run = await startNpm(t);
    await waitFor(`code-server should answer on port ${run.port}`, run, READY_DEADLINE_MS, async () => {
      if (!running(run)) assert.fail(`npm start exited early:\n${logTail(run.logFile)}`);
      return answers(run.port);
    });
    const tree = treeOf(run.npm.pid as number, markedProcesses(run.marker));
    const count = (pattern: RegExp): number => tree.filter((proc) => pattern.test(proc.cmdline)).length;
    assert.equal(count(/^dockerd /), 1, `dockerd in the tree: ${describe(tree)}`);
    assert.equal(count(/^containerd /), 1, `containerd in the tree: ${describe(tree)}`);
    assert.equal(count(/^docker-registry /), 3, `three registries in the tree: ${describe(tree)}`);
    assert.ok(count(/code-server/) >= 1, `code-server in the tree: ${describe(tree)}`);
    await expectSampleOutput(run);
    await signalAndExpectEverythingGone(run, signal, tree, toGroup);
  });
}

test('SIGTERM to npm start while the sample engine is still starting stops what has started', { timeout: READY_DEADLINE_MS + 3 * STOP_DEADLINE_MS }, async (t) => {
  const run = await startNpm(t);
  await waitFor('dockerd should be starting', run, READY_DEADLINE_MS, () => {
    if (!running(run)) assert.fail(`npm start exited early:\n${logTail(run.logFile)}`);
    return markedProcesses(run.marker).some((proc) => proc.comm === 'dockerd');
  });
  await signalAndExpectEverythingGone(run, 'SIGTERM', treeOf(run.npm.pid as number, markedProcesses(run.marker)));
  assert.equal(await answers(run.port), false, 'code-server never started');
});
