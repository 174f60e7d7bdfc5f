// End to end in code-server: open a Dockerfile, click the "Pin to digest" lens above its
// FROM, and the line carries the digest the registry reports; Ctrl+Z takes it back.
//   node --import tsx --test test/e2e/dockerfile.e2e.ts
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { type Page } from 'playwright-core';
import { type TestEnvironment } from '../env';
import { type E2eSession, startE2eSession } from './session';
import { screenshot } from './workbench';

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

/** The editor's text as rendered (non-breaking spaces back to spaces). */
async function editorLines(page: Page): Promise<string[]> {
  const lines = await page.locator('.monaco-editor .view-lines .view-line').evaluateAll((nodes) =>
    nodes
      .map((node) => ({ top: Number.parseFloat((node as HTMLElement).style.top || '0'), text: node.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replace(/\u00a0/g, ' ')),
  );
  return lines;
}

async function registryDigest(host: string, repository: string, tag: string): Promise<string> {
  const response = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  assert.equal(response.status, 200);
  return response.headers.get('docker-content-digest')!;
}

test('click "Pin to digest" above a FROM: the line carries the registry’s digest; undo takes it back', async (t) => {
  const host = env.registry.host;
  const original = [`FROM ${host}/multi/platform:1 AS build`, 'RUN echo built > /out', '', 'FROM scratch', 'COPY --from=build /out /out'];
  fs.writeFileSync(path.join(session.folder, 'Dockerfile'), `${original.join('\n')}\n`);
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill('Dockerfile');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dockerfile' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Pin to digest' }).first();
  await lens.waitFor({ state: 'visible', timeout: 30_000 });
  t.diagnostic(`screenshot: ${await screenshot(page, 'dockerfile-lens')}`);
  await lens.click();

  const digest = await registryDigest(host, 'multi/platform', '1');
  const pinned = `FROM ${host}/multi/platform:1@${digest} AS build`;
  await page.locator('.monaco-editor .codelens-decoration', { hasText: 'Pinned · tag current' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  const lines = await editorLines(page);
  assert.equal(lines[0], pinned);
  assert.deepEqual(lines.slice(1, original.length), original.slice(1));
  t.diagnostic(`screenshot: ${await screenshot(page, 'dockerfile-pinned')}`);

  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Z');
  await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Pin to digest' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal((await editorLines(page))[0], original[0]);
});
