// The one progress reporter for pulls and pushes: a cancellable notification that shows
// layers done / total, bytes, and what the busiest layer is doing.

import { type TransferSnapshot } from '../../engine/transferProgress';
import { formatBytes } from '../../util/format';
import { withNotificationProgress } from '../notificationProgress';

export async function withTransferProgress<T>(title: string, work: (report: (snapshot: TransferSnapshot) => void, signal: AbortSignal) => Promise<T>): Promise<T> {
  return withNotificationProgress({ title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    let reported = 0;
    const report = (snapshot: TransferSnapshot): void => {
      const fraction = snapshot.layers.length ? snapshot.layersDone / snapshot.layers.length : 0;
      const increment = Math.max(0, fraction * 100 - reported);
      reported += increment;
      progress.report({ message: describeSnapshot(snapshot), increment });
    };
    try {
      return await work(report, abort.signal);
    } finally {
      subscription.dispose();
    }
  });
}

export function describeSnapshot(snapshot: TransferSnapshot): string {
  if (!snapshot.layers.length) return snapshot.lastStatus ?? 'starting…';
  const parts = [`${snapshot.layersDone}/${snapshot.layers.length} layers`];
  if (snapshot.bytesTotal > 0) parts.push(`${formatBytes(snapshot.bytesMoved)} of ${formatBytes(snapshot.bytesTotal)}`);
  const active = snapshot.layers.filter((layer) => !layer.done);
  const busiest = active.find((layer) => /Downloading|Pushing|Extracting/.test(layer.status)) ?? active[0];
  if (busiest) parts.push(`${busiest.id}: ${busiest.status}`);
  return parts.join(' · ');
}
