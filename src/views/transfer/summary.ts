// The one short line a finished pull says, without VS Code: "Pulled nginx:1.27 (5 layers,
// 12 MB downloaded)", "Pulled nginx:1.27 (2 of 5 layers new, 3.1 MB downloaded)", or
// "nginx:1.27 is up to date (5 layers)", from the engine's own stream.

import { type TransferResult } from '../../engine/transfer';
import { formatBytes } from '../../util/format';

const EXISTED = /^(Already exists|Layer already exists|Mounted from )/;

export function pullSummary(reference: string, result: Pick<TransferResult, 'status' | 'snapshot'>): string {
  const { layers } = result.snapshot;
  const total = layers.length;
  const fresh = layers.filter((layer) => !EXISTED.test(layer.status)).length;
  const layerText = `${total} layer${total === 1 ? '' : 's'}`;
  if (/^Image is up to date/.test(result.status ?? '') || (total > 0 && fresh === 0)) return `${reference} is up to date${total ? ` (${layerText})` : ''}`;
  const downloaded = result.snapshot.bytesTotal;
  const parts = [fresh === total ? layerText : `${fresh} of ${layerText} new`];
  if (downloaded > 0) parts.push(`${formatBytes(downloaded)} downloaded`);
  return total ? `Pulled ${reference} (${parts.join(', ')})` : `Pulled ${reference}`;
}
