// `npm start`: VS Code (code-server) with Layerlens, in the browser, against your engine, or
// a throwaway engine and registry with sample images when none answers.
//   npm start [-- --port 8080] [--folder DIR] [--sample]
// --sample starts the throwaway engine even when yours answers. Ctrl-C stops everything.
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
import { errorText } from '../src/util/errors';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, folder: { type: 'string' }, sample: { type: 'boolean', default: false } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port ${values.port} is not a port number (1-65535)`);

  console.log('building the extension…');
  await runCommand(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });

  let dockerHost: string | undefined;
  let sample: TestEnvironment | undefined;
  if (!values.sample) dockerHost = await yourEngine();
  if (!dockerHost) {
    console.log('starting a throwaway engine and registries with sample images (about 10 s)…');
    sample = await startTestEnvironment();
    dockerHost = sample.engine.dockerHost;
    console.log(`  engine:   ${dockerHost}\n  registry: ${sample.registry.url} (no auth), ${sample.basicRegistry.url} (basic), ${sample.tokenRegistry.url} (token)`);
    console.log(`  try it:   DOCKER_HOST=${dockerHost} docker tag ${sample.fixtures.base} demo/app:1`);
  }

  const folder = path.resolve(values.folder ?? sampleWorkspace());
  const env: NodeJS.ProcessEnv = { DOCKER_HOST: dockerHost };
  if (sample) env.DOCKER_CONFIG = sampleDockerConfig(sample);
  const server = await startCodeServer({ folder, env, extensionDirs: [REPO_ROOT], port });
  console.log(`\nLayerlens is running in VS Code at ${server.url}?folder=${encodeURIComponent(folder)}\nOpen it in your browser; click the Layerlens icon in the activity bar. Ctrl-C stops it.`);

  const stop = async (): Promise<void> => {
    console.log('\nstopping…');
    await server.stop();
    await sample?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  // The services are unref'd children: this timer is what keeps the process, and them, alive.
  setInterval(() => undefined, 1 << 30);
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
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
