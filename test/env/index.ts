// One call for a suite's whole world: an engine, three registries (none/basic/token auth) and
// the fixture images. Typical use with node:test:
//   let env: TestEnvironment;
//   before(async () => { env = await startTestEnvironment(); });
//   after(() => env.stop());
import { cleanupAll, onCleanup } from './cleanup';
import { startTestEngine, type TestEngine } from './engine';
import { createFixtureImages, type FixtureSet } from './fixtures';
import { startTestRegistry, type RegistryAuth, type TestRegistry } from './registry';

export { cleanupAll } from './cleanup';
export { DOCKER_CLI, startTestEngine, type TestEngine } from './engine';
export { engineJson, engineRequest, pingEngine, type EngineResponse } from './engineApi';
export { BASE_IMAGE, busyboxRootfsTar, importBusyboxBase } from './busyboxBase';
export * from './fixtures';
export { createManyImages, tagManyImages } from './manyImages';
export { OCI_INDEX, OCI_MANIFEST, pushMultiPlatformIndex } from './ociIndex';
export * from './registry';
export * from './registryAuth';

export interface TestEnvironmentOptions {
  /** Start the three registries (default true). */
  registries?: boolean;
  /** Create the fixture images (default true); the index is pushed to `registry`. */
  fixtures?: boolean;
  /** Token lifetime of tokenRegistry (default 300 s). */
  tokenTtlSeconds?: number;
  /** Ports to listen on by auth, when free (default: free ports); see TestRegistry.portTaken. */
  registryPorts?: Partial<Record<RegistryAuth, number>>;
}

export interface TestEnvironment {
  engine: TestEngine;
  /** No auth. Reading it throws if the environment was started with registries: false. */
  registry: TestRegistry;
  /** htpasswd Basic auth (username/password on the object). */
  basicRegistry: TestRegistry;
  /** Token auth through our token server (tokenRealm on the object). */
  tokenRegistry: TestRegistry;
  /** Reading it throws if the environment was started with fixtures: false. */
  fixtures: FixtureSet;
  /** Stops everything and removes every temp dir; safe to call more than once. */
  stop(): Promise<void>;
}

export async function startTestEnvironment(opts: TestEnvironmentOptions = {}): Promise<TestEnvironment> {
  const withRegistries = opts.registries ?? true;
  const withFixtures = opts.fixtures ?? true;
  const started: { stop(): Promise<void> }[] = [];
  let stopping: Promise<void> | undefined;
  const track = <T extends { stop(): Promise<void> }>(service: T): T => {
    started.push(service);
    // Started after stop() began (a signal while starting): it must not outlive the stop.
    if (stopping) void stopping.then(() => stopStarted());
    return service;
  };
  const stopStarted = async (): Promise<void> => {
    // Registries are independent of the engine; engine.dispose also removes its dir.
    await Promise.all(started.splice(0).map((service) => service.stop()));
  };

  let unregister = (): void => undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister();
      await stopStarted();
    })();
    return stopping;
  };
  unregister = onCleanup(stop);

  try {
    // allSettled: a failure must not leave the other half starting (and untracked) after stop().
    const [engineResult, registriesResult] = await Promise.allSettled([
      startTestEngine().then((engine) => track({ engine, stop: () => engine.dispose() }).engine),
      withRegistries ? startRegistries(opts, track) : Promise.resolve(undefined),
    ]);
    const engine = settledValue(engineResult);
    const registries = settledValue(registriesResult);
    const fixtures = withFixtures ? await createFixtureImages(engine, registries?.registry) : undefined;
    return {
      engine,
      get registry() {
        return required(registries?.registry, 'registry', 'registries');
      },
      get basicRegistry() {
        return required(registries?.basicRegistry, 'basicRegistry', 'registries');
      },
      get tokenRegistry() {
        return required(registries?.tokenRegistry, 'tokenRegistry', 'registries');
      },
      get fixtures() {
        return required(fixtures, 'fixtures', 'fixtures');
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startRegistries(
  opts: TestEnvironmentOptions,
  track: <T extends { stop(): Promise<void> }>(service: T) => T,
): Promise<{ registry: TestRegistry; basicRegistry: TestRegistry; tokenRegistry: TestRegistry }> {
  const results = await Promise.allSettled([
    startTestRegistry({ port: opts.registryPorts?.none }).then(track),
    startTestRegistry({ auth: 'basic', port: opts.registryPorts?.basic }).then(track),
    startTestRegistry({ auth: 'token', tokenTtlSeconds: opts.tokenTtlSeconds, port: opts.registryPorts?.token }).then(track),
  ]);
  const [registry, basicRegistry, tokenRegistry] = results.map(settledValue) as [TestRegistry, TestRegistry, TestRegistry];
  return { registry, basicRegistry, tokenRegistry };
}

function settledValue<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

function required<T>(value: T | undefined, name: string, option: string): T {
  if (value === undefined) throw new Error(`env.${name} is not available: startTestEnvironment({ ${option}: false }) did not start it`);
  return value;
}

/** For an after() hook shared by several files: stops whatever any of them started. */
export function stopAllTestEnvironments(): Promise<void> {
  return cleanupAll();
}
export { startTestPodman, type TestPodman } from './podman';
export { createTlsMaterial, startTlsFront, type TlsFront, type TlsMaterial } from './tls';
export { startThrottleProxy, type ThrottleProxy } from './throttleProxy';
export { pushManyTags, pushTinyImage, putManifest, type TinyImage } from './registryContent';
