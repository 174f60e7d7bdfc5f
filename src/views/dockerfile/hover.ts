// Hover on a FROM's image: which digest is (or would be) pinned and why that one, where the
// tag points now, and the platforms of the index.

import * as vscode from 'vscode';
import { type PinnableImage } from '../../pinning/pinnable';
import { platformsOf, type PinStatus } from '../../pinning/pinStatus';
import { type PlatformEntry } from '../../registry/manifest';
import { formatPlatform } from '../../image/platform';
import { formatReference, type ImageReference } from '../../image/reference';
import { type DockerfilePinning } from './pinning';
import { describeChoice, tagName } from './statusText';
import { errorText } from '../../util/errors';
import { escapeMarkdown as escape, markdownCode as code } from '../markdownText';

const MAX_PLATFORMS_LISTED = 16;

export class DockerfileHoverProvider implements vscode.HoverProvider {
  constructor(private readonly pinning: DockerfilePinning) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!this.pinning.isDockerfile(document)) return undefined;
    const offset = document.offsetAt(position);
    const image = this.pinning.parse(document).images.find((candidate) => candidate.span.start <= offset && offset <= candidate.span.end);
    if (!image || image.kind === 'scratch' || image.kind === 'stage') return undefined;
    const range = new vscode.Range(document.positionAt(image.span.start), document.positionAt(image.span.end));
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    try {
      const status = await this.pinning.status(image, document.uri, abort.signal);
      const platforms = await this.platforms(image, status, abort.signal);
      return new vscode.Hover(hoverText(image, status, platforms), range);
    } finally {
      subscription.dispose();
    }
  }

  private async platforms(image: PinnableImage, status: PinStatus, signal: AbortSignal): Promise<PlatformEntry[] | string> {
    if (!('choice' in status)) return [];
    try {
      return await platformsOf(image, status.choice, this.pinning.resolver, signal);
    } catch (error) {
      return errorText(error);
    }
  }
}

function hoverText(image: PinnableImage, status: PinStatus, platforms: PlatformEntry[] | string): vscode.MarkdownString {
  const text = new vscode.MarkdownString();
  text.supportThemeIcons = true;
  if (image.reference) text.appendMarkdown(`${hoverHeading(image.reference)}\n\n`);
  else text.appendMarkdown(`${code(image.text)}\n\n`);
  if (image.expanded !== undefined && image.expanded !== image.text) text.appendMarkdown(`Expands to ${code(image.expanded)}\n\n`);
  switch (status.kind) {
    case 'not-pinnable':
      text.appendMarkdown(escape(status.message));
      break;
    case 'error':
      text.appendMarkdown(escape(status.message));
      if (status.details !== undefined) text.appendMarkdown(`\n\n---\n\n**Details**\n\n${status.details.split('\n').map(escape).join('\n\n')}`);
      break;
    case 'digest-only':
      text.appendMarkdown(`Pinned to ${code(status.pinned)} with no tag to follow.${status.exists ? '' : ' **The registry no longer has this digest.**'}`);
      break;
    case 'unpinned':
      text.appendMarkdown(`Not pinned. The tag points at ${code(status.choice.digest)}: ${escape(describeChoice(status.choice))}.`);
      break;
    case 'current':
      text.appendMarkdown(`$(pass) Pinned to ${code(status.pinned)}, and the tag still points there (${escape(describeChoice(status.choice))}).`);
      break;
    case 'moved':
      text.appendMarkdown(`$(warning) Pinned to ${code(status.pinned)}, but the tag now points at ${code(status.choice.digest)}.`);
      if (!status.pinnedStillExists) text.appendMarkdown(' **The pinned digest is no longer in the registry.**');
      break;
  }
  if (image.pinTarget.kind === 'arg') text.appendMarkdown(`\n\nThe pin lives in ${code(`ARG ${image.pinTarget.name}`)} (line ${image.pinTarget.line + 1}).`);
  if (image.pinTarget.kind === 'none' && image.kind === 'image') text.appendMarkdown(`\n\n${escape(image.pinTarget.reason)}`);
  if (typeof platforms === 'string') text.appendMarkdown(`\n\nPlatforms: ${escape(platforms)}`);
  else if (platforms.length) {
    text.appendMarkdown('\n\n| Platform | Manifest digest |\n|---|---|\n');
    for (const entry of platforms.slice(0, MAX_PLATFORMS_LISTED)) {
      text.appendMarkdown(`| ${escape(formatPlatform(entry))} | ${code(entry.digest)} |\n`);
    }
    if (platforms.length > MAX_PLATFORMS_LISTED) text.appendMarkdown(`\n…and ${platforms.length - MAX_PLATFORMS_LISTED} more`);
  }
  return text;
}

/** `**nginx:1.27** · \`docker.io/library/nginx:1.27\``; the full name only when it says more. */
function hoverHeading(reference: ImageReference): string {
  const familiar = tagName(reference);
  const full = formatReference({ ...reference, digest: undefined });
  return full === familiar ? `**${escape(familiar)}**` : `**${escape(familiar)}** · ${code(full)}`;
}
