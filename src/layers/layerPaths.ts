// Tar path helpers shared by the layer contents model and the dive-compatible figures: the
// whiteout names overlay filesystems use, and a children index so that removing a directory
// touches only what is under it (never a scan of every path). No `vscode` import.

/** `dir/.wh.name` hides `dir/name` of the layers below. */
export const WHITEOUT_PREFIX = '.wh.';
/** `.wh..wh..*` names are whiteout metadata, never files (`.wh..wh..opq`, aufs' `.wh..wh..plnk`). */
export const WHITEOUT_META_PREFIX = '.wh..wh..';
/** `dir/.wh..wh..opq` hides everything the layers below put under `dir`. */
export const OPAQUE_MARKER = '.wh..wh..opq';

/** `usr/bin` for `usr/bin/env`; `''` (the root) for a top-level name. */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a parent from parentPath() and a name. */
export function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

/**
 * Which paths sit directly under which: one Set of child paths per parent that has any.
 * A path may be listed under a parent that is not itself recorded (a tar that omits a
 * directory's own entry); removing that parent still finds it.
 */
export class PathChildren {
  private readonly byParent = new Map<string, Set<string>>();

  link(path: string): void {
    const parent = parentPath(path);
    const siblings = this.byParent.get(parent);
    if (siblings) siblings.add(path);
    else this.byParent.set(parent, new Set([path]));
  }

  unlink(path: string): void {
    const parent = parentPath(path);
    const siblings = this.byParent.get(parent);
    if (!siblings) return;
    siblings.delete(path);
    if (siblings.size === 0) this.byParent.delete(parent);
  }

  hasChildren(path: string): boolean {
    return this.byParent.has(path);
  }

  /** Everything under `path` (and `path` first when `withSelf`), each directory before what it holds. */
  subtree(path: string, withSelf: boolean): string[] {
    const found: string[] = [];
    const pending = [path];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (withSelf || next !== path) found.push(next);
      const children = this.byParent.get(next);
      if (children) for (const child of children) pending.push(child);
    }
    return found;
  }
}
