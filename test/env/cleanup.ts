// Process-wide bookkeeping for everything the harness starts: temp dirs, child pids and
// graceful stop actions. Whatever a test forgets to stop is still stopped when the process
// ends, including by SIGINT/SIGTERM or an uncaught error ('exit' fires for those too).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';

type StopAction = () => Promise<void>;

const TEMP_PREFIX = '/tmp/ll-';
// Names the process that made a temp dir, so a later run can tell leftovers of a SIGKILLed run
// (no exit hook ran) from the dirs of a run still going on beside it.
const OWNER_FILE = '.layerlens-test-owner';

const tempDirs = new Set<string>();
const livePids = new Set<number>();
const stopActions = new Set<StopAction>();
let hooksInstalled = false;
let signalled = false;
let signalsLeftToCaller = false;
let cleaning: Promise<void> | undefined;

/** A fresh dir under /tmp with a short name: unix socket paths inside it must stay < ~100 bytes. */
export function makeTempDir(): string {
  if (!hooksInstalled) reapStaleTempDirs();
  installProcessHooks();
  const dir = fs.mkdtempSync(TEMP_PREFIX);
  tempDirs.add(dir);
  fs.writeFileSync(`${dir}/${OWNER_FILE}`, processIdentity(process.pid) ?? '');
  return dir;
}

/** Removes temp dirs, and stops the services in them, whose owning harness process is gone. */
export function reapStaleTempDirs(): void {
  const parent = TEMP_PREFIX.slice(0, TEMP_PREFIX.lastIndexOf('/'));
  const prefix = TEMP_PREFIX.slice(parent.length + 1);
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const dir = `${parent}/${name}`;
    let owner: string;
    try {
      owner = fs.readFileSync(`${dir}/${OWNER_FILE}`, 'utf8');
    } catch {
      continue; // not ours, or its owner has not written the marker yet
    }
    const [pid] = owner.split(':');
    if (owner === '' || processIdentity(Number(pid)) === owner) continue;
    console.warn(`[test-env] removing ${dir}, left behind by a killed test run (process ${pid})`);
    removeTempDir(dir);
  }
}

/** "pid:start-time": a pid alone can be reused by an unrelated process after the owner died. */
function processIdentity(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fieldsAfterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${pid}:${fieldsAfterName[19]}`; // field 22, starttime
  } catch {
    return undefined;
  }
}

/**
 * Removes a dir made by makeTempDir. Processes still running from it (containerd shims,
 * an orphaned containerd) and mounts under it would keep files busy, so they go first.
 */
export function removeTempDir(dir: string): void {
  killProcessesUsing(dir);
  unmountUnder(dir);
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch (error) {
    console.warn(`[test-env] could not remove ${dir}: ${String(error)}`);
    return;
  }
  tempDirs.delete(dir);
}

export function trackPid(pid: number): () => void {
  installProcessHooks();
  livePids.add(pid);
  return () => livePids.delete(pid);
}

/** Registers a graceful stop, run by cleanupAll() and on SIGINT/SIGTERM/SIGHUP; returns its unregister. */
export function onCleanup(action: StopAction): () => void {
  installProcessHooks();
  stopActions.add(action);
  return () => stopActions.delete(action);
}

/**
 * Stops everything still registered, newest first (including what registers meanwhile, as a
 * service still starting does), then force-kills and removes leftovers. Concurrent calls share
 * one run: a second caller must not force-kill what the first is still stopping gracefully.
 */
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    for (let action = newestStopAction(); action; action = newestStopAction()) {
      stopActions.delete(action);
      try {
        await action();
      } catch (error) {
        console.error('[test-env] cleanup step failed:', error);
      }
    }
    forceCleanup();
  })().finally(() => (cleaning = undefined));
  return cleaning;
}

function newestStopAction(): StopAction | undefined {
  return [...stopActions].at(-1);
}

/**
 * For a program with its own signal handling (scripts/start.ts): the harness's signal hooks then
 * do nothing, so the caller alone decides when to stop and exit. The exit hook still force-kills.
 */
export function leaveSignalsToCaller(): void {
  signalsLeftToCaller = true;
}

/** Synchronous last resort: the only kind of work allowed in a process 'exit' listener. */
function forceCleanup(): void {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  livePids.clear();
  for (const dir of [...tempDirs]) removeTempDir(dir);
}

function installProcessHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', forceCleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void exitAfterCleanup(signal));
  }
}

async function exitAfterCleanup(signal: NodeJS.Signals): Promise<void> {
  if (signalsLeftToCaller) return;
  const exitCode = 128 + (os.constants.signals[signal] ?? 0);
  if (signalled) {
    // A second signal means "now": the 'exit' listener still force-kills and removes dirs.
    process.exit(exitCode);
  }
  signalled = true;
  console.error(`[test-env] ${signal}: stopping test services...`);
  setTimeout(() => process.exit(exitCode), 30_000);
  await cleanupAll();
  process.exit(exitCode);
}

/** Kills processes whose command line names `dir`: only our own services can, as the dir is unique. */
export function killProcessesUsing(dir: string): void {
  for (const pid of processesMentioning(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // raced with its exit
    }
  }
}

export function processesMentioning(dir: string): number[] {
  const needle = dir.endsWith('/') ? dir : `${dir}/`;
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(needle) && !isZombie(pid)) pids.push(pid);
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

export function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

function unmountUnder(dir: string): void {
  let mountInfo: string;
  try {
    mountInfo = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return;
  }
  const mountPoints = mountInfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined)
    .map((point) => point.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mountPoints) spawnSync('umount', ['-l', point], { stdio: 'ignore' });
}
