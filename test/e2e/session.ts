// One end-to-end session: a test environment (engine, registries, fixtures), the built
// extension in code-server, and Chromium showing the Layerlens container with the fixtures.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { startTestEnvironment, type TestEnvironment } from '../env';
import { makeTempDir } from '../env/cleanup';
import { type CodeServer, launchBrowser, REPO_ROOT, startCodeServer } from '../env/codeServer';
import { runCommand } from '../env/processes';
import { clickActivityBarItem, openWorkbench, waitForTreeRow } from './workbench';

export interface E2eSession {
  env: TestEnvironment;
  /** The workspace folder code-server opened. */
  folder: string;
  server: CodeServer;
  browser: Browser;
  page: Page;
  stop(): Promise<void>;
}

/** `settings`: user settings for this session's VS Code, over the test defaults. */
export async function startE2eSession(options: { settings?: Record<string, unknown> } = {}): Promise<E2eSession> {
  const [env] = await Promise.all([startTestEnvironment(), runCommand(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT })]);
  const folder = path.join(makeTempDir(), 'workspace');
  fs.mkdirSync(folder);
  // The engine's own (empty) docker config: the extension sees no credentials of this machine's user.
  const server = await startCodeServer({ folder, env: { DOCKER_HOST: env.engine.dockerHost, DOCKER_CONFIG: env.engine.env.DOCKER_CONFIG }, extensionDirs: [REPO_ROOT], settings: options.settings });
  const browser = await launchBrowser();
  const page = await openWorkbench(browser, server.url, folder);
  await clickActivityBarItem(page, /^Layerlens/);
  await waitForTreeRow(page, 'layerlens-test/app', 30_000, 'Local Images');
  return {
    env,
    folder,
    server,
    browser,
    page,
    stop: async () => {
      await browser.close();
      await server.stop();
      await env.stop();
    },
  };
}
