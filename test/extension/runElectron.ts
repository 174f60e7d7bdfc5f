// The same extension-host suite in a desktop VS Code, through @vscode/test-electron, on a
// machine that can download VS Code (or that has one: LAYERLENS_VSCODE_EXECUTABLE=/path/to/code).
// It starts the same throwaway engine and registry as `run.ts`.
//   npm run test:electron
import { runTests } from '@vscode/test-electron';
import { startTestEnvironment } from '../env';
import { REPO_ROOT } from '../env/codeServer';
import { runCommand } from '../env/processes';
import { makeTempDir } from '../env/cleanup';
import { bundleSuite, SUITE_ENTRY } from './bundle';

async function main(): Promise<void> {
  await runCommand(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  await bundleSuite();
  const env = await startTestEnvironment();
  try {
    const exitCode = await runTests({
      version: '1.100.0',
      vscodeExecutablePath: process.env.LAYERLENS_VSCODE_EXECUTABLE || undefined,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: SUITE_ENTRY,
      launchArgs: [makeTempDir(), '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { DOCKER_HOST: env.engine.dockerHost, DOCKER_CONFIG: env.engine.env.DOCKER_CONFIG, LAYERLENS_TEST_REGISTRY: env.registry.host, LAYERLENS_TEST_BASIC_REGISTRY: env.basicRegistry.host },
    });
    process.exitCode = exitCode;
  } finally {
    await env.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
