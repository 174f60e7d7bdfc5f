// End to end, in a real VS Code (code-server) in Chromium, against a throwaway engine:
// the Layerlens view lists the fixture images, follows outside changes, removes dangling
// images from the palette, and shows the engine going away and coming back.
//   node --import tsx --test test/e2e/localImages.e2e.ts
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { startTestEnvironment, type TestEnvironment } from '../env';
import { makeTempDir } from '../env/cleanup';
import { launchBrowser, REPO_ROOT, startCodeServer, type CodeServer } from '../env/codeServer';
import { runCommand } from '../env/processes';
import { startCountingProxy, type CountingProxy } from './socketProxy';
import { clickActivityBarItem, openWorkbench, readTreeRows, readViewMessage, runCommandFromPalette, runContextMenuEntry, screenshot, viewPane, waitForNotification, waitForStatusBarText, waitForTreeRow } from './workbench';

const VIEW = 'Local Images';
let env: TestEnvironment;
let proxy: CountingProxy;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;

before(async () => {
  const [started] = await Promise.all([startTestEnvironment({ registries: false }), runCommand(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT })]);
  env = started;
  const dir = makeTempDir();
  const folder = path.join(dir, 'workspace');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'Dockerfile'), 'FROM layerlens-test/busybox:1\nRUN echo hello\n');
  proxy = await startCountingProxy(path.join(dir, 'proxy.sock'), env.engine.socketPath);
  server = await startCodeServer({ folder, env: { DOCKER_HOST: proxy.dockerHost }, extensionDirs: [REPO_ROOT] });
  browser = await launchBrowser();
  page = await openWorkbench(browser, server.url, folder);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await proxy?.close();
  await env?.stop();
});

test('activating the extension does not touch the engine until the view is shown', async () => {
  // "Show Log" activates the extension without showing the view.
  await runCommandFromPalette(page, 'Layerlens: Show Log');
  const logText = page.locator('.part.panel .view-lines');
  const deadline = Date.now() + 30_000;
  while (!/activated\s+in\s+[\d.]+\s+ms/.test(await logText.first().innerText().catch(() => ''))) {
    if (Date.now() > deadline) assert.fail('the Layerlens log never said "activated in"');
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(1000);
  assert.equal(proxy.connections(), 0, 'the engine was contacted before the view was shown');
  await page.keyboard.press('Control+J'); // hide the panel again
});

test('the view lists the fixture images by repository, with the Dangling group', async (t) => {
  await clickActivityBarItem(page, /^Layerlens/);
  await waitForTreeRow(page, 'layerlens-test/app', 30_000, VIEW);
  assert.ok(proxy.connections() > 0);
  const rows = await readTreeRows(page, VIEW);
  t.diagnostic(`rows: ${JSON.stringify(rows)}`);
  assert.ok(rows.some((row) => /^layerlens-test\/app 3 tags$/.test(row)), JSON.stringify(rows));
  assert.ok(rows.some((row) => /^Dangling 1 image · [\d.]+ (B|kB|MB)$/.test(row)), JSON.stringify(rows));
  // The message travels apart from the rows; give it the moment it takes.
  const engineLine = /^Docker Engine 20\.10\.\d+\S* · unix:\/\/\S*proxy\.sock$/;
  const messageDeadline = Date.now() + 5_000;
  while (!engineLine.test(await readViewMessage(page, VIEW))) {
    if (Date.now() > messageDeadline) assert.fail(`no engine line above the tree: ${JSON.stringify(await viewPane(page, VIEW).innerText())}`);
    await page.waitForTimeout(100);
  }
  // Said once: the header's description no longer repeats the engine line.
  const header = viewPane(page, VIEW).locator('.pane-header .description');
  assert.equal(((await header.count()) ? await header.first().innerText() : '').trim(), '');
  // Local Images, which scrolls, starts with most of the side bar; Registries (a few rows) with less.
  const imagesHeight = (await viewPane(page, VIEW).boundingBox())!.height;
  const registriesHeight = (await viewPane(page, 'Registries').boundingBox())!.height;
  t.diagnostic(`pane heights: Local Images ${imagesHeight}px, Registries ${registriesHeight}px`);
  assert.ok(imagesHeight >= 2 * registriesHeight, `Local Images ${imagesHeight}px vs Registries ${registriesHeight}px`);
  await page.locator('.monaco-list-row', { hasText: 'layerlens-test/app' }).first().click();
  await waitForTreeRow(page, /^latest [\d.]+ (B|kB|MB) · /, 10_000, VIEW);
  t.diagnostic(`screenshot: ${await screenshot(page, 'local-images')}`);
});

test('an outside `docker tag` appears as a row by itself', async () => {
  await env.engine.docker(['tag', env.fixtures.base, '0-outside/from-terminal:now']);
  await waitForTreeRow(page, '0-outside/from-terminal', 10_000, VIEW);
});

test('Remove Image from the context menu names the container that uses the image, and Force Remove removes it', async (t) => {
  await page.locator('.monaco-list-row', { hasText: 'layerlens-test/inuse' }).first().click();
  const tagRow = page.locator(`.monaco-list[aria-label="${VIEW}"] .monaco-list-row`, { hasText: /^1[\d.]+ (B|kB|MB) · .* · used by a stopped container$/ });
  await tagRow.first().waitFor({ state: 'visible', timeout: 10_000 });
  const dialog = page.locator('.monaco-dialog-box');
  await runContextMenuEntry(page, tagRow.first(), 'Remove Image', dialog);
  const text = (await dialog.textContent()) ?? '';
  assert.match(text, /Remove layerlens-test\/inuse:1\?/);
  assert.match(text, /used by container layerlens-inuse \(created\)/);
  t.diagnostic(`screenshot: ${await screenshot(page, 'remove-in-use')}`);
  await dialog.getByRole('button', { name: 'Force Remove' }).click();
  // Done says so out of the way, in the status bar (layerlens.successMessages' default).
  await waitForStatusBarText(page, /Layerlens: Removed layerlens-test\/inuse:1/, 10_000);
  const deadline = Date.now() + 10_000;
  while ((await readTreeRows(page, VIEW)).some((row) => row.startsWith('layerlens-test/inuse'))) {
    if (Date.now() > deadline) assert.fail('layerlens-test/inuse is still listed');
    await page.waitForTimeout(100);
  }
});

test('Remove Dangling Images from the palette asks, then the Dangling group disappears', async (t) => {
  await runCommandFromPalette(page, 'Layerlens: Remove Dangling Images');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 10_000 });
  assert.match((await dialog.textContent()) ?? '', /Remove 1 dangling image \([\d.]+ (B|kB|MB)\)\?/);
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await waitForNotification(page, /Removed 1 dangling image, reclaimed/);
  const deadline = Date.now() + 10_000;
  while ((await readTreeRows(page, VIEW)).some((row) => row.startsWith('Dangling'))) {
    if (Date.now() > deadline) assert.fail('the Dangling group is still there');
    await page.waitForTimeout(100);
  }
  t.diagnostic(`screenshot: ${await screenshot(page, 'after-remove-dangling')}`);
});

test('the engine stops: the view names the endpoint and offers Retry; it comes back: the rows return', async (t) => {
  await env.engine.stop();
  await proxy.stopListening(); // the proxy's socket goes with the engine, as the engine's own would
  const deadline = Date.now() + 20_000;
  let message = '';
  while (!/Cannot reach Docker at unix:\/\/.*proxy\.sock/.test(message)) {
    if (Date.now() > deadline) {
      await screenshot(page, 'engine-down-failed');
      assert.fail(`no error message; view text: ${JSON.stringify(message)}; rows: ${JSON.stringify(await readTreeRows(page, VIEW))}`);
    }
    await page.waitForTimeout(200);
    message = await viewPane(page, VIEW).innerText().catch(() => '');
  }
  assert.match(message, /the socket does not exist\. Start Docker/);
  await waitForTreeRow(page, 'Retry', 5_000, VIEW);
  await waitForTreeRow(page, 'Open Settings', 5_000, VIEW);
  t.diagnostic(`screenshot: ${await screenshot(page, 'engine-down')}`);
  await env.engine.start();
  await proxy.startListening();
  await waitForTreeRow(page, 'layerlens-test/app', 30_000, VIEW);
});
