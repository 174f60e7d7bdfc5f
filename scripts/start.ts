// `npm start`: VS Code (code-server) with Layerlens, in the browser, against your engine, or
// a throwaway engine and registries with sample images when none answers (scripts/sampleEnvironment.ts).
//   npm start [-- --port 8080] [--folder DIR] [--sample] [--registry-ports 5100,5101,5102]
// --sample starts the throwaway engine even when yours answers; --registry-ports are the sample
// registries' (no auth, basic, token), used when free. Ctrl-C, SIGTERM, SIGHUP (the
// terminal closing) or npm going away stops everything it started, even half-way through
// starting; it then exits 128 + the signal's number (130, 143, 129), as a shell reports a
// process that signal killed. npm runs us through `exec` so that its forwarded SIGINT/SIGTERM
// reach us and not only the shell; it does not forward SIGHUP (it dies of it), hence the
// watch on our parent.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as os from 'node:os';
import { resolveEngineEndpoint } from '../src/engine/connection';
import { readTextFileIfExists } from '../src/util/files';
import { createDockerClients, probeEngine } from '../src/engine/client';
import { REPO_ROOT, startCodeServer } from '../test/env/codeServer';
import { runCommand } from '../test/env/processes';
import { cleanupAll, leaveSignalsToCaller } from '../test/env/cleanup';
import { errorText } from '../src/util/errors';
import { describeSample, SAMPLE_REGISTRY_PORTS, sampleWorkspace, startSampleEnvironment, type SampleEnvironment } from './sampleEnvironment';

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
  const defaultRegistryPorts = [SAMPLE_REGISTRY_PORTS.none, SAMPLE_REGISTRY_PORTS.basic, SAMPLE_REGISTRY_PORTS.token].join(',');
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '8080' }, folder: { type: 'string' }, sample: { type: 'boolean', default: false }, 'registry-ports': { type: 'string', default: defaultRegistryPorts } },
  });
  const port = portNumber('--port', values.port);
  const [none, basic, token] = values['registry-ports'].split(',').map((text) => portNumber('--registry-ports', text));
  if (token === undefined) throw new Error(`--registry-ports ${values['registry-ports']}: three ports (no auth, basic, token), as ${defaultRegistryPorts}`);

  console.log('building the extension…');
  await runCommand(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, signal: stopRequested.signal });

  let dockerHost: string | undefined;
  let sample: SampleEnvironment | undefined;
  if (!values.sample) dockerHost = await yourEngine();
  if (!dockerHost) {
    console.log('starting a throwaway engine and registries with sample images (about 15 s)…');
    sample = await startSampleEnvironment({ none, basic, token });
    if (stopRequested.signal.aborted) return;
    dockerHost = sample.env.engine.dockerHost;
    console.log(describeSample(sample).join('\n'));
  }

  const folder = path.resolve(values.folder ?? sampleWorkspace());
  const env: NodeJS.ProcessEnv = { DOCKER_HOST: dockerHost };
  if (sample) env.DOCKER_CONFIG = sample.dockerConfig;
  const server = await startCodeServer({ folder, env, extensionDirs: [REPO_ROOT], port, settings: sample?.settings });
  if (stopRequested.signal.aborted) return;
  console.log(`\nLayerlens is running in VS Code at ${server.url}?folder=${encodeURIComponent(folder)}\nOpen it in your browser; click the Layerlens icon in the activity bar. Ctrl-C stops it.`);

}

function portNumber(option: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${option} ${text} is not a port number (1-65535)`);
  return port;
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

main().catch((error: unknown) => {
  // A stop makes startup fail (a killed build, a stopped engine); that stop exits when done.
  if (stopRequested.signal.aborted) return;
  console.error(error instanceof Error ? error.message : error);
  void cleanupAll().finally(() => process.exit(1));
});
