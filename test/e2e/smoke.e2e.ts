// Smoke test: the built extension installed in a real VS Code (code-server) in headless Chromium.
//   node --import tsx --test test/e2e/smoke.e2e.ts
// Screenshots land in test/e2e/screenshots/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { makeTempDir } from '../env/cleanup';
import { launchBrowser, REPO_ROOT, startCodeServer, type CodeServer } from '../env/codeServer';
import { runCommand } from '../env/processes';
import {
  clickActivityBarItem,
  openWorkbench,
  readTreeRows,
  screenshot,
  viewPane,
  waitForTreeRow,
  waitForViewContent,
} from './workbench';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes?: { viewsContainers?: { activitybar?: { id: string; title: string }[] } };
};
const layerlensContainer = manifest.contributes?.viewsContainers?.activitybar?.find((c) => c.id === 'layerlens');

let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
const timings: string[] = [];

before(async () => {
  await runCommand(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  const folder = path.join(makeTempDir(), 'workspace');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'Dockerfile'), 'FROM base/busybox:1\nRUN echo hello\n');

  let start = Date.now();
  // Installed the way a .vsix would be (E/layerlens.layerlens-<version>), but as a symlink to
  // the repo, so the freshly built dist/ is what runs: no packaging step, a normal window.
  // DOCKER_HOST names a socket nobody listens on, so the result does not depend on the machine.
  const env = { DOCKER_HOST: `unix://${path.dirname(folder)}/no-engine.sock` };
  server = await startCodeServer({ folder, env, extensionDirs: [REPO_ROOT] });
  timings.push(`code-server ready in ${Date.now() - start} ms`);
  browser = await launchBrowser();
  start = Date.now();
  page = await openWorkbench(browser, server.url, folder);
  timings.push(`workbench up in ${Date.now() - start} ms`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the workbench is up and shows the opened folder', async (t) => {
  for (const line of timings) t.diagnostic(line);
  await waitForTreeRow(page, 'Dockerfile');
  t.diagnostic(`screenshot: ${await screenshot(page, 'smoke-workbench')}`);
  assert.equal(await page.locator('.part.activitybar').isVisible(), true);
  assert.equal(await page.locator('.part.statusbar').isVisible(), true);
  assert.deepEqual(await readTreeRows(page), ['Dockerfile']);
});

test(
  'the Layerlens view container shows Local Images',
  { skip: layerlensContainer ? false : 'package.json does not contribute the "layerlens" view container yet' },
  async (t) => {
    await clickActivityBarItem(page, new RegExp(`^${layerlensContainer?.title ?? 'Layerlens'}`));
    await viewPane(page, 'Local Images').waitFor({ state: 'visible', timeout: 30_000 });
    // No engine listens at DOCKER_HOST here: the view shows its error message or welcome text.
    const content = await waitForViewContent(page, 'Local Images');
    t.diagnostic(`Local Images: ${content}`);
    t.diagnostic(`screenshot: ${await screenshot(page, 'smoke-layerlens')}`);
  },
);
