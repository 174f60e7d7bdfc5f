// End to end in code-server: Show Layers from a tag's context menu draws the rows and bars in
// the webview; clicking the biggest linked layer opens the workspace Dockerfile at its line;
// screenshots in dark, light and high-contrast themes; and an image whose label and RUN
// command carry markup shows that markup as text, with no script run.
//   node --import tsx --test test/e2e/layers.e2e.ts
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { type Page } from 'playwright-core';
import { CLASSIC_DOCKERFILE } from '../env';
import { layersWebview, setColorTheme, showLayersFromTree } from './layersPanel';
import { type E2eSession, startE2eSession } from './session';
import { answerQuickInput, runCommandFromPalette, screenshot } from './workbench';

let session: E2eSession;
let page: Page;
const dialogs: string[] = [];

before(async () => {
  session = await startE2eSession();
  page = session.page;
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

after(async () => {
  await session?.stop();
});

/** The status bar's cursor position, "Ln 5, Col 1 (…)". */
async function cursorStatus(): Promise<string> {
  return (await page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first().textContent()) ?? '';
}

test('Show Layers from the tree: rows and bars to scale; the biggest linked layer opens its Dockerfile line', async (t) => {
  fs.writeFileSync(path.join(session.folder, 'Dockerfile'), fs.readFileSync(CLASSIC_DOCKERFILE, 'utf8'));
  const frame = await showLayersFromTree(page, 'layerlens-test/classic', '1');
  // The rows come first; their Dockerfile lines once the workspace's Dockerfiles are matched.
  await frame.locator('header .dockerfile', { hasText: 'Lines from Dockerfile' }).waitFor({ state: 'visible', timeout: 10_000 });

  const header = (await frame.locator('header.image').innerText()).replace(/\s+/g, ' ');
  assert.match(header, /layerlens-test\/classic:1/);
  assert.match(header, /ID sha256:[0-9a-f]{64}/);
  assert.match(header, /Platform linux\/amd64/);
  assert.match(header, /Layers 4 layers · 8 history entries/);
  assert.match(header, /Lines from Dockerfile: 7 of 7 instructions matched/);

  // Own rows in build order (the base's row is folded under "from layerlens-test/busybox:1").
  const rows = frame.locator('#rows > .row');
  const texts = await rows.locator('.instruction').allTextContents();
  t.diagnostic(`rows: ${JSON.stringify(texts)}`);
  assert.equal(texts.length, 7);
  assert.match(texts[0]!, /^LABEL org\.opencontainers\.image\.title=/);
  assert.match(texts[2]!, /^RUN mkdir -p \/app\/data && head -c 1048576/);
  const base = frame.locator('vscode-collapsible.base');
  assert.equal(await base.getAttribute('heading'), 'from');
  assert.match((await base.getAttribute('description')) ?? '', /^layerlens-test\/busybox:1 · 1 layer · 2\.0 MB$/);

  // Bars to scale: the busybox layer (about 2 MB) is the longest; the 1 MiB RUN about half of it.
  const widths = await frame.locator('.row').evaluateAll((all) =>
    all.map((row) => ({ text: row.querySelector('.instruction')?.textContent ?? '', fill: row.querySelector<HTMLElement>('.bar .fill')?.getBoundingClientRect().width ?? -1, bar: row.querySelector('.bar')?.getBoundingClientRect().width ?? 0 })),
  );
  t.diagnostic(`bars: ${JSON.stringify(widths)}`);
  const run = widths.find((row) => row.text.includes('1048576'))!;
  assert.ok(run.bar > 0 && run.fill / run.bar > 0.45 && run.fill / run.bar < 0.6, `the 1 MiB RUN's bar is about half the 2 MB base's: ${run.fill} of ${run.bar}`);
  assert.equal(await frame.locator('.row.kind-metadata .bar .fill').count(), 0, 'metadata rows have no bar');
  assert.ok((await frame.locator('.row.kind-metadata .layer-id', { hasText: 'metadata only' }).count()) >= 3);
  t.diagnostic(`screenshot: ${await screenshot(page, 'layers-rows')}`);

  // Largest first: the base layer leads, then the biggest layer this Dockerfile made.
  await frame.locator('#sort-by-size').click();
  const sorted = await frame.locator('#rows > .row .instruction').allTextContents();
  assert.equal(sorted.length, 8, 'sorted, the base rows join the one list');
  const biggestLinked = frame.locator('#rows > .row.linked').first();
  assert.match((await biggestLinked.locator('.instruction').textContent()) ?? '', /1048576/);
  await biggestLinked.click();
  // classic.Dockerfile line 5: RUN mkdir -p /app/data && head -c 1048576 ...
  await page.locator('.tabs-container .tab', { hasText: 'Dockerfile' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.statusbar-item')).some((item) => /^Ln 5, Col 1\b/.test(item.textContent ?? '')), undefined, { timeout: 10_000 });
  assert.match(await cursorStatus(), /^Ln 5, Col 1/);
  t.diagnostic(`screenshot: ${await screenshot(page, 'layers-opened-line')}`);

  // A selection in the Dockerfile highlights its row: line 6 is the 4 KiB RUN.
  await page.keyboard.press('Control+G');
  await answerQuickInput(page, ':6');
  await frame.locator('.row.highlighted', { hasText: 'head -c 4096' }).waitFor({ state: 'attached', timeout: 10_000 });
  assert.equal(await frame.locator('.row.highlighted').count(), 1);
});

test('the panel in light, dark and high-contrast themes', async (t) => {
  await page.locator('.tabs-container .tab', { hasText: 'Layers: layerlens-test/classic:1' }).first().click();
  const frame = await layersWebview(page, 'layerlens-test/classic:1');
  await frame.locator('#rows > .row').first().waitFor({ state: 'visible', timeout: 10_000 });
  for (const theme of ['Dark Modern', 'Dark High Contrast', 'Light High Contrast', 'Light Modern'] as const) {
    await setColorTheme(page, theme);
    const colors = await frame.locator('.row.largest .bar .fill').evaluate((fill) => ({
      bar: getComputedStyle(fill).backgroundColor,
      text: getComputedStyle(document.body).color,
      background: getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim(),
    }));
    t.diagnostic(`${theme}: ${JSON.stringify(colors)}`);
    assert.notEqual(colors.bar, 'rgba(0, 0, 0, 0)', `the largest bar has a color in ${theme}`);
    assert.notEqual(colors.background, '');
    t.diagnostic(`screenshot: ${await screenshot(page, `layers-${theme.toLowerCase().replace(/\s+/g, '-')}`)}`);
  }
});

test('keyboard: filter, Tab to the rows, arrows between them, Enter opens the line', async () => {
  await page.locator('.tabs-container .tab', { hasText: 'Layers: layerlens-test/classic:1' }).first().click();
  const frame = await layersWebview(page, 'layerlens-test/classic:1');
  await frame.locator('#filter').click();
  await page.keyboard.type('head -c');
  await frame.locator('#row-count', { hasText: '2 of 8 rows' }).waitFor({ state: 'visible', timeout: 5_000 });
  // The sort toggle is still on from the first test: the 1 MiB RUN first, then the 4 KiB one.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const focused = (): Promise<string> => frame.locator('body').evaluate(() => (document.activeElement?.classList.contains('row') ? (document.activeElement.querySelector('.instruction')?.textContent ?? '') : `not a row: ${document.activeElement?.tagName ?? 'nothing'}`));
  assert.match(await focused(), /head -c 1048576/);
  await page.keyboard.press('ArrowDown');
  assert.match(await focused(), /head -c 4096/);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.statusbar-item')).some((item) => /^Ln 6, Col 1\b/.test(item.textContent ?? '')), undefined, { timeout: 10_000 });
});

test('markup in a label and a RUN command renders as text; no script runs', async (t) => {
  const dockerfile = [
    'FROM layerlens-test/busybox:1',
    'LABEL x="<img src=x onerror=alert(1)>"',
    `RUN echo '<script>window.__pwned=1</script>' > /xss.html && echo '<img src=x onerror=alert(2)>' >> /xss.html`,
    '',
  ].join('\n');
  await session.env.engine.docker(['build', '--quiet', '--network=none', '-t', 'layerlens-test/xss:1', '-'], { input: dockerfile, env: { DOCKER_BUILDKIT: '1' } });

  // From the palette, with the image picker.
  await runCommandFromPalette(page, 'Layerlens: Show Layers');
  await answerQuickInput(page, 'layerlens-test/xss:1');
  await page.locator('.tabs-container .tab', { hasText: 'Layers: layerlens-test/xss:1' }).waitFor({ state: 'visible', timeout: 30_000 });
  const frame = await layersWebview(page, 'layerlens-test/xss:1');
  const texts = await frame.locator('#rows > .row .instruction').allTextContents();
  t.diagnostic(`rows: ${JSON.stringify(texts)}`);
  assert.ok(texts.includes('LABEL x=<img src=x onerror=alert(1)>'), JSON.stringify(texts));
  assert.ok(texts.some((text) => text.includes(`echo '<script>window.__pwned=1</script>' > /xss.html && echo '<img src=x onerror=alert(2)>'`)), JSON.stringify(texts));
  t.diagnostic(`screenshot: ${await screenshot(page, 'layers-xss')}`);

  const inside = await frame.locator('body').evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    images: document.querySelectorAll('img').length,
    scripts: Array.from(document.querySelectorAll('script')).map((script) => ({ src: script.getAttribute('src'), text: script.textContent ?? '' })),
  }));
  assert.equal(inside.pwned, undefined);
  assert.equal(inside.images, 0, 'no img element came from the data');
  // Ours by src; VS Code's own inline one (acquireVsCodeApi) may be there too, never one from the data.
  const sources = inside.scripts.flatMap((script) => (script.src ? [script.src] : []));
  assert.equal(sources.length, 1, JSON.stringify(sources));
  assert.match(sources[0]!, /dist\/webview\.js$/);
  assert.ok(inside.scripts.every((script) => !/pwned|onerror/.test(script.text)), 'no script carries the image data');
  await page.waitForTimeout(500);
  assert.deepEqual(dialogs, [], 'no alert() ran');
});
