// What the extension-host suite runs against when started from the command line (npm test):
// a throwaway Docker Engine with the fixture images, and a registry the fixtures are pushed to.
// The suite reads them through the environment code-server hands to the extension host.
import { startTestEnvironment } from '../env';

/** The registry (host:port) the fixtures were pushed to; images.test.ts reads it. */
export const TEST_REGISTRY_ENV = 'LAYERLENS_TEST_REGISTRY';

export interface SuiteEnvironment {
  /** DOCKER_HOST, DOCKER_CONFIG and LAYERLENS_TEST_REGISTRY, for runExtensionTests({ env }). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startSuiteEnvironment(): Promise<SuiteEnvironment> {
  const testEnv = await startTestEnvironment();
  // Only the engine's DOCKER_* variables: the rest of engine.env is just our own environment.
  const dockerEnv = Object.fromEntries(Object.entries(testEnv.engine.env).filter(([key]) => key.startsWith('DOCKER_')));
  return {
    env: { ...dockerEnv, [TEST_REGISTRY_ENV]: testEnv.registry.host, LAYERLENS_TEST_BASIC_REGISTRY: testEnv.basicRegistry.host },
    stop: () => testEnv.stop(),
  };
}

/** This process's own DOCKER_* variables, for running the suite against an engine of one's own. */
export function callerDockerEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('DOCKER_')));
}
