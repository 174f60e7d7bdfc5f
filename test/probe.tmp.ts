import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestEnvironment } from '/work/main/test/env';
import { makeTempDir } from '/work/main/test/env/cleanup';
import { launchBrowser, REPO_ROOT, startCodeServer } from '/work/main/test/env/codeServer';
import { clickActivityBarItem, openWorkbench, waitForTreeRow } from '/work/main/test/e2e/workbench';
async function main() {
  const env = await startTestEnvironment({ registries: false });
  const folder = path.join(makeTempDir(), 'ws'); fs.mkdirSync(folder);
  const server = await startCodeServer({ folder, env: { DOCKER_HOST: env.engine.dockerHost }, extensionDirs: [REPO_ROOT] });
  const browser = await launchBrowser();
  const page = await openWorkbench(browser, server.url, folder);
  await page.waitForTimeout(1000);
  const t0 = Date.now();
  console.log('click at', new Date(t0).toISOString());
  await clickActivityBarItem(page, /^Layerlens/);
  await waitForTreeRow(page, 'layerlens-test/app', 30000, 'Local Images');
  console.log('row seen at', new Date().toISOString(), Date.now() - t0);
  await page.waitForTimeout(500);
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
  for (const f of walk(server.userDataDir).filter((f) => /Layerlens\.log$|exthost\.log$/.test(f))) { console.log('==', f); console.log(fs.readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')); }
  await browser.close(); await server.stop(); await env.stop();
}
main().catch(e => { console.error(e); process.exit(1); });
