// Only for `npm run bench` (bench/registriesHeap.bench.ts sets LAYERLENS_BENCH_HEAP_FILE):
// the extension host's extra heap for expanding a repository with many tags in the
// Registries view. Defines no test otherwise.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { type LayerlensApi } from '../../../src/extension';

const resultFile = process.env.LAYERLENS_BENCH_HEAP_FILE;

if (resultFile) {
  suite('benchmark: Registries heap', () => {
    test('expanding a repository with many tags', async () => {
      const api = await vscode.extensions.getExtension<LayerlensApi>('layerlens.layerlens')!.activate();
      const host = process.env.LAYERLENS_TEST_REGISTRY!;
      const repository = process.env.LAYERLENS_BENCH_REPOSITORY!;
      await vscode.commands.executeCommand('layerlens.registry.add', host);
      const label = (node: Parameters<typeof api.registries.getTreeItem>[0]): string => {
        const item = api.registries.getTreeItem(node);
        return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      };
      const registry = (await api.registries.getChildren()).find((node) => label(node) === host)!;
      const repositoryNode = (await api.registries.getChildren(registry)).find((node) => label(node) === repository)!;
      const before = process.memoryUsage().heapUsed;
      const started = performance.now();
      let children = await api.registries.getChildren(repositoryNode);
      const firstPageMs = performance.now() - started;
      // Load every page, as a person clicking "Load more" to the end would.
      for (let more = children.at(-1); more?.kind === 'loadMore'; more = children.at(-1)) {
        await api.registries.loadMore(more);
        children = await api.registries.getChildren(repositoryNode);
      }
      const allMs = performance.now() - started;
      const extraMb = (process.memoryUsage().heapUsed - before) / 1e6;
      fs.writeFileSync(resultFile, JSON.stringify({ tags: children.length, firstPageMs, allMs, extraMb }));
    });
  });
}
