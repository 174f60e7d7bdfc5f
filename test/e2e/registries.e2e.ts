// End to end in code-server: add a registry through the UI, expand it to a tag (with its
// digest), pull the tag from there, and see it in Local Images.
//   node --import tsx --test test/e2e/registries.e2e.ts
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Page } from 'playwright-core';
import { type TestEnvironment } from '../env';
import { type E2eSession, startE2eSession } from './session';
import { answerQuickInput, readTreeRows, runCommandFromPalette, runContextMenuEntry, screenshot, waitForTreeRow } from './workbench';

let session: E2eSession;
let env: TestEnvironment;
let page: Page;

before(async () => {
  session = await startE2eSession();
  ({ env, page } = session);
});

after(async () => {
  await session?.stop();
});

test('Add Registry, expand to a tag with its digest and platforms, Pull it, and it is in Local Images', async (t) => {
  await runCommandFromPalette(page, 'Layerlens: Add Registry…');
  await answerQuickInput(page, env.registry.host, /registry host/);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Use my Docker credentials' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await waitForTreeRow(page, env.registry.host, 10_000, 'Registries');
  await page.locator('.monaco-list[aria-label="Registries"] .monaco-list-row', { hasText: env.registry.host }).first().click();
  await waitForTreeRow(page, 'multi/platform', 10_000, 'Registries');
  await page.locator('.monaco-list[aria-label="Registries"] .monaco-list-row', { hasText: 'multi/platform' }).first().click();
  const tagRow = await waitForTreeRow(page, /^1 sha256:[0-9a-f]{12} · linux\/amd64, linux\/arm64$/, 15_000, 'Registries');
  t.diagnostic(`tag row: ${tagRow}`);
  t.diagnostic(`screenshot: ${await screenshot(page, 'registries')}`);
  assert.ok(!(await readTreeRows(page, 'Local Images')).some((row) => row.startsWith(`${env.registry.host}/multi/platform`)));
  const row = page.locator('.monaco-list[aria-label="Registries"] .monaco-list-row', { hasText: /^1sha256/ }).first();
  await runContextMenuEntry(page, row, 'Pull Image…', page.locator('.notification-toast', { hasText: /Pulling/ }));
  await waitForTreeRow(page, `${env.registry.host}/multi/platform`, 30_000, 'Local Images');
  t.diagnostic(`screenshot: ${await screenshot(page, 'registries-pulled')}`);
});
