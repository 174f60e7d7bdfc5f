// Bundles the extension-host suite (suite/index.ts and every suite/*.test.ts) into
// out/test/extension/, one CommonJS file per entry, the way the extension host require()s them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../env/codeServer';

const SUITE_DIR = path.join(REPO_ROOT, 'test', 'extension', 'suite');
export const SUITE_OUT_DIR = path.join(REPO_ROOT, 'out', 'test', 'extension');
/** What extensionTestsPath names: the bundled suite/index.ts, without .js. */
export const SUITE_ENTRY = path.join(SUITE_OUT_DIR, 'index');

export async function bundleSuite(): Promise<void> {
  const testFiles = fs.readdirSync(SUITE_DIR).filter((name) => name.endsWith('.test.ts'));
  // Stale bundles of deleted tests would still be picked up by index.js's directory scan.
  fs.rmSync(SUITE_OUT_DIR, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: ['index.ts', ...testFiles].map((name) => path.join(SUITE_DIR, name)),
    outdir: SUITE_OUT_DIR,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // vscode is provided by the extension host. mocha stays one shared instance loaded from the
    // repo's node_modules: the test files' suite()/test() globals must come from the Mocha that
    // index.js runs, and mocha's dynamic requires do not bundle cleanly.
    external: ['vscode', 'mocha', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
    loader: { '.node': 'empty' },
    // Unminified, so stack traces in failures stay readable; the extension host does not apply
    // source maps to them, but a debugger attached to it does.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
}
