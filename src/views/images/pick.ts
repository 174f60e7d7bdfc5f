// From the command palette there is no selected node: offer the same targets in a QuickPick.

import * as vscode from 'vscode';
import { type LocalImagesModel } from '../../engine/localImages';
import { formatAge, formatBytes } from '../../util/format';
import { DanglingImageNode, DigestNode, type ImageNodeTarget, TagNode } from './nodes';
import { containerUseText, type ContainerUse } from '../../engine/images';
import { acceptedItems, firstMatch } from './pickChoice';

export interface PickOptions {
  title: string;
  canPickMany?: boolean;
  /** Only offer targets this accepts (e.g. tags for Copy Full Name). */
  filter?: (target: ImageNodeTarget) => boolean;
}

/** The node the command was run on, the selection, or a pick from the palette; [] when cancelled. */
export async function resolveTargets(model: LocalImagesModel, node: unknown, nodes: unknown, options: PickOptions): Promise<ImageNodeTarget[]> {
  const fromTree = (Array.isArray(nodes) && nodes.length ? nodes : node ? [node] : []).filter(isTarget);
  if (fromTree.length) return options.filter ? fromTree.filter(options.filter) : fromTree;
  return pickTargets(model, options);
}

function isTarget(value: unknown): value is ImageNodeTarget {
  return value instanceof TagNode || value instanceof DigestNode || value instanceof DanglingImageNode;
}

async function pickTargets(model: LocalImagesModel, options: PickOptions): Promise<ImageNodeTarget[]> {
  const state = await model.whenSettled();
  if (state.kind === 'error') {
    void vscode.window.showErrorMessage(state.error.message);
    return [];
  }
  if (state.kind !== 'ready') return [];
  const targets: ImageNodeTarget[] = [];
  for (const group of state.groups.repositories) {
    targets.push(...group.tags.map((tag) => new TagNode(tag)), ...group.untagged.map((digest) => new DigestNode(digest)));
  }
  targets.push(...state.groups.dangling.map((image) => new DanglingImageNode(image)));
  const offered = options.filter ? targets.filter(options.filter) : targets;
  if (!offered.length) {
    void vscode.window.showInformationMessage(`${options.title}: there are no matching local images.`);
    return [];
  }
  type Item = vscode.QuickPickItem & { target: ImageNodeTarget };
  const items: Item[] = offered.map((target) => ({
    label: target.displayName,
    description: `${formatBytes(target.image.size)} · ${formatAge(target.image.created)}${useSuffix(target.image.containers)}`,
    detail: target.image.id,
    target,
  }));
  if (options.canPickMany) return (await pickMany(items, options.title)).map((item) => item.target);
  const picked = await vscode.window.showQuickPick(items, { title: options.title, matchOnDescription: true, matchOnDetail: true });
  return picked ? [picked.target] : [];
}

/**
 * A multi-select pick where Enter with nothing ticked takes the highlighted row (as a single
 * pick would), and an Enter with nothing ticked or highlighted says so instead of doing nothing.
 */
function pickMany<T extends vscode.QuickPickItem>(items: T[], title: string): Promise<readonly T[]> {
  const quickPick = vscode.window.createQuickPick<T>();
  quickPick.title = title;
  quickPick.canSelectMany = true;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.items = items;
  const highlight = (): void => {
    const match = firstMatch(items, quickPick.value);
    quickPick.activeItems = match ? [match] : [];
  };
  highlight();
  return new Promise((resolve) => {
    quickPick.onDidChangeValue(highlight);
    quickPick.onDidAccept(() => {
      const chosen = acceptedItems(quickPick.selectedItems, quickPick.activeItems);
      if (!chosen.length) {
        const nothing = 'Nothing chosen: tick images with Space, or highlight one and press Enter.';
        quickPick.title = `${title}: ${nothing}`;
        quickPick.placeholder = nothing;
        return;
      }
      resolve(chosen);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve([]);
      quickPick.dispose();
    });
    quickPick.show();
  });
}

function useSuffix(containers: readonly ContainerUse[]): string {
  const use = containerUseText(containers);
  return use ? ` · ${use}` : '';
}
