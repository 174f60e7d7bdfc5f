// `npm start`: VS Code (code-server) with Layerlens, in the browser, against your engine, or
// a throwaway engine and registry with sample images when none answers.
//   npm start [-- --port 8080] [--folder DIR] [--sample]
// --sample starts the throwaway engine even when yours answers. Ctrl-C, SIGTERM, SIGHUP (the
// terminal closing) or npm going away stops everything it started, even half-way through
// starting; it then exits 128 + the signal's number (130, 143, 129), as a shell reports a
// process that signal killed. npm runs us through `exec` so that its forwarded SIGINT/SIGTERM
// reach us and not only the shell; it does not forward SIGHUP (it dies of it), hence the
// watch on our parent.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as os from 'node:os';
import { resolveEngineEndpoint } from '../src/engine/connection';
import { readTextFileIfExists } from '../src/util/files';
import { createDockerClients, probeEngine } from '../src/engine/client';
import { startTestEnvironment, type TestEnvironment } from '../test/env';
import { FIXTURE_DIR } from '../test/env/fixtures';
import { REPO_ROOT, startCodeServer } from '../test/env/codeServer';
import { runCommand } from '../test/env/processes';
import { cleanupAll, leaveSignalsToCaller } from '../test/env/cleanup';
import { errorText } from '../src/util/errors';

const PARENT_POLL_MS = 500;
// Only if a stop hangs: exiting runs the harness's exit hook, which force-kills what is left.
const STOP_DEADLINE_MS = 60_000;

/** Aborted once a stop is requested: startup then starts nothing more, and a running build is killed. */
const stopRequested = new AbortController();

function stopOnSignalsAndParentExit(): void {
  leaveSignalsToCaller();
  // A hung-up terminal or a closed pipe makes our writes fail: that must not kill us before the services.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stopEverything(signal));
  const parent = process.ppid;
  // The services are unref'd children: this timer is also what keeps us, and them, alive.
  setInterval(() => {
    if (process.ppid !== parent) stopEverything('SIGHUP', 'the process that started us (npm) is gone');
  }, PARENT_POLL_MS);
}

function stopEverything(signal: NodeJS.Signals, why: string = signal): void {
  // A terminal's Ctrl-C reaches us twice (from the terminal, and forwarded by npm), and an
  // impatient user sends more: the first stop goes on to the end, as a second one would only
  // race it and force-kill what it is stopping in order.
  if (stopRequested.signal.aborted) return;
  stopRequested.abort();
  const exitCode = 128 + (os.constants.signals[signal] ?? 0);
  console.log(`\n${why}: stopping…`);
  setTimeout(() => process.exit(exitCode), STOP_DEADLINE_MS).unref();
  // Newest first: code-server, then the registries and the engine, including any still starting.
  void cleanupAll().finally(() => process.exit(exitCode));
}

async function main(): Promise<void> {
  stopOnSignalsAndParentExit();
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, folder: { type: 'string' }, sample: { type: 'boolean', default: false } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port ${values.port} is not a port number (1-65535)`);

  console.log('building the extension…');
  await runCommand(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, signal: stopRequested.signal });

  let dockerHost: string | undefined;
  let sample: TestEnvironment | undefined;
  if (!values.sample) dockerHost = await yourEngine();
  if (!dockerHost) {
    console.log('starting a throwaway engine and registries with sample images (about 10 s)…');
    sample = await startTestEnvironment();
    if (stopRequested.signal.aborted) return;
    dockerHost = sample.engine.dockerHost;
    console.log(`  engine:   ${dockerHost}\n  registry: ${sample.registry.url} (no auth), ${sample.basicRegistry.url} (basic), ${sample.tokenRegistry.url} (token)`);
    console.log(`  try it:   DOCKER_HOST=${dockerHost} docker tag ${sample.fixtures.base} demo/app:1`);
  }

  const folder = path.resolve(values.folder ?? sampleWorkspace());
  const env: NodeJS.ProcessEnv = { DOCKER_HOST: dockerHost };
  if (sample) env.DOCKER_CONFIG = sampleDockerConfig(sample);
  const server = await startCodeServer({ folder, env, extensionDirs: [REPO_ROOT], port });
  if (stopRequested.signal.aborted) return;
  console.log(`\nLayerlens is running in VS Code at ${server.url}?folder=${encodeURIComponent(folder)}\nOpen it in your browser; click the Layerlens icon in the activity bar. Ctrl-C stops it.`);

}

/** The engine the extension would use, if it answers: DOCKER_HOST, your docker context, or the default socket. */
async function yourEngine(): Promise<string | undefined> {
  let url = 'the default socket';
  try {
    const endpoint = resolveEngineEndpoint({ setting: '', env: process.env, homeDir: os.homedir(), platform: process.platform, readTextFile: readTextFileIfExists });
    url = endpoint.url;
    const { calls } = await createDockerClients(endpoint);
    const info = await probeEngine(calls, endpoint);
    console.log(`using your engine: ${info.product} ${info.version} at ${endpoint.url}`);
    return endpoint.url;
  } catch (error) {
    console.log(`no engine answers at ${url} (${errorText(error)})`);
    return undefined;
  }
}

/** A docker config naming the sample registries (with their test credentials), so the Registries view lists them. */
function sampleDockerConfig(sample: TestEnvironment): string {
  const dir = path.join(REPO_ROOT, '.tmp', 'sample-docker-config');
  fs.mkdirSync(dir, { recursive: true });
  const auth = (registry: TestEnvironment['registry']): { auth?: string } =>
    registry.username && registry.password ? { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') } : {};
  const auths = Object.fromEntries([sample.registry, sample.basicRegistry, sample.tokenRegistry].map((registry) => [registry.host, auth(registry)]));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths }, null, 2), { mode: 0o600 });
  return dir;
}

/** A workspace with the fixture Dockerfiles, so there is something to open. */
function sampleWorkspace(): string {
  const dir = path.join(REPO_ROOT, '.tmp', 'sample-workspace');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(FIXTURE_DIR)) fs.copyFileSync(path.join(FIXTURE_DIR, name), path.join(dir, name));
  return dir;
}

main().catch((error: unknown) => {
  // A stop makes startup fail (a killed build, a stopped engine); that stop exits when done.
  if (stopRequested.signal.aborted) return;
  console.error(error instanceof Error ? error.message : error);
  void cleanupAll().finally(() => process.exit(1));
});
