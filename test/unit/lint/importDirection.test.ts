// The lint rules that keep src/ in shape: a cycle or an import against the direction
// (util <- image <- dockerConfig <- engine/registry/dockerfile <- layers/pinning <- context.ts
// <- views/webview) fails `npm run lint`. Each case lints a real file of src/ with one import
// added, through ESLint's own API and the repository's config.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';
import ts from 'typescript';

const root = path.resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function ruleIds(file: string, extraImport: string): Promise<string[]> {
  const filePath = path.join(root, file);
  const text = `${extraImport}\n${fs.readFileSync(filePath, 'utf8')}`;
  const [result] = await eslint.lintText(text, { filePath });
  return [...new Set(result!.messages.map((message) => message.ruleId ?? message.message))].sort();
}

/** Every .ts file under dir -> the files of src/ it imports (type-only imports included), resolved as tsc does. */
function importGraph(dir: string): Map<string, string[]> {
  const options: ts.CompilerOptions = { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, allowJs: false };
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts')).map((file) => path.join(dir, file));
  return new Map(
    files.map((file) => {
      const imports = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles;
      const resolved = imports.flatMap(({ fileName }) => {
        const target = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule?.resolvedFileName;
        return target && !target.includes('node_modules') && target.startsWith(dir) ? [path.normalize(target)] : [];
      });
      return [file, resolved];
    }),
  );
}

/** Each cycle once, as `a -> b -> a` relative to the repository. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(root, f)).join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('import direction and cycles (eslint.config.mjs)', () => {
  test('the files as they are pass', async () => {
    assert.deepEqual(await ruleIds('src/engine/imageFacts.ts', ''), []);
  });

  test('a cycle fails', async () => {
    // localImages.ts imports imageFacts.ts; the reverse closes a loop.
    assert.deepEqual(await ruleIds('src/engine/imageFacts.ts', "import { LocalImagesModel } from './localImages';\nexport const _probe = LocalImagesModel;"), ['import-x/no-cycle']);
  });

  test('no cycle through type-only imports either (import-x/no-cycle skips those; TypeScript resolves them here)', () => {
    const graph = importGraph(path.join(root, 'src'));
    const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
    assert.ok(graph.size > 50 && edges > 2 * graph.size, `${graph.size} files, ${edges} imports`);
    assert.deepEqual(findCycles(graph), []);
    // The check itself finds a loop when there is one.
    const a = path.join(root, 'src/a.ts');
    const b = path.join(root, 'src/b.ts');
    assert.deepEqual(findCycles(new Map([[a, [b]], [b, [a]]])), ['src/a.ts -> src/b.ts -> src/a.ts']);
  });

  test('an upward import fails and names the direction', async () => {
    const filePath = path.join(root, 'src/image/reference.ts');
    const text = `import { type PinTarget } from '../pinning/pinTarget';\nexport type _Probe = PinTarget;\n${fs.readFileSync(filePath, 'utf8')}`;
    const [result] = await eslint.lintText(text, { filePath });
    const messages = result!.messages.filter((message) => message.ruleId === 'import-x/no-restricted-paths');
    assert.equal(messages.length, 1);
    assert.match(messages[0]!.message, /src\/image sits below/);
  });

  test('engine and registry do not import each other; the webview imports no host module of views/', async () => {
    assert.ok((await ruleIds('src/registry/manifest.ts', "import { type LocalImage } from '../engine/images';\nexport type _Probe = LocalImage;")).includes('import-x/no-restricted-paths'));
    assert.ok((await ruleIds('src/webview/rowOrder.ts', "import { type LayersLoader } from '../views/layers/loader';\nexport type _Probe = LayersLoader;")).includes('import-x/no-restricted-paths'));
  });

  test('a downward import passes', async () => {
    assert.deepEqual(await ruleIds('src/pinning/pinTarget.ts', "import { type LocalImage } from '../engine/images';\nexport type _Probe = LocalImage;"), []);
  });
});
