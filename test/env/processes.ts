// Spawning the services (dockerd, containerd, registry) and one-shot tools (docker, openssl).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { trackPid } from './cleanup';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LoggedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves once the process has exited and been reaped. */
  readonly exited: Promise<ExitInfo>;
  isRunning(): boolean;
}

/**
 * The parent's environment minus variables that would point our tools elsewhere:
 * DOCKER_* (another engine, TLS, context) and REGISTRY_* (distribution reads config overrides from them).
 */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('DOCKER_') && !key.startsWith('REGISTRY_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Starts a long-running service with stdout and stderr appended to logFile. It runs in its own
 * process group so a terminal's Ctrl-C reaches only us, and we stop it in order. It is unref'd so
 * a test that forgets to stop it does not hang; the cleanup hooks kill it at exit.
 */
export async function spawnLogged(
  name: string,
  command: string,
  args: string[],
  options: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<LoggedProcess> {
  const logFd = fs.openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    stdio: ['ignore', logFd, logFd],
    env: options.env ?? isolatedEnv(),
    cwd: options.cwd,
    detached: true,
  });
  fs.closeSync(logFd);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`could not start ${name} (${command}): ${error.message}`)));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${name} (${command}): no pid`);
  const untrack = trackPid(pid);
  let running = true;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      untrack();
      resolve({ code, signal });
    });
  });
  child.unref();
  return { name, pid, logFile: options.logFile, exited, isRunning: () => running };
}

/** SIGTERM, then SIGKILL if it has not exited after graceMs. */
export async function stopProcess(proc: LoggedProcess, graceMs: number): Promise<void> {
  if (!proc.isRunning()) return;
  signal(proc.pid, 'SIGTERM');
  // This timer also keeps the event loop alive while we wait for the unref'd child.
  const killer = setTimeout(() => signal(proc.pid, 'SIGKILL'), graceMs);
  try {
    await proc.exited;
  } finally {
    clearTimeout(killer);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already exited
  }
}

export function logTail(file: string, lines = 40): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n').trimEnd();
  } catch (error) {
    return `(no log at ${file}: ${String(error)})`;
  }
}

export interface RunOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Aborting it SIGTERMs the command (a stop requested while it still runs). */
  signal?: AbortSignal;
}

/** Runs a command to completion; rejects with its exit status and stderr. */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? isolatedEnv(),
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error) => reject(new Error(`${command} could not run: ${error.message}`)));
    child.once('close', (code, sig) => {
      if (code === 0) {
        resolve(Buffer.concat(stdout).toString('utf8').trim());
        return;
      }
      const status = sig ? `signal ${sig}` : `exit ${code}`;
      const errText = Buffer.concat(stderr).toString('utf8').trim();
      const outText = Buffer.concat(stdout).toString('utf8').trim().split('\n').slice(-20).join('\n');
      reject(new Error(`${command} ${args.join(' ')} failed (${status}):\n${errText || outText}`));
    });
    // A child that exits without reading stdin must not crash us with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
