// End to end in code-server: a RUN line of hundreds of characters in a Layers panel made narrow
// by its Dockerfile open beside it. The row wraps it to three lines (bars still aligned, to
// scale); "Show all", Space or Right shows it whole, a command a line, inside the panel; Space
// or Left clamps it again; Up, Down and Enter still move and open lines.
//   node --import tsx --test test/e2e/layersLongInstruction.e2e.ts
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { type Locator, type Page } from 'playwright-core';
import { layersWebview } from './layersPanel';
import { type E2eSession, startE2eSession } from './session';
import { answerQuickInput, runCommandFromPalette, screenshot, waitForStatusBarText } from './workbench';

const IMAGE = 'layerlens-test/longrun:1';
const LONG_RUN = [
  'RUN set -eu; mkdir -p /opt/app/bin /opt/app/share/doc /opt/app/var/lib/state',
  '&& echo "deb http://deb.debian.org/debian bookworm main contrib non-free" > /opt/app/sources.list',
  '&& echo apt-get update --quiet',
  '&& echo apt-get install --yes --no-install-recommends ca-certificates curl gnupg2 locales tzdata unzip xz-utils build-essential pkg-config libssl-dev libffi-dev',
  '&& head -c 262144 /dev/urandom > /opt/app/bin/tool',
  '&& echo "layerlens: a long RUN instruction, read whole in a narrow panel" > /opt/app/share/doc/README',
  '&& rm -rf /tmp/* /var/tmp/*',
].join(' ');
const DOCKERFILE = ['FROM layerlens-test/busybox:1', LONG_RUN, 'RUN head -c 65536 /dev/urandom > /opt/app/bin/small', 'CMD ["cat", "/opt/app/share/doc/README"]', ''].join('\n');

let session: E2eSession;
let page: Page;

before(async () => {
  session = await startE2eSession();
  page = session.page;
});

after(async () => {
  await session?.stop();
});

/** The row's instruction box: its text, whether anything is clipped, how many lines it shows. */
function instructionBox(row: Locator): Promise<{ text: string; clippedX: boolean; clippedY: boolean; lines: number; panelWidth: number; expanded: string | null }> {
  return row.evaluate((element) => {
    const box = element.querySelector<HTMLElement>('.instruction')!;
    return {
      text: box.textContent ?? '',
      clippedX: box.scrollWidth > box.clientWidth,
      clippedY: box.scrollHeight > box.clientHeight,
      lines: box.clientHeight / parseFloat(getComputedStyle(box).lineHeight),
      panelWidth: document.documentElement.clientWidth,
      expanded: element.querySelector('button.expand')?.getAttribute('aria-expanded') ?? null,
    };
  });
}

test('a long RUN line in a narrow panel: three wrapped lines, then whole with Show all, Space or Right', async (t) => {
  fs.writeFileSync(path.join(session.folder, 'Dockerfile'), DOCKERFILE);
  await session.env.engine.docker(['build', '--quiet', '--network=none', '-t', IMAGE, '-'], { input: DOCKERFILE, env: { DOCKER_BUILDKIT: '1' } });
  await runCommandFromPalette(page, 'Layerlens: Show Layers');
  await answerQuickInput(page, IMAGE);
  const frame = await layersWebview(page, IMAGE);
  await frame.locator('header .dockerfile', { hasText: 'Lines from Dockerfile' }).waitFor({ state: 'visible', timeout: 10_000 });

  // The Dockerfile opens beside the panel, which leaves the panel half the editor area.
  const small = frame.locator('#rows > .row', { hasText: 'head -c 65536' });
  await small.click();
  await waitForStatusBarText(page, /^Ln 3, Col 1\b/, 10_000);
  const long = frame.locator('#rows > .row', { hasText: 'apt-get install' });
  t.diagnostic(`screenshot: ${await screenshot(page, 'layers-long-instruction-clamped')}`);

  const clamped = await instructionBox(long);
  t.diagnostic(`clamped: ${JSON.stringify(clamped)}`);
  assert.ok(clamped.panelWidth < 600, `the panel is narrow: ${clamped.panelWidth}px`);
  assert.equal(clamped.text, LONG_RUN, 'the row holds the whole instruction');
  assert.equal(clamped.clippedX, false, 'wrapped, not cut off at the side');
  assert.ok(Math.abs(clamped.lines - 3) < 0.1, `clamped to three lines: ${clamped.lines}`);
  assert.equal(clamped.clippedY, true, 'the rest is below the third line');

  // Rows stay scannable: every bar starts at the same x and has the same length, the fills to scale.
  const bars = await frame.locator('#rows > .row').evaluateAll((rows) =>
    rows.flatMap((row) => {
      const bar = row.querySelector('.bar')?.getBoundingClientRect();
      const fill = row.querySelector('.bar .fill')?.getBoundingClientRect();
      return bar ? [{ text: row.querySelector('.instruction')?.textContent?.slice(0, 20), left: bar.left, width: bar.width, fill: fill?.width ?? 0 }] : [];
    }),
  );
  t.diagnostic(`bars: ${JSON.stringify(bars)}`);
  assert.ok(bars.length >= 3);
  for (const bar of bars) assert.ok(Math.abs(bar.left - bars[0]!.left) < 0.5 && Math.abs(bar.width - bars[0]!.width) < 0.5, `aligned: ${JSON.stringify(bar)}`);
  const longFill = bars.find((bar) => bar.text?.startsWith('RUN set -eu'))!.fill;
  const smallFill = bars.find((bar) => bar.text?.startsWith('RUN head -c 65536'))!.fill;
  assert.ok(smallFill > 0 && smallFill < longFill / 2, `to scale: ${smallFill} of ${longFill}`);

  // Show all (it appears on the row under the pointer) opens the row inside the panel.
  await long.hover();
  const button = long.locator('button.expand');
  await button.waitFor({ state: 'visible', timeout: 5_000 });
  assert.equal((await button.textContent())?.trim(), 'Show all');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await button.getAttribute('aria-controls'), await long.locator('.instruction').getAttribute('id'));
  t.diagnostic(`screenshot: ${await screenshot(page, 'layers-long-instruction-show-all')}`);
  await button.click();
  const whole = await instructionBox(long);
  t.diagnostic(`expanded: ${JSON.stringify(whole)}`);
  assert.equal(whole.expanded, 'true');
  assert.equal(whole.text, LONG_RUN, 'still the whole instruction, unchanged');
  assert.equal(whole.clippedX, false, 'nothing cut off at the side');
  assert.equal(whole.clippedY, false, 'nothing cut off below');
  assert.ok(whole.lines > 7, `a command a line: ${whole.lines} lines`);
  const pieces = await long.locator('.instruction .segment').allTextContents();
  // `set -eu;` ends the first piece; each `&&` starts one.
  assert.equal(pieces.length, 8, JSON.stringify(pieces));
  assert.ok(pieces.slice(2).every((piece) => piece.startsWith('&& ')), JSON.stringify(pieces));
  t.diagnostic(`screenshot: ${await screenshot(page, 'layers-long-instruction-expanded')}`);

  // The keyboard: the row kept the focus; Space and Left clamp it, Space and Right open it.
  const isFocused = (): Promise<boolean> => long.evaluate((element) => document.activeElement === element);
  const expandedNow = async (): Promise<string | null> => (await instructionBox(long)).expanded;
  assert.equal(await isFocused(), true, 'the row has the focus');
  await page.keyboard.press('Space');
  assert.equal(await expandedNow(), 'false');
  assert.equal((await instructionBox(long)).clippedY, true, 'clamped again');
  await page.keyboard.press('ArrowRight');
  assert.equal(await expandedNow(), 'true');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await expandedNow(), 'false');
  await page.keyboard.press('Space');
  assert.equal(await expandedNow(), 'true');
  assert.equal((await instructionBox(long)).clippedY, false);

  // Moving on keeps it open; Enter on a row still opens its line (CMD, line 4).
  await page.keyboard.press('ArrowDown');
  assert.equal(await small.evaluate((element) => document.activeElement === element), true, 'Down moved to the next row');
  assert.equal(await expandedNow(), 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await waitForStatusBarText(page, /^Ln 4, Col 1\b/, 10_000);
});
