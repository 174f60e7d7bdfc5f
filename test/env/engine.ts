// A throwaway Docker Engine (dockerd 20.10 + its own containerd) living entirely in one temp dir.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir, onCleanup, killProcessesUsing, removeTempDir } from './cleanup';
import { engineJson, pingEngine } from './engineApi';
import { delay, isolatedEnv, logTail, runCommand, spawnLogged, stopProcess, type LoggedProcess } from './processes';

/** The 20.10 client from Debian's docker.io: the /usr/local/bin one (28.x) cannot build with BuildKit here. */
export const DOCKER_CLI = '/usr/bin/docker';
const READY_TIMEOUT_MS = 30_000;
const DOCKERD_STOP_GRACE_MS = 15_000;
const CONTAINERD_STOP_GRACE_MS = 10_000;

export interface TestEngine {
  dir: string;
  socketPath: string;
  /** unix://... */
  dockerHost: string;
  /**
   * A complete environment for a docker client aimed at this engine: ours, minus any DOCKER_*
   * pointing elsewhere, plus DOCKER_HOST and DOCKER_CONFIG (an empty config dir of its own).
   */
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Runs /usr/bin/docker against this engine; resolves with trimmed stdout, rejects with stderr. */
  docker(args: string[], opts?: { input?: string | Buffer; env?: NodeJS.ProcessEnv }): Promise<string>;
  /** Engine API call over the socket: JSON in, JSON out, rejects on a non-2xx answer. */
  api<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<T>;
  /** Stops dockerd and containerd but keeps the dir, so start() brings the same engine back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** stop() and remove the dir; also done for every engine at process exit. */
  dispose(): Promise<void>;
  isRunning(): boolean;
  /** dockerd's pid while running, for tests that check it is gone. */
  pids(): number[];
}

export async function startTestEngine(): Promise<TestEngine> {
  const engine = new ThrowawayEngine(makeTempDir());
  try {
    await engine.start();
  } catch (error) {
    await engine.dispose();
    throw error;
  }
  return engine;
}

class ThrowawayEngine implements TestEngine {
  readonly socketPath: string;
  readonly dockerHost: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  private readonly containerdSocket: string;
  private readonly containerdLog: string;
  private dockerd?: LoggedProcess;
  private containerd?: LoggedProcess;
  private unregisterCleanup?: () => void;
  private disposed?: Promise<void>;

  constructor(readonly dir: string) {
    this.socketPath = path.join(dir, 'docker.sock');
    this.dockerHost = `unix://${this.socketPath}`;
    this.logFile = path.join(dir, 'dockerd.log');
    this.containerdSocket = path.join(dir, 'ctd', 'ctd.sock');
    this.containerdLog = path.join(dir, 'containerd.log');
    const dockerConfig = path.join(dir, 'docker-config');
    fs.mkdirSync(dockerConfig, { recursive: true });
    this.env = isolatedEnv({ DOCKER_HOST: this.dockerHost, DOCKER_CONFIG: dockerConfig });
    this.writeConfigs();
  }

  async start(): Promise<void> {
    if (this.disposed) throw new Error(`engine in ${this.dir} was disposed`);
    if (this.isRunning()) return;
    this.unregisterCleanup ??= onCleanup(() => this.dispose());
    try {
      await this.startContainerd();
      // A dispose() while containerd was starting has stopped it already: no dockerd to leak.
      if (this.disposed) throw new Error(`engine in ${this.dir} was disposed while starting`);
      await this.startDockerd();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.dockerd) await stopProcess(this.dockerd, DOCKERD_STOP_GRACE_MS);
    if (this.containerd) await stopProcess(this.containerd, CONTAINERD_STOP_GRACE_MS);
    this.dockerd = undefined;
    this.containerd = undefined;
    // Shims of running containers outlive containerd by design; they are ours only via this dir.
    killProcessesUsing(this.dir);
    // A killed dockerd leaves these behind: "engine gone" tests expect no socket, and a stale
    // pidfile naming a reused pid would stop the next start().
    fs.rmSync(this.socketPath, { force: true });
    fs.rmSync(path.join(this.dir, 'pid'), { force: true });
  }

  /** Concurrent callers all wait for the one stop, so none goes on as if it were done. */
  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      this.unregisterCleanup?.();
      await this.stop();
      removeTempDir(this.dir);
    })();
    return this.disposed;
  }

  isRunning(): boolean {
    return this.dockerd?.isRunning() ?? false;
  }

  pids(): number[] {
    return [this.dockerd, this.containerd].flatMap((proc) => (proc?.isRunning() ? [proc.pid] : []));
  }

  docker(args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
    return runCommand(DOCKER_CLI, args, { input: opts.input, env: { ...this.env, ...opts.env } });
  }

  api<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<T> {
    return engineJson<T>(this.socketPath, method, apiPath, body);
  }

  private writeConfigs(): void {
    // Our own containerd: dockerd would otherwise share a system one at /run/containerd if present,
    // and its managed one writes /opt/containerd.
    const d = this.dir;
    fs.writeFileSync(
      path.join(d, 'containerd.toml'),
      [
        'version = 2',
        `root = "${d}/data/containerd"`,
        `state = "${d}/ctd/state"`,
        'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
        '[grpc]',
        `  address = "${this.containerdSocket}"`,
        '[ttrpc]',
        `  address = "${this.containerdSocket}.ttrpc"`,
        '[plugins."io.containerd.internal.v1.opt"]',
        `  path = "${d}/data/containerd-opt"`,
        '[plugins."io.containerd.runtime.v1.linux"]',
        `  runtime_root = "${d}/data/runc"`,
        '',
      ].join('\n'),
    );
    // Without deprecated-key-path dockerd 20.10 writes its identity key to /etc/docker/key.json.
    fs.writeFileSync(path.join(d, 'daemon.json'), JSON.stringify({ 'deprecated-key-path': `${d}/key.json` }));
  }

  private async startContainerd(): Promise<void> {
    fs.mkdirSync(path.dirname(this.containerdSocket), { recursive: true });
    const proc = await spawnLogged('containerd', 'containerd', ['--config', path.join(this.dir, 'containerd.toml')], {
      logFile: this.containerdLog,
    });
    this.containerd = proc;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!fs.existsSync(this.containerdSocket)) {
      if (!proc.isRunning() || Date.now() > deadline) {
        const why = proc.isRunning() ? `not listening after ${READY_TIMEOUT_MS / 1000}s` : 'exited';
        throw new Error(`containerd for test engine ${this.dir} ${why}; log tail:\n${logTail(this.containerdLog)}`);
      }
      await delay(50);
    }
  }

  private async startDockerd(): Promise<void> {
    const d = this.dir;
    const args = [
      '--config-file', `${d}/daemon.json`,
      '--containerd', this.containerdSocket,
      '--data-root', `${d}/data`,
      '--exec-root', `${d}/exec`,
      '--pidfile', `${d}/pid`,
      '-H', this.dockerHost,
      '--storage-driver', 'vfs',
      // Leave the host's firewall, sysctls and ports alone: there is no bridge network at all.
      '--iptables=false', '--ip6tables=false', '--bridge=none',
      '--ip-forward=false', '--ip-masq=false', '--userland-proxy=false',
    ];
    const proc = await spawnLogged('dockerd', 'dockerd', args, { logFile: this.logFile });
    this.dockerd = proc;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await pingEngine(this.socketPath, 1000))) {
      if (!proc.isRunning() || Date.now() > deadline) {
        const why = proc.isRunning() ? `did not answer /_ping within ${READY_TIMEOUT_MS / 1000}s` : 'exited';
        throw new Error(`dockerd for test engine ${this.dir} ${why}; log tail:\n${logTail(this.logFile)}`);
      }
      await delay(50);
    }
  }
}
