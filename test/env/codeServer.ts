// A real VS Code for tests: code-server (workbench + Node extension host) on a free loopback port,
// and headless Chromium to drive it. See docs/environment.md, "A real VS Code, in a real browser".
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { makeTempDir, onCleanup, removeTempDir } from './cleanup';
import { freeLoopbackPort } from './ports';
import { delay, logTail, spawnLogged, type LoggedProcess } from './processes';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'install-code-server.sh');
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 5_000;

export interface CodeServerOptions {
  /** The folder the workbench opens. */
  folder: string;
  /** Merged over our environment; the extension host inherits it (tests set DOCKER_HOST here). */
  env?: NodeJS.ProcessEnv;
  /** Extension folders (with a package.json) to install, as E/<publisher>.<name>-<version>. */
  extensionDirs?: string[];
  /** Extra user settings, merged over the defaults below. */
  settings?: Record<string, unknown>;
  /** Listen here rather than on a free port (the quick start's stable address). */
  port?: number;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** The last lines of code-server's own log, for failure messages. */
  logTail(lines?: number): string;
  /** Kills code-server and everything it started, then removes its temp dirs. Idempotent. */
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and deterministic for tests. */
const DEFAULT_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

/** Layerlens's own cache outside the repository (code-server, the sample workspace); keep in step with install-code-server.sh. */
export function layerlensCacheDir(): string {
  return process.env.LAYERLENS_CACHE ?? path.join(os.homedir(), '.cache', 'layerlens');
}

/** Where install-code-server.sh puts code-server; keep in step with that script. */
export function codeServerDir(): string {
  return process.env.LAYERLENS_CODE_SERVER_DIR ?? path.join(layerlensCacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

/** Installs code-server on first use (about a minute), then returns its entry script. */
export function ensureCodeServer(): string {
  const dir = codeServerDir();
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (readMarker(dir) === CODE_SERVER_VERSION) return entry;
  console.error(`[code-server] not installed in ${dir}; running ${INSTALL_SCRIPT}`);
  // Synchronous on purpose: nothing else can proceed without it, and its progress goes to stderr.
  const result = spawnSync('bash', [INSTALL_SCRIPT], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0 || readMarker(dir) !== CODE_SERVER_VERSION) {
    throw new Error(`installing code-server failed (exit ${result.status}); see the output above`);
  }
  return entry;
}

function readMarker(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, '.layerlens-install-ok'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const entry = ensureCodeServer();
  const tempDir = makeTempDir();
  const userDataDir = path.join(tempDir, 'u');
  const extensionsDir = path.join(tempDir, 'e');
  const logFile = path.join(tempDir, 'code-server.log');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  for (const dir of opts.extensionDirs ?? []) installExtensionFolder(dir, extensionsDir);
  // Our own config file: otherwise code-server writes ~/.config/code-server/config.yaml.
  const configFile = path.join(tempDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const args = [
    '--config', configFile,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    opts.folder,
  ];
  const env = codeServerEnv(opts.env);
  try {
    const { proc, port } = await launchOnFreePort(entry, args, env, opts.folder, logFile, opts.port);
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopped ??= (async () => {
        unregister();
        await killTree(proc);
        removeTempDir(tempDir);
      })();
      return stopped;
    };
    const unregister = onCleanup(stop);
    const url = `http://127.0.0.1:${port}/`;
    return { url, port, userDataDir, extensionsDir, logTail: (lines) => logTail(logFile, lines), stop };
  } catch (error) {
    removeTempDir(tempDir);
    throw error;
  }
}

/**
 * Starts code-server on a port that was free a moment ago and waits until it answers. Another
 * process can take the port in between, so "address already in use" gets a new port.
 */
async function launchOnFreePort(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  logFile: string,
  fixedPort?: number,
): Promise<{ proc: LoggedProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freeLoopbackPort());
    const argv = [entry, '--bind-addr', `127.0.0.1:${port}`, ...args];
    const proc = await spawnLogged('code-server', process.execPath, argv, { logFile, env, cwd });
    liveGroups.add(proc.pid);
    try {
      await waitUntilAnswering(`http://127.0.0.1:${port}/`, proc, logFile);
      return { proc, port };
    } catch (error) {
      await killTree(proc);
      if (fixedPort !== undefined && logTail(logFile).includes('EADDRINUSE')) {
        throw new Error(`port ${fixedPort} is already in use: stop what listens there, or choose another port (--port N)`);
      }
      if (attempt >= 3 || !logTail(logFile).includes('EADDRINUSE')) throw error;
    }
  }
}

/**
 * Process groups of running code-servers. cleanup.ts SIGKILLs only each pid at exit; the
 * extension host and file watcher are children in the same group, so kill whole groups too.
 */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
});

/**
 * Our environment plus the caller's, minus what would make code-server (or the extension host)
 * misbehave: VSCODE_IPC_HOOK_CLI makes code-server open the folder in the VS Code whose terminal
 * runs us and exit; NODE_OPTIONS (e.g. a tsx loader) would load into every VS Code process;
 * PORT would be ignored anyway but is confusing; DOCKER_* must come only from the caller.
 */
function codeServerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const dropped =
      key.startsWith('VSCODE_') || key.startsWith('DOCKER_') || key.startsWith('ELECTRON_') ||
      key === 'NODE_OPTIONS' || key === 'NODE_TEST_CONTEXT' || key === 'PORT';
    if (!dropped) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Symlinks an extension folder into E as <publisher>.<name>-<version>, the installed layout. */
function installExtensionFolder(dir: string, extensionsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    publisher?: string;
    name?: string;
    version?: string;
  };
  const id = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
  fs.symlinkSync(path.resolve(dir), path.join(extensionsDir, id), 'dir');
}

/** Ready when GET / answers at all (code-server redirects to ?folder=...). */
async function waitUntilAnswering(url: string, proc: LoggedProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!proc.isRunning()) throw new Error(`code-server exited before it was ready:\n${logTail(logFile)}`);
    try {
      await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await delay(200);
    }
  }
  throw new Error(`code-server did not answer ${url} within ${READY_TIMEOUT_MS} ms:\n${logTail(logFile)}`);
}

/**
 * SIGTERM to the whole process group (code-server, its server child, the extension host, the
 * file watcher), then SIGKILL to the group and any descendant that left it.
 */
async function killTree(proc: LoggedProcess): Promise<void> {
  const stragglers = descendantsOf(proc.pid);
  signalGroup(proc.pid, 'SIGTERM');
  // A plain delay() would keep the event loop (and the test process) alive after a quick exit.
  let grace: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([proc.exited, new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
  clearTimeout(grace);
  signalGroup(proc.pid, 'SIGKILL');
  for (const pid of [...stragglers, ...descendantsOf(proc.pid)]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await proc.exited;
  liveGroups.delete(proc.pid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is empty already
  }
}

/** Every live descendant of pid, from /proc (a process that called setsid leaves the group). */
function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

export interface WorkbenchUrlOptions {
  folder: string;
  /** Loads this folder as an extension in development mode (no .vsix, no install). */
  extensionDevelopmentPath?: string;
  /** A module (path without .js) whose run() the extension host awaits, then reports the exit code. */
  extensionTestsPath?: string;
}

/**
 * The workbench URL for a folder on a code-server at serverUrl. Paths in the payload are files on
 * code-server's side, so they are vscode-remote:// URIs whose authority is the server itself.
 */
export function workbenchUrl(serverUrl: string, opts: WorkbenchUrlOptions): string {
  const base = new URL(serverUrl);
  const remote = (file: string): string => `vscode-remote://${base.host}${path.resolve(file)}`;
  const payload: [string, string][] = [];
  if (opts.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(opts.extensionDevelopmentPath)]);
  if (opts.extensionTestsPath) payload.push(['extensionTestsPath', remote(opts.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: path.resolve(opts.folder) });
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return new URL(`/?${query.toString()}`, base).toString();
}

/** Headless Debian Chromium; the caller closes it (browser.close()) when done. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.LAYERLENS_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  // A test that throws before closing the browser must not leave Chromium behind.
  const unregister = onCleanup(() => browser.close());
  browser.on('disconnected', () => unregister());
  return browser;
}

/** Re-exported so callers need not know cleanup.ts: stops every server and browser still open. */
export { cleanupAll } from './cleanup';