// The Markdown of a Local Images row's tooltip, without VS Code: headed by the row's own name
// (the tag hovered, not the image's first tag), the image's other names below it, the one
// date format of every view (formatDateTime), and which size it is.

import { type LocalImage } from '../../engine/images';
import { formatPlatform } from '../../image/platform';
import { formatAge, formatBytes, formatDateTime } from '../../util/format';
import { escapeMarkdown, markdownCode as code } from '../markdownText';

export interface TooltipPlatform {
  os?: string;
  architecture?: string;
  variant?: string;
}

const CONTAINERS_LISTED = 5;

/** `heading`: the row's name (`nginx:1.27`, `nginx@sha256:…`), undefined for a dangling image. */
export function imageTooltipMarkdown(image: LocalImage, heading: string | undefined, platform?: TooltipPlatform, now = Date.now()): string {
  const lines = [`**${heading ? escapeMarkdown(heading) : 'Dangling image'}**`, ''];
  lines.push(`- ID: ${code(image.id)}`);
  const otherTags = image.repoTags.filter((tag) => tag !== heading);
  if (otherTags.length) lines.push(`- ${heading && image.repoTags.includes(heading) ? 'Also tagged' : 'Tags'}: ${otherTags.map(code).join(', ')}`);
  const digests = image.repoDigests.filter((digest) => digest !== heading);
  if (digests.length) lines.push(`- Digests: ${digests.map(code).join(', ')}`);
  lines.push(`- Created: ${formatDateTime(image.created)} (${formatAge(image.created, now)})`);
  lines.push(`- Size: ${formatBytes(image.size)} unpacked (on disk)`);
  if (platform?.os) lines.push(`- Platform: ${escapeMarkdown(formatPlatform(platform))}`);
  const users = image.containers;
  const listed = users.slice(0, CONTAINERS_LISTED).map((container) => `${escapeMarkdown(container.name)} ${container.state}`);
  lines.push(`- Containers: ${users.length}${users.length ? ` (${listed.join(', ')}${users.length > CONTAINERS_LISTED ? ', …' : ''})` : ''}`);
  return lines.join('\n') + '\n';
}
