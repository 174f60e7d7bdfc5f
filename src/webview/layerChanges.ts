// What one layer changed, under its row in the Layers view: the counts and bytes added,
// modified and removed, the bytes hidden later, and its largest changes; the rest in Files.

import { formatBytes } from '../util/format';
import { ChangeAction } from '../views/layers/protocol';
import { type ContentsModel } from './contentsModel';
import { el, icon, text } from './dom';

/** Changes listed under a row; the rest are one click away in Files. */
export const CHANGES_SHOWN = 25;

const ACTIONS: Record<number, { letter: string; className: string; name: string }> = {
  [ChangeAction.Added]: { letter: 'A', className: 'added', name: 'added' },
  [ChangeAction.Modified]: { letter: 'M', className: 'modified', name: 'modified' },
  [ChangeAction.Removed]: { letter: 'R', className: 'removed', name: 'removed' },
};

export interface LayerChangesHost {
  showInFiles(node: number): void;
  showLayerInFiles(layer: number): void;
}

export function layerChangesBlock(model: ContentsModel, layer: number, host: LayerChangesHost): HTMLElement {
  const info = model.data.layers[layer];
  const block = el('div', { className: 'changes', role: 'group', ariaLabel: `Changes of layer ${layer + 1}` });
  if (!info) return block;
  const tally = (label: string, count: number, bytes: number, className: string): HTMLElement =>
    el('span', { className: `tally ${className}` }, [text(`${label} ${count.toLocaleString('en-US')}${count ? ` (${formatBytes(bytes)})` : ''}`)]);
  const tallies = el('p', { className: 'tallies' }, [
    tally('Added', info.added.count, info.added.bytes, 'added'),
    tally('Modified', info.modified.count, info.modified.bytes, 'modified'),
    tally('Removed', info.removed.count, info.removed.bytes, 'removed'),
  ]);
  if (info.hiddenBytes > 0) tallies.append(el('span', { className: 'tally hidden-later', title: 'Bytes this layer wrote that later layers remove or overwrite: see Waste' }, [icon('eye-closed'), text(`${formatBytes(info.hiddenBytes)} hidden later`)]));
  block.append(tallies);
  const changes = model.layerChanges(layer);
  if (!changes.length) {
    block.append(el('p', { className: 'hint' }, [text('This layer changes no file.')]));
    return block;
  }
  const list = el('ul', { className: 'change-list' });
  for (const change of changes.slice(0, CHANGES_SHOWN)) {
    const action = ACTIONS[change.action]!;
    const path = el('button', { className: 'link-button path', title: `Show /${model.path(change.node)} in Files` }, [text(`/${model.path(change.node)}`)]);
    path.addEventListener('click', (event) => {
      event.stopPropagation();
      host.showInFiles(change.node);
    });
    list.append(el('li', {}, [el('span', { className: `marker ${action.className}`, title: action.name }, [text(action.letter)]), path, el('span', { className: 'size' }, [text(formatBytes(change.size))])]));
  }
  block.append(list);
  const all = el('button', { className: 'link-button' }, [icon('list-tree'), text(changes.length > CHANGES_SHOWN ? `All ${changes.length.toLocaleString('en-US')} changes in Files` : 'Show in Files')]);
  all.addEventListener('click', (event) => {
    event.stopPropagation();
    host.showLayerInFiles(layer);
  });
  block.append(all);
  return block;
}
