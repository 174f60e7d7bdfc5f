// End to end in code-server: tag an image from the tree, push it from the palette with the
// per-layer progress notification and the final digest, and a push to a registry that wants
// credentials: "Log In", then the same push succeeds.
//   node --import tsx --test test/e2e/transfer.e2e.ts
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Page } from 'playwright-core';
import { startThrottleProxy, type TestEnvironment, type ThrottleProxy } from '../env';
import { type E2eSession, startE2eSession } from './session';
import { answerQuickInput, findNotification, runCommandFromPalette, runContextMenuEntry, screenshot, waitForNotification, waitForSelectedTreeRow, waitForTreeRow } from './workbench';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const VIEW = 'Local Images';
let session: E2eSession;
let env: TestEnvironment;
let proxy: ThrottleProxy;
let page: Page;

before(async () => {
  // Success lines as notifications here (the status bar, the default, is checked in localImages.e2e.ts).
  session = await startE2eSession({ settings: { 'layerlens.successMessages': 'notification' } });
  ({ env, page } = session);
  // Pushes through this proxy take seconds, so there is progress to see.
  proxy = await startThrottleProxy(Number(env.registry.host.split(':')[1]), 1024 * 1024, 'both');
});

after(async () => {
  await proxy?.close();
  await session?.stop();
});

/** `tick`: check the row's box first; without it, Enter takes the highlighted row. */
async function pushFromPalette(reference: string, options: { tick: boolean } = { tick: true }): Promise<void> {
  await runCommandFromPalette(page, 'Layerlens: Push Image');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(reference);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: reference }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  if (options.tick) {
    // In a multi-select pick, clicking a row checks it.
    await row.click();
    await page.locator('.quick-input-widget .quick-input-count', { hasText: '1' }).waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
  }
  await page.keyboard.press('Enter');
}

test('Tag Image from the tree: the new name appears as its own repository', async (t) => {
  await page.locator('.monaco-list-row', { hasText: 'layerlens-test/app' }).first().click();
  const latest = page.locator(`.monaco-list[aria-label="${VIEW}"] .monaco-list-row`, { hasText: /^latest/ }).first();
  await latest.waitFor({ state: 'visible', timeout: 10_000 });
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await runContextMenuEntry(page, latest, 'Tag Image…', input);
  assert.equal(await input.inputValue(), 'layerlens-test/app:latest');
  await input.fill('Bad Name');
  await page.locator('.quick-input-message', { hasText: /Invalid image reference/ }).waitFor({ state: 'visible', timeout: 5_000 });
  t.diagnostic(`screenshot: ${await screenshot(page, 'tag-invalid')}`);
  await answerQuickInput(page, `${proxy.host}/e2e/app:1`);
  await waitForTreeRow(page, `${proxy.host}/e2e/app`, 10_000, VIEW);
  // Done is visible: a notification that hides itself (this session's setting), and the new row selected in the tree.
  await waitForNotification(page, new RegExp(`^Tagged layerlens-test/app:latest as ${escape(proxy.host)}/e2e/app:1$`), 10_000);
  await waitForSelectedTreeRow(page, VIEW, /^1 [\d.]+ (B|kB|MB) · /, 10_000);
  t.diagnostic(`screenshot: ${await screenshot(page, 'tag-done')}`);
  // Out of the way of the next tests' toasts (VS Code shows three at most).
  await runCommandFromPalette(page, 'Notifications: Clear All Notifications');
});

test('Push Image from the palette shows per-layer progress, then the digest', async (t) => {
  const reference = `${proxy.host}/e2e/app:1`;
  await pushFromPalette(reference);
  const progress = await waitForNotification(page, /layers/, 20_000);
  t.diagnostic(`progress: ${progress}`);
  t.diagnostic(`screenshot: ${await screenshot(page, 'push-progress')}`);
  const done = await waitForNotification(page, /^Pushed .*e2e\/app:1: sha256:[0-9a-f]{64}$/, 60_000);
  t.diagnostic(`screenshot: ${await screenshot(page, 'push-done')}`);
  const digest = /sha256:[0-9a-f]{64}/.exec(done)![0];
  const head = await fetch(`${env.registry.url}/v2/e2e/app/manifests/1`, { method: 'HEAD', headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  assert.equal(head.headers.get('docker-content-digest'), digest);
});

test('Push Image from the palette: Enter with text no image holds says nothing was chosen and keeps the pick open', async (t) => {
  await runCommandFromPalette(page, 'Layerlens: Push Image');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('no-such-image-anywhere');
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /Nothing chosen/ }).waitFor({ state: 'visible', timeout: 5_000 });
  t.diagnostic(`screenshot: ${await screenshot(page, 'push-nothing-chosen')}`);
  await page.keyboard.press('Escape');
  await input.waitFor({ state: 'hidden', timeout: 5_000 });
});

test('a push the registry refuses offers Log In; after it the push goes through', async (t) => {
  const reference = `${env.basicRegistry.host}/e2e/secure:1`;
  await env.engine.docker(['tag', env.fixtures.base, reference]);
  await waitForTreeRow(page, `${env.basicRegistry.host}/e2e/secure`, 10_000, VIEW);
  // Nothing ticked: Enter takes the highlighted row (it used to close the pick and do nothing).
  await pushFromPalette(reference, { tick: false });
  await waitForNotification(page, /Cannot push .*Log in to/, 30_000);
  t.diagnostic(`screenshot: ${await screenshot(page, 'push-needs-login')}`);
  await page.locator('.notification-toast').getByRole('button', { name: 'Log In' }).first().click();
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await input.inputValue(), env.basicRegistry.host);
  await page.keyboard.press('Enter');
  await answerQuickInput(page, env.basicRegistry.username!, 'User name');
  await answerQuickInput(page, env.basicRegistry.password!, /Password or access token for/);
  const pushed = await findNotification(page, /^Pushed .*e2e\/secure:1: sha256:/, 60_000);
  const digest = /sha256:[0-9a-f]{64}/.exec(pushed)![0];
  const auth = `Basic ${Buffer.from(`${env.basicRegistry.username}:${env.basicRegistry.password}`).toString('base64')}`;
  const head = await fetch(`${env.basicRegistry.url}/v2/e2e/secure/manifests/1`, { method: 'HEAD', headers: { Authorization: auth, Accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  assert.equal(head.headers.get('docker-content-digest'), digest);
});

test('Pull Image from the palette: a bad reference is explained as you type; a good one is pulled and appears', async (t) => {
  await runCommandFromPalette(page, 'Layerlens: Pull Image…');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`${env.registry.host}/Multi/platform:1`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: /must be lowercase/ }).first().waitFor({ state: 'visible', timeout: 5_000 });
  t.diagnostic(`screenshot: ${await screenshot(page, 'pull-invalid')}`);
  await input.fill(`${env.registry.host}/multi/platform:1 --platform linux/amd64`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: /Pull .*multi\/platform:1/ }).first().waitFor({ state: 'visible', timeout: 5_000 });
  await page.keyboard.press('Escape');
  // VS Code shows three toasts at most: the earlier pushes' digests would hide the new one.
  await runCommandFromPalette(page, 'Notifications: Clear All Notifications');
  await runCommandFromPalette(page, 'Layerlens: Pull Image…');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`${env.registry.host}/multi/platform:1 --platform linux/amd64`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: /Pull .*multi\/platform:1/ }).first().waitFor({ state: 'visible', timeout: 5_000 });
  await page.keyboard.press('Enter');
  await waitForTreeRow(page, `${env.registry.host}/multi/platform`, 30_000, VIEW);
  const pulled = new RegExp(`^Pulled ${escape(env.registry.host)}/multi/platform:1 \\(\\d+ layers?, [\\d.]+ (B|kB|MB) downloaded\\)$`);
  const done = await waitForNotification(page, pulled, 30_000).catch(async (error: unknown) => {
    // Say where the line went instead (the status bar, or a notification that reads otherwise).
    const statusBar = await page.locator('.part.statusbar').innerText();
    const toasts = await page.locator('.notification-toast').allInnerTexts();
    throw new Error(`${String(error)}\nstatus bar: ${statusBar}\ntoasts: ${JSON.stringify(toasts)}\nscreenshot: ${await screenshot(page, 'pull-no-notification')}`);
  });
  t.diagnostic(`pulled: ${done}`);
  await waitForSelectedTreeRow(page, VIEW, /^1 [\d.]+ (B|kB|MB) · /, 10_000);
  t.diagnostic(`screenshot: ${await screenshot(page, 'pull-done')}`);
});
