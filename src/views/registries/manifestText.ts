// The words for a registry tag's manifest, without VS Code: the row's description and its
// tooltip. A registry's sizes are the compressed layers' sum, and say so, so they are not read
// as the larger unpacked size Local Images shows for the same image.

import { type ManifestDetails } from '../../registry/client';
import { formatPlatform } from '../../image/platform';
import { formatAge, formatBytes, formatDateTime, shortDigest } from '../../util/format';
import { markdownCode as code } from '../markdownText';

/** `sha256:abcd1234 · linux/amd64, linux/arm64` or `sha256:abcd1234 · linux/amd64 · 48 MB compressed · 2 months ago` */
export function describeManifest(manifest: ManifestDetails, now = Date.now()): string {
  const parts = [shortDigest(manifest.digest)];
  if (manifest.kind === 'index') {
    parts.push(manifest.platforms.map((entry) => formatPlatform(entry)).join(', ') || 'no platforms');
  } else {
    if (manifest.os) parts.push(formatPlatform(manifest));
    parts.push(`${formatBytes(manifest.totalSize)} compressed`);
    if (manifest.created) parts.push(formatAge(Date.parse(manifest.created), now));
  }
  return parts.join(' · ');
}

export function manifestTooltipMarkdown(reference: string, manifest: ManifestDetails, now = Date.now()): string {
  const lines = [`${code(reference)}`, '', `- Digest: ${code(manifest.digest)}`, `- Media type: ${code(manifest.mediaType)}`];
  if (manifest.kind === 'index') {
    for (const platform of manifest.platforms) lines.push(`- ${code(formatPlatform(platform))}: ${code(platform.digest)}`);
  } else {
    lines.push(`- Size: ${formatBytes(manifest.totalSize)} compressed, in ${manifest.layers.length} layer${manifest.layers.length === 1 ? '' : 's'} (larger once pulled and unpacked)`);
    if (manifest.created) {
      const created = Date.parse(manifest.created);
      lines.push(`- Created: ${formatDateTime(created)} (${formatAge(created, now)})`);
    }
  }
  return lines.join('\n') + '\n';
}
