// Playwright helpers for the Layers panel (a webview): VS Code draws each webview in an
// `iframe.webview` whose `#active-frame` holds the page. Shared by layers.e2e.ts and the bench.
import { type FrameLocator, type Locator, type Page } from 'playwright-core';
import { runContextMenuEntry } from './workbench';

const IMAGES_TREE = '.monaco-list[role="tree"][aria-label="Local Images"]';

/** The page inside each webview VS Code has made (shown or hidden). */
function webviewPages(page: Page): { count(): Promise<number>; nth(index: number): FrameLocator } {
  const outer = page.locator('iframe.webview.ready');
  return { count: () => outer.count(), nth: (index) => outer.nth(index).contentFrame().locator('#active-frame').contentFrame() };
}

/** The Layers panel of the image the panel calls `name` (its heading), once its rows are drawn. */
export async function layersWebview(page: Page, name: string, timeoutMs = 30_000): Promise<FrameLocator> {
  const pages = webviewPages(page);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const count = await pages.count();
    for (let i = 0; i < count; i++) {
      const frame = pages.nth(i);
      const heading = await frame.locator('header.image h1').textContent({ timeout: 500 }).catch(() => undefined);
      if (heading?.trim() === name) return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no Layers panel showing ${name}`);
}

/** The Local Images row of a repository's tag: expands the repository when needed. */
export async function imageTagRow(page: Page, repository: string, tag: string, timeoutMs = 30_000): Promise<Locator> {
  const rows = page.locator(`${IMAGES_TREE} .monaco-list-row`);
  const repoRow = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(repository)}$`) }) }).first();
  await repoRow.waitFor({ state: 'visible', timeout: timeoutMs });
  if ((await repoRow.getAttribute('aria-expanded')) !== 'true') await repoRow.click();
  const index = Number(await repoRow.getAttribute('data-index'));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // The repository's tags are the level-2 rows right after it.
    const found = await rows.evaluateAll(
      (all, [from, wanted]) => {
        const byIndex = all.map((row) => ({ index: Number(row.getAttribute('data-index')), level: row.getAttribute('aria-level'), label: row.querySelector('.label-name')?.textContent?.trim() }));
        byIndex.sort((a, b) => a.index - b.index);
        for (const row of byIndex.filter((entry) => entry.index > from)) {
          if (row.level !== '2') return -1;
          if (row.label === wanted) return row.index;
        }
        return -1;
      },
      [index, tag] as const,
    );
    if (found >= 0) return page.locator(`${IMAGES_TREE} .monaco-list-row[data-index="${found}"]`);
    await page.waitForTimeout(100);
  }
  throw new Error(`no tag row ${repository}:${tag} in Local Images`);
}

/** Right-click a tag in Local Images, "Show Layers", and wait for the panel's rows. */
export async function showLayersFromTree(page: Page, repository: string, tag: string): Promise<FrameLocator> {
  const row = await imageTagRow(page, repository, tag);
  const tab = page.locator('.tabs-container .tab', { hasText: `Layers: ${repository}:${tag}` });
  await runContextMenuEntry(page, row, 'Show Layers', tab);
  return layersWebview(page, `${repository}:${tag}`);
}

/** Picks a color theme the way a person does ("Preferences: Color Theme"), and waits until the workbench wears it. */
export async function setColorTheme(page: Page, label: 'Light Modern' | 'Dark Modern' | 'Dark High Contrast' | 'Light High Contrast'): Promise<void> {
  // Not runCommandFromPalette: "Browse Color Themes in Marketplace" sorts first for this text.
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: /^Preferences: Color Theme/ }).first().click();
  // The theme picker reuses the widget: wait until the command text is gone from it.
  await page.waitForFunction(() => !(document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input')?.value ?? '>').startsWith('>'), undefined, { timeout: 10_000 });
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  const kind = label === 'Dark High Contrast' ? 'hc-black' : label === 'Light High Contrast' ? 'hc-light' : label === 'Dark Modern' ? 'vs-dark' : 'vs';
  await page.locator(`.monaco-workbench.${kind}`).waitFor({ state: 'attached', timeout: 15_000 });
  // The webviews get the theme's variables a moment later.
  await page.waitForTimeout(500);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
