// A throwaway Podman API service (Docker-compatible) in one temp dir, for tests that show
// Layerlens works against Podman too.
import * as path from 'node:path';
import { makeTempDir, onCleanup, removeTempDir } from './cleanup';
import { pingEngine } from './engineApi';
import { delay, logTail, runCommand, spawnLogged, stopProcess, type LoggedProcess } from './processes';

const READY_TIMEOUT_MS = 30_000;

export interface TestPodman {
  dir: string;
  socketPath: string;
  /** unix://... */
  dockerHost: string;
  /** Runs the podman CLI against the same storage as the service. */
  podman(args: string[], input?: Buffer): Promise<string>;
  dispose(): Promise<void>;
}

export async function startTestPodman(): Promise<TestPodman> {
  const dir = makeTempDir();
  const socketPath = path.join(dir, 'podman.sock');
  const logFile = path.join(dir, 'podman.log');
  // Everything under dir: storage, run state, events log; cgroupfs, since there is no systemd here.
  const globalArgs = ['--root', `${dir}/root`, '--runroot', `${dir}/run`, '--tmpdir', `${dir}/tmp`, '--storage-driver', 'vfs', '--events-backend', 'file', '--cgroup-manager', 'cgroupfs'];
  let service: LoggedProcess | undefined;
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    unregister();
    if (service) await stopProcess(service, 10_000);
    removeTempDir(dir);
  };
  const unregister = onCleanup(dispose);
  try {
    service = await spawnLogged('podman', 'podman', [...globalArgs, 'system', 'service', '--time=0', `unix://${socketPath}`], { logFile });
    const started = Date.now();
    while (!(await pingEngine(socketPath, 1000))) {
      if (!service.isRunning()) throw new Error(`podman system service exited:\n${logTail(logFile)}`);
      if (Date.now() - started > READY_TIMEOUT_MS) throw new Error(`podman did not answer /_ping on ${socketPath} within ${READY_TIMEOUT_MS} ms:\n${logTail(logFile)}`);
      await delay(100);
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    dir,
    socketPath,
    dockerHost: `unix://${socketPath}`,
    podman: (args, input) => runCommand('podman', [...globalArgs, ...args], { input }),
    dispose,
  };
}
