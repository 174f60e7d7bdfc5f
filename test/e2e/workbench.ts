// Playwright helpers for end-to-end tests against the VS Code workbench served by code-server
// (see test/env/codeServer.ts). They find things the way a user does: by visible labels.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { workbenchUrl } from '../env/codeServer';

export const SCREENSHOT_DIR = path.join(__dirname, 'screenshots');
const DEFAULT_TIMEOUT_MS = 30_000;

export interface OpenWorkbenchOptions {
  /** Load this folder as a development extension (the "Extension Development Host" window). */
  extensionDevelopmentPath?: string;
  timeoutMs?: number;
}

/**
 * Opens the workbench for folder and waits until it is usable: the workbench DOM exists and the
 * extension host has started and registered the installed extensions (the renderer's
 * `code/didLoadExtensions` performance mark). Extensions may still be activating after that.
 */
export async function openWorkbench(browser: Browser, url: string, folder: string, opts: OpenWorkbenchOptions = {}): Promise<Page> {
  const timeout = opts.timeoutMs ?? 60_000;
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(workbenchUrl(url, { folder, extensionDevelopmentPath: opts.extensionDevelopmentPath }));
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  await page.waitForFunction(() => performance.getEntriesByName('code/didLoadExtensions').length > 0, undefined, { timeout });
  return page;
}

/**
 * Shows the view container whose activity-bar item's label matches, e.g. /^Layerlens/.
 * Clicking the item of the container already shown would hide the side bar, so it is left alone.
 */
export async function clickActivityBarItem(page: Page, ariaLabel: RegExp | string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const item = page.locator('.part.activitybar').getByRole('tab', { name: ariaLabel });
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * The rendered rows of a tree view as "label description" texts, top to bottom. viewTitle is the
 * view's name (e.g. "Local Images"); without it, every tree in the side bar. Lists are virtual:
 * only rows scrolled into view exist in the DOM.
 */
export async function readTreeRows(page: Page, viewTitle?: string): Promise<string[]> {
  return treeRows(page, viewTitle).evaluateAll((rows) =>
    rows
      .map((row) => {
        const label = row.querySelector('.label-name')?.textContent?.trim();
        const description = row.querySelector('.label-description')?.textContent?.trim();
        const text = label === undefined ? (row.textContent ?? '').trim() : [label, description].filter(Boolean).join(' ');
        return { index: Number(row.getAttribute('data-index')), text };
      })
      .sort((a, b) => a.index - b.index)
      .map((row) => row.text),
  );
}

/** Waits until a selected row of the view reads like the regex ("label description"); returns its text. */
export async function waitForSelectedTreeRow(page: Page, viewTitle: string, pattern: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let selected: string[] = [];
  while (Date.now() < deadline) {
    selected = await treeRows(page, viewTitle).evaluateAll((rows) =>
      rows
        .filter((row) => row.classList.contains('selected'))
        .map((row) => [row.querySelector('.label-name')?.textContent?.trim(), row.querySelector('.label-description')?.textContent?.trim()].filter(Boolean).join(' ')),
    );
    const found = selected.find((text) => pattern.test(text));
    if (found !== undefined) return found;
    await page.waitForTimeout(200);
  }
  throw new Error(`no selected row matching ${String(pattern)} in ${viewTitle} within ${timeoutMs} ms; selected: ${JSON.stringify(selected)}`);
}

/** The text of the status bar's items, joined. */
export async function waitForStatusBarText(page: Page, pattern: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: pattern }).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await item.textContent())?.trim() ?? '';
}

/** The side-bar section of a view, by its name (e.g. "Local Images"). */
export function viewPane(page: Page, viewTitle: string): Locator {
  const title = page.locator('.pane-header h3.title', { hasText: new RegExp(`^${escapeRegExp(viewTitle)}$`) });
  return page.locator('.pane').filter({ has: title });
}

/**
 * The welcome content a view shows instead of its tree (package.json "viewsWelcome", e.g. the
 * "cannot reach the container engine" state), or '' when the view shows its tree.
 */
export async function readViewWelcome(page: Page, viewTitle: string): Promise<string> {
  const welcome = viewPane(page, viewTitle).locator('.welcome-view-content');
  if ((await welcome.count()) === 0 || !(await welcome.first().isVisible())) return '';
  return (await welcome.first().innerText()).trim();
}

/** The TreeView.message shown above a view's tree, or '' when none is visible. */
export async function readViewMessage(page: Page, viewTitle: string): Promise<string> {
  const message = viewPane(page, viewTitle).locator('.tree-explorer-viewlet-tree-view > .message');
  if ((await message.count()) === 0 || !(await message.first().isVisible())) return '';
  return (await message.first().innerText()).trim();
}

/** What VS Code shows in a contributed view until the extension registers its provider. */
const NO_PROVIDER_YET = 'There is no data provider registered that can provide view data.';

/**
 * Waits until a view settles on content: its rows ("label description", joined by " | "), or
 * else its message and welcome text. VS Code's placeholder from before the extension activated
 * does not count.
 */
export async function waitForViewContent(page: Page, viewTitle: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await readTreeRows(page, viewTitle);
    if (rows.length > 0) return rows.join(' | ');
    const text = [await readViewMessage(page, viewTitle), await readViewWelcome(page, viewTitle)].join(' ').trim();
    if (text !== '' && !text.includes(NO_PROVIDER_YET)) return text.replace(/\s+/g, ' ');
    await page.waitForTimeout(200);
  }
  throw new Error(`${viewTitle} shows neither rows nor a message within ${timeoutMs} ms`);
}

/** Waits until a row's text contains the string (or matches the regex); returns that text. */
export async function waitForTreeRow(
  page: Page,
  textOrRegex: string | RegExp,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  viewTitle?: string,
): Promise<string> {
  const matches = (text: string): boolean =>
    typeof textOrRegex === 'string' ? text.includes(textOrRegex) : textOrRegex.test(text);
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await readTreeRows(page, viewTitle);
    const found = rows.find(matches);
    if (found !== undefined) return found;
    await page.waitForTimeout(200);
  }
  throw new Error(`no tree row matching ${String(textOrRegex)} within ${timeoutMs} ms; rows: ${JSON.stringify(rows)}`);
}

/**
 * Runs a command the way a user does: F1, type its title (e.g. "Layerlens: Remove Dangling
 * Images"), Enter. Waits until the highlighted entry is that command, so Enter cannot pick another.
 */
export async function runCommandFromPalette(page: Page, title: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  const focused = page.locator('.quick-input-list .monaco-list-row.focused');
  await focused.filter({ hasText: title }).waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.press('Enter');
  // The palette is gone: closed, or already reused by the command's own input box (the same
  // widget), which can happen before a "hidden" state is ever seen.
  await page.waitForFunction(
    (typed) => {
      const widget = document.querySelector<HTMLElement>('.quick-input-widget');
      const box = widget?.querySelector<HTMLInputElement>('.quick-input-box input');
      return !widget || widget.style.display === 'none' || widget.offsetParent === null || box?.value !== typed;
    },
    `>${title}`,
    { timeout: timeoutMs, polling: 50 },
  );
}

/**
 * A notification with the text, as a toast or, when the workbench kept it out of the toasts
 * (it does while others are shown), in the notification center.
 */
export async function findNotification(page: Page, textOrRegex: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const messages = page.locator('.notification-list-item-message').filter({ hasText: textOrRegex });
  while (Date.now() < deadline) {
    if ((await messages.count()) > 0) return (await messages.first().textContent()) ?? '';
    if (!(await page.locator('.notifications-center.visible').count())) await runCommandFromPalette(page, 'Notifications: Show Notifications').catch(() => undefined);
    await page.waitForTimeout(250);
  }
  throw new Error(`no notification matching ${String(textOrRegex)} within ${timeoutMs} ms`);
}

/** Waits for a notification toast whose message contains the string (or matches the regex). */
export async function waitForNotification(page: Page, textOrRegex: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  const toast = page.locator('.notification-toast .notification-list-item-message').filter({ hasText: textOrRegex });
  await toast.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return (await toast.first().textContent()) ?? '';
}

/** Saves a full-page PNG as test/e2e/screenshots/<name>.png (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

function treeRows(page: Page, viewTitle?: string): Locator {
  const trees = viewTitle === undefined
    ? page.locator('.part.sidebar .monaco-list[role="tree"]')
    : page.locator(`.monaco-list[role="tree"][aria-label="${cssString(viewTitle)}"]`);
  return trees.locator('.monaco-list-row');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}

/**
 * Right-clicks the row and runs the context-menu entry. The menu animates in, and a click
 * during that can miss: the entry is tried twice, until `opened` (the result) shows.
 */
export async function runContextMenuEntry(page: Page, row: Locator, entry: string, opened: Locator, timeoutMs = 10_000): Promise<void> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    await row.click({ button: 'right' });
    const item = page.locator('.context-view').getByRole('menuitem', { name: entry });
    await item.waitFor({ state: 'visible', timeout: timeoutMs });
    await item.hover();
    await item.click();
    if (await opened.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) return;
    await page.keyboard.press('Escape');
  }
  throw new Error(`the context-menu entry "${entry}" did not open what it should`);
}

/**
 * Types into the open input box or quick pick (replacing its text) and accepts with Enter.
 * Successive prompts reuse one widget: with `prompt`, it first waits for that prompt's text,
 * so an answer cannot land in the previous prompt.
 */
export async function answerQuickInput(page: Page, text: string, prompt?: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  if (prompt !== undefined) await page.locator('.quick-input-widget', { hasText: prompt }).waitFor({ state: 'visible', timeout: timeoutMs });
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(text);
  await page.keyboard.press('Enter');
}
