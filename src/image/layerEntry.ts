// One entry of a layer's tar, as the image archive holds it: the raw material of the layer
// contents model (layers/layerContents.ts). Whiteouts stay as the tar names them
// (`dir/.wh.name`, `dir/.wh..wh..opq`); the model reads them. No `vscode` import.

export type LayerEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface LayerEntry {
  /** Relative, `/`-separated, without a leading `./` or `/` and without a trailing `/`: `usr/bin/env`. */
  path: string;
  type: LayerEntryType;
  /** The tar header's size: a file's bytes; 0 for directories, links and whiteouts. */
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** A symlink's target or a hard link's linked path (relative, as in the tar). */
  linkTarget?: string;
}

export interface LayerEntries {
  /** `sha256:…` of the uncompressed layer tar, checked while it was read. */
  diffId: string;
  entries: LayerEntry[];
}
