// What `npm start` runs when no engine answers: a throwaway engine and three registries (no
// auth, basic auth, token auth) on fixed ports, so a FROM pinned against one still resolves
// next time, each seeded with the fixture images; a Docker config of its own naming them with
// their test credentials; a workspace outside the repository; and the lines to print.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pushFixturesWithEngine, startTestEnvironment, type RegistryAuth, type TestEnvironment, type TestRegistry } from '../test/env';
import { layerlensCacheDir } from '../test/env/codeServer';
import { FIXTURE_DIR } from '../test/env/fixtures';

/** The sample registries' ports when free: the same every run. */
export const SAMPLE_REGISTRY_PORTS: Readonly<Record<RegistryAuth, number>> = { none: 5100, basic: 5101, token: 5102 };

const KIND: Readonly<Record<RegistryAuth, string>> = { none: 'no auth', basic: 'basic auth', token: 'token auth' };

export interface SampleEnvironment {
  env: TestEnvironment;
  registries: TestRegistry[];
  /** The Docker config dir naming the registries, for the extension host's DOCKER_CONFIG (the engine's own). */
  dockerConfig: string;
  /** User settings for the VS Code that shows it: the registries' labels. */
  settings: Record<string, unknown>;
}

export async function startSampleEnvironment(ports: Partial<Record<RegistryAuth, number>> = SAMPLE_REGISTRY_PORTS): Promise<SampleEnvironment> {
  const env = await startTestEnvironment({ registryPorts: ports });
  const registries = [env.registry, env.basicRegistry, env.tokenRegistry];
  // The plain registry got its images from the fixtures already. One at a time: two `docker
  // login`s at once write the same config.json, and one login is lost.
  for (const registry of [env.basicRegistry, env.tokenRegistry]) await pushFixturesWithEngine(env.engine, registry, env.fixtures);
  const labels = Object.fromEntries(registries.map((registry) => [registry.host, KIND[registry.auth]]));
  return { env, registries, dockerConfig: writeSampleDockerConfig(env, registries), settings: { 'layerlens.registries.labels': labels } };
}

/** What to tell the user: the engine, each registry, a port that was taken, and how to log in. */
export function describeSample({ env, registries }: Pick<SampleEnvironment, 'env' | 'registries'>): string[] {
  const lines = [`  engine:     ${env.engine.dockerHost}`];
  for (const registry of registries) {
    lines.push(`  registry:   ${registry.host} (${KIND[registry.auth]})`);
    if (registry.portTaken) {
      lines.push(`              port ${registry.portTaken} is taken, so this time it is on ${registry.host}: images pinned to 127.0.0.1:${registry.portTaken}`);
      lines.push('              will not resolve. Free that port, or choose others with --registry-ports A,B,C.');
    }
  }
  const withLogin = registries.find((registry) => registry.username && registry.password);
  if (withLogin) {
    lines.push(`  log in:     user ${withLogin.username}, password ${withLogin.password} (basic and token auth), e.g.`);
    lines.push(`              echo ${withLogin.password} | DOCKER_HOST=${env.engine.dockerHost} docker login ${withLogin.host} -u ${withLogin.username} --password-stdin`);
  }
  lines.push(`  try it:     DOCKER_HOST=${env.engine.dockerHost} docker tag ${env.fixtures.base} demo/app:1`);
  return lines;
}

/**
 * The engine's own Docker config (removed with it), naming every sample registry with its test
 * credentials, so the Registries view lists them all.
 */
function writeSampleDockerConfig(env: TestEnvironment, registries: TestRegistry[]): string {
  const dir = env.engine.env.DOCKER_CONFIG;
  if (!dir) throw new Error('the sample engine has no DOCKER_CONFIG of its own');
  const auth = (registry: TestRegistry): { auth?: string } =>
    registry.username && registry.password ? { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') } : {};
  const auths = Object.fromEntries(registries.map((registry) => [registry.host, auth(registry)]));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths }, null, 2), { mode: 0o600 });
  return dir;
}

/**
 * The folder to open: the fixture Dockerfiles in Layerlens's cache, outside the repository (VS
 * Code would offer the repository in a parent folder on every start), the same every run. Files
 * already there are kept, so your edits (a pinned FROM) survive a restart.
 */
export function sampleWorkspace(cacheDir = layerlensCacheDir()): string {
  const dir = path.join(cacheDir, 'sample-workspace');
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  for (const name of fs.readdirSync(FIXTURE_DIR)) {
    const target = path.join(dir, name);
    if (!fs.existsSync(target)) fs.copyFileSync(path.join(FIXTURE_DIR, name), target);
  }
  // Should a folder above the cache be a repository (a dotfiles home), VS Code must not ask about it.
  const settings = path.join(dir, '.vscode', 'settings.json');
  if (!fs.existsSync(settings)) fs.writeFileSync(settings, `${JSON.stringify({ 'git.openRepositoryInParentFolders': 'never' }, null, 2)}\n`);
  return dir;
}
