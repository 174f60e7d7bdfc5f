// Hand-built layer entries for the layer contents and dive efficiency tests: tar names as an
// image archive holds them, whiteouts and opaque markers as empty regular files.

import { type LayerEntries, type LayerEntry } from '../../../src/image/layerEntry';

export const file = (path: string, size: number): LayerEntry => ({ path, type: 'file', size, mode: 0o644, uid: 0, gid: 0 });
export const dir = (path: string): LayerEntry => ({ path, type: 'directory', size: 0, mode: 0o755, uid: 0, gid: 0 });
export const symlink = (path: string, linkTarget: string): LayerEntry => ({ path, type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget });
export const hardlink = (path: string, linkTarget: string): LayerEntry => ({ path, type: 'hardlink', size: 0, mode: 0o755, uid: 0, gid: 0, linkTarget });

/** `dir/.wh.name`, hiding `dir/name`. */
export function whiteout(path: string): LayerEntry {
  const slash = path.lastIndexOf('/');
  return file(`${path.slice(0, slash + 1)}.wh.${path.slice(slash + 1)}`, 0);
}

/** `dir/.wh..wh..opq`, hiding what the layers below put under `dir`. */
export const opaque = (dirPath: string): LayerEntry => file(`${dirPath}/.wh..wh..opq`, 0);

/** One layer per list of entries, bottom first. */
export function layers(...entryLists: LayerEntry[][]): LayerEntries[] {
  return entryLists.map((entries, index) => ({ diffId: `sha256:${String(index).padStart(64, '0')}`, entries }));
}
