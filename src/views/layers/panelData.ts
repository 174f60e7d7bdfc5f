// The Layers model -> what the webview draws: display strings, bar scale, names of the images a
// layer is shared with, 1-based Dockerfile lines. And back: which rows a Dockerfile line made.
// Pure; no `vscode` import.

import { imageDisplayName, type ImageLayersModel, type LayerRow } from '../../layers/model';
import { formatAge, formatBytes, formatDateTime, shortImageId } from '../../util/format';
import { type PanelData, type PanelRow, SHARED_NAMES_SHOWN } from './protocol';

export interface PanelDataOptions {
  /** What the panel calls the image (the tag it was opened from). */
  name: string;
  /** The Dockerfile the rows are attributed to, as the user would name it (workspace-relative). */
  dockerfileLabel?: string;
  now?: number;
}

export function toPanelData(model: ImageLayersModel, options: PanelDataOptions): PanelData {
  const now = options.now ?? Date.now();
  const largest = model.largestRow !== undefined ? (model.rows[model.largestRow]?.size ?? 0) : 0;
  const rows = model.rows.map((row, index) => toPanelRow(row, index, largest, index === model.largestRow, now));
  const image = model.image;
  const baseRows = model.base ? model.rows.slice(0, model.base.rowCount) : [];
  return {
    image: {
      name: options.name,
      id: image.id,
      tags: [...image.repoTags],
      digests: [...image.repoDigests],
      platform: image.platform,
      createdText: image.created !== undefined ? formatDateTime(image.created) : undefined,
      createdAge: image.created !== undefined ? formatAge(image.created, now) : undefined,
      sizeText: image.size !== undefined ? formatBytes(image.size) : undefined,
      layerCount: image.layerCount,
      historyCount: image.historyCount,
    },
    rows,
    base: model.base
      ? { name: model.base.name, rowCount: model.base.rowCount, layerCount: model.base.layerCount, sizeText: formatBytes(baseRows.reduce((sum, row) => sum + (row.size ?? 0), 0)) }
      : undefined,
    dockerfile: model.dockerfile && options.dockerfileLabel ? { label: options.dockerfileLabel, matchedSteps: model.dockerfile.matchedSteps, stepCount: model.dockerfile.stepCount } : undefined,
    notes: [...model.notes],
  };
}

function toPanelRow(row: LayerRow, index: number, largest: number, isLargest: boolean, now: number): PanelRow {
  const shared = row.shared && row.shared.count > 0 ? row.shared : undefined;
  return {
    index,
    kind: row.kind,
    keyword: row.instruction?.keyword ?? '',
    text: row.instruction?.text ?? '',
    raw: row.instruction?.raw ?? '',
    // BuildKit's marker says nothing to a person; an import's "Imported from -" does.
    comment: row.instruction && !/^buildkit\./.test(row.instruction.comment) ? row.instruction.comment : '',
    size: row.size,
    sizeText: row.kind === 'metadata' ? '0 B' : row.size !== undefined ? formatBytes(row.size) : 'size unknown',
    scale: largest > 0 && row.size !== undefined && row.size > 0 ? Math.min(1, row.size / largest) : 0,
    largest: isLargest,
    createdAge: row.created !== undefined ? formatAge(row.created, now) : undefined,
    createdText: row.created !== undefined ? formatDateTime(row.created) : undefined,
    layerId: row.diffId ? shortImageId(row.diffId) : undefined,
    diffId: row.diffId,
    sharedCount: shared?.count ?? 0,
    sharedNames: shared ? shared.images.slice(0, SHARED_NAMES_SHOWN).map(imageDisplayName) : [],
    inBase: row.inBase,
    line: row.dockerfile ? { start: row.dockerfile.startLine + 1, end: row.dockerfile.endLine + 1 } : undefined,
    padding: row.instruction?.padding ?? false,
  };
}

/** Rows whose Dockerfile instruction covers the 0-based line. */
export function rowsAtLine(model: ImageLayersModel, line: number): number[] {
  const rows: number[] = [];
  model.rows.forEach((row, index) => {
    if (row.dockerfile && row.dockerfile.startLine <= line && line <= row.dockerfile.endLine) rows.push(index);
  });
  return rows;
}

