// The Layers panel inside a real VS Code, against the throwaway engine's fixture images
// (layerlens-test/classic:1 and layerlens-test/buildkit:1, built from test/env/fixtures).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { type LayerlensApi } from '../../../src/extension';
import { type ImagesNode } from '../../../src/views/images/nodes';
import { type LayersPaint } from '../../../src/views/layers/panel';
import { eventually, labelOf } from './helpers';

const run = promisify(execFile);
const EXTENSION_ID = 'layerlens.layerlens';
const SIZES_SETTING = 'layerlens.layers.dockerfileSizes';
let api: LayerlensApi;
let extensionPath: string;

async function tagNode(repository: string, tag: string): Promise<ImagesNode> {
  const roots = await api.imagesProvider.getChildren();
  const repo = roots.find((node) => labelOf(api.imagesProvider.getTreeItem(node)) === repository);
  assert.ok(repo, `no ${repository} in the tree`);
  const tags = await api.imagesProvider.getChildren(repo);
  const node = tags.find((child) => labelOf(api.imagesProvider.getTreeItem(child)) === tag);
  assert.ok(node, `no tag ${tag} under ${repository}`);
  return node;
}

async function imageId(reference: string): Promise<string> {
  const { stdout } = await run('/usr/bin/docker', ['image', 'inspect', '--format', '{{.Id}}', reference], { env: process.env });
  return stdout.trim();
}

/** Writes a fixture Dockerfile into the workspace folder. */
async function writeFixtureDockerfile(fixture: 'classic' | 'buildkit', name: string): Promise<vscode.Uri> {
  const text = fs.readFileSync(path.join(extensionPath, 'test', 'env', 'fixtures', `${fixture}.Dockerfile`), 'utf8');
  const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

function layersTabs(title: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.label === title && tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('layerlens.layers'));
}

function nextPaint(imageId: string): Promise<LayersPaint> {
  return new Promise((resolve) => {
    const subscription = api.layers.onDidPaint((paint) => {
      if (paint.imageId !== imageId) return;
      subscription.dispose();
      resolve(paint);
    });
  });
}

async function lenses(uri: vscode.Uri): Promise<Array<{ line: number; title: string; arguments: unknown[] }>> {
  const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
  return found.map((lens) => ({ line: lens.range.start.line, title: lens.command?.title ?? '(unresolved)', arguments: (lens.command?.arguments ?? []) as unknown[] }));
}

suite('Layers panel', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!;
    extensionPath = extension.extensionPath;
    api = await extension.activate();
    await vscode.commands.executeCommand('workbench.view.extension.layerlens');
    await eventually('the first listing', () => Promise.resolve(api.images.state.kind === 'ready' ? true : undefined), 30_000);
  });

  teardown(async () => {
    await vscode.workspace.getConfiguration().update(SIZES_SETTING, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Show Layers on a tag opens one panel titled after it, linked to the workspace Dockerfile; a second call reuses it', async () => {
    const dockerfile = await writeFixtureDockerfile('classic', 'classic.Dockerfile');
    const id = await imageId('layerlens-test/classic:1');
    const node = await tagNode('layerlens-test/classic', '1');
    const painted = nextPaint(id);
    await vscode.commands.executeCommand('layerlens.image.showLayers', node);
    const paint = await painted;
    assert.equal(paint.title, 'Layers: layerlens-test/classic:1');
    console.log(`Show Layers: ${paint.rows} rows painted ${paint.totalMs.toFixed(0)} ms after the command (engine ${paint.readMs.toFixed(0)} ms, model ${paint.modelMs.toFixed(1)} ms)`);

    const open = api.layers.open.filter((panel) => panel.imageId === id);
    assert.equal(open.length, 1);
    assert.equal(open[0]!.dockerfile, dockerfile.toString(), 'rows are linked to the workspace file that matches the history');
    // busybox's layer, then LABEL, ENV, RUN, RUN, COPY, WORKDIR, CMD: 8 history entries.
    assert.equal(open[0]!.rows, 8);
    assert.equal(layersTabs('Layers: layerlens-test/classic:1').length, 1);

    // Away and back: the same panel comes forward, nothing is read again.
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    await vscode.commands.executeCommand('layerlens.image.showLayers', node);
    await eventually('the panel in front again', () => Promise.resolve(api.layers.open.find((panel) => panel.imageId === id)?.visible ? true : undefined));
    assert.equal(api.layers.open.filter((panel) => panel.imageId === id).length, 1);
    assert.equal(layersTabs('Layers: layerlens-test/classic:1').length, 1);

    // Another tag of the same image is the same image: still one panel.
    await vscode.commands.executeCommand('layerlens.image.showLayers', await tagNode('layerlens-test/app', '1.0'));
    assert.equal(api.layers.open.filter((panel) => panel.imageId === id).length, 1);
  });

  test('a Dockerfile gets "Layers of <image>" for the image built from it; with the setting on, each layer’s size', async () => {
    const uri = await writeFixtureDockerfile('buildkit', 'Dockerfile');
    const id = await imageId('layerlens-test/buildkit:1');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));

    // The file may have been open with other text (an earlier test's Dockerfile): the lens can
    // first answer for that text, then again once VS Code has reloaded the file.
    const top = await eventually('the "Layers of" lens', async () => (await lenses(uri)).find((lens) => lens.line === 0 && lens.title.startsWith('$(layers) Layers of ')), 30_000);
    assert.match(top.title, /^\$\(layers\) Layers of (layerlens-test\/buildkit:1|layerlens-test\/app:1\.1|localhost:5000\/team\/app:1\.1)$/);
    const request = top.arguments[0] as { imageId: string; dockerfile: string };
    assert.equal(request.imageId, id, 'the buildkit image, not the classic one built from a similar file');
    assert.equal(request.dockerfile, uri.toString());

    await vscode.workspace.getConfiguration().update(SIZES_SETTING, true, vscode.ConfigurationTarget.Global);
    const sized = await eventually('the size lenses', async () => {
      const found = (await lenses(uri)).filter((lens) => lens.title.includes('→'));
      return found.length ? found : undefined;
    }, 30_000);
    const lines = sized.map((lens) => `${lens.line}: ${lens.title}`).sort();
    // Lines 10-12 (1-based): the 2 MiB RUN, COPY --from (64 KiB) and COPY hello.txt.
    assert.deepEqual(lines, ['10: COPY → 65.5 kB', '11: COPY → 37 B', '9: $(flame) RUN → 2.1 MB · largest'].sort(), lines.join('\n'));

    // The lens opens the panel with the Dockerfile it was on.
    const painted = nextPaint(id);
    await vscode.commands.executeCommand('layerlens.image.showLayers', ...top.arguments);
    const paint = await painted;
    assert.match(paint.title, /^Layers: /);
    assert.equal(api.layers.open.find((panel) => panel.imageId === id)?.dockerfile, uri.toString());

    await vscode.workspace.getConfiguration().update(SIZES_SETTING, false, vscode.ConfigurationTarget.Global);
    await eventually('the size lenses gone', async () => ((await lenses(uri)).some((lens) => lens.title.includes('→')) ? undefined : true));
  });

  test('the lens names the tag the file built: classic.Dockerfile names layerlens-test/classic:1 among its image\'s five tags', async () => {
    const uri = await writeFixtureDockerfile('classic', 'classic.Dockerfile');
    const id = await imageId('layerlens-test/classic:1');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const top = await eventually('the "Layers of" lens', async () => (await lenses(uri)).find((lens) => lens.line === 0 && lens.title.startsWith('$(layers) Layers of ')), 30_000);
    // The engine lists this image's tags in its own order; the first used to be named.
    assert.equal(top.title, '$(layers) Layers of layerlens-test/classic:1');
    assert.equal((top.arguments[0] as { imageId: string }).imageId, id);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a row whose Dockerfile is outside the workspace folders is not opened from the panel', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'll-outside-'));
    try {
      const file = path.join(outside, 'Dockerfile');
      fs.copyFileSync(path.join(extensionPath, 'test', 'env', 'fixtures', 'classic.Dockerfile'), file);
      const uri = vscode.Uri.file(file);
      const id = await imageId('layerlens-test/classic:1');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const painted = nextPaint(id);
      // Another extension (or a lens) may name any file: the request is taken, the opening is refused.
      await vscode.commands.executeCommand('layerlens.image.showLayers', { kind: 'layersRequest', imageId: id, engineName: id, displayName: 'layerlens-test/classic:1', dockerfile: uri.toString() });
      await painted;
      await eventually('the rows linked to the outside file', () => Promise.resolve(api.layers.open.find((panel) => panel.imageId === id)?.dockerfile === uri.toString() ? true : undefined));
      const before = vscode.window.visibleTextEditors.length;
      // Row 1 onwards: the first rows after the base; any row with a line will do, so try them all.
      for (let row = 0; row < 12; row++) assert.ok(api.layers.deliver(id, { type: 'openLine', row }));
      // Opening would load the file as a document first: it never is (the panel reads it from disk).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString()), 'the outside Dockerfile was opened');
      assert.equal(vscode.window.visibleTextEditors.length, before);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

suite('Layer contents cache', () => {
  test('Clear Layer Contents Cache empties the cache in the extension\'s global storage', async () => {
    const cacheApi = (await vscode.extensions.getExtension<LayerlensApi>('layerlens.layerlens')!.activate()).layerCache;
    await cacheApi.put(`sha256:${'e'.repeat(64)}`, [{ path: 'etc/hostname', type: 'file', size: 9, mode: 0o644, uid: 0, gid: 0 }]);
    assert.equal((await cacheApi.usage()).files, 1);
    assert.match(cacheApi.dir, /layer-index$/);
    await vscode.commands.executeCommand('layerlens.layers.clearCache');
    assert.deepEqual(await cacheApi.usage(), { files: 0, bytes: 0 });
  });
});
