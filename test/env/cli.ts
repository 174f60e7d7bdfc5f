// Keeps a test environment up for manual use and the quick-start script:
//   node --import tsx test/env/cli.ts start [--json FILE]
// Prints DOCKER_HOST and the registry URLs, writes them to FILE as JSON when asked (removed
// again on exit, so its presence means "up"), and stops everything on SIGINT/SIGTERM.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestEnvironment, type TestEnvironment, type TestRegistry } from './index';

const USAGE = 'usage: node --import tsx test/env/cli.ts start [--json FILE]';

function parseArgs(argv: string[]): { jsonFile?: string } {
  const [command, ...rest] = argv;
  if (command !== 'start') throw new Error(USAGE);
  let jsonFile: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--json' && rest[i + 1]) jsonFile = path.resolve(rest[++i] ?? '');
    else throw new Error(`unknown argument ${rest[i]}\n${USAGE}`);
  }
  return { jsonFile };
}

function describeRegistry(registry: TestRegistry): Record<string, string | undefined> {
  return {
    url: registry.url,
    host: registry.host,
    auth: registry.auth,
    username: registry.username,
    password: registry.password,
    tokenRealm: registry.tokenRealm,
    tokenService: registry.tokenService,
  };
}

function describe(env: TestEnvironment): object {
  return {
    pid: process.pid,
    dockerHost: env.engine.dockerHost,
    socketPath: env.engine.socketPath,
    dockerConfig: env.engine.env.DOCKER_CONFIG,
    engineDir: env.engine.dir,
    registries: {
      plain: describeRegistry(env.registry),
      basic: describeRegistry(env.basicRegistry),
      token: describeRegistry(env.tokenRegistry),
    },
    fixtures: env.fixtures,
  };
}

async function main(): Promise<void> {
  const { jsonFile } = parseArgs(process.argv.slice(2));
  const startedAt = Date.now();
  const env = await startTestEnvironment();
  if (jsonFile) {
    // Written whole then renamed, so a script polling for the file never reads half of it.
    fs.writeFileSync(`${jsonFile}.tmp`, `${JSON.stringify(describe(env), null, 2)}\n`);
    fs.renameSync(`${jsonFile}.tmp`, jsonFile);
    process.on('exit', () => fs.rmSync(jsonFile, { force: true }));
  }
  const lines = [
    `Layerlens test environment ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    `DOCKER_HOST=${env.engine.dockerHost}`,
    `DOCKER_CONFIG=${env.engine.env.DOCKER_CONFIG ?? ''}`,
    `registry (no auth):   ${env.registry.url}`,
    `registry (basic):     ${env.basicRegistry.url}  user ${env.basicRegistry.username} / ${env.basicRegistry.password}`,
    `registry (token):     ${env.tokenRegistry.url}  user ${env.tokenRegistry.username} / ${env.tokenRegistry.password}, realm ${env.tokenRegistry.tokenRealm}`,
    `multi-platform index: ${env.fixtures.index?.reference ?? '(none)'}`,
    ...(jsonFile ? [`details: ${jsonFile}`] : []),
    'Press Ctrl-C to stop and clean up.',
  ];
  console.log(lines.join('\n'));
  // The cleanup hooks (installed with the first service) stop everything on SIGINT/SIGTERM and exit;
  // this interval only keeps the process alive until then.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
