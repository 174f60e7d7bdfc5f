// Tree nodes of the Local Images view. Each node builds its own TreeItem; contextValue
// encodes what menus may do with it (`tag`, `tag:inuse`, `image:dangling`, `image:digest`).

import * as vscode from 'vscode';
import { type DigestOnlyImage, type RepositoryGroup, type TaggedImage } from '../../engine/imageGroups';
import { containerUseKind, containerUseText, type LocalImage } from '../../engine/images';
import { formatAge, formatBytes, shortDigest, shortImageId } from '../../util/format';
import { type CommandId } from '../commandIds';
import { imageTooltipMarkdown, type TooltipPlatform } from './tooltipText';

/** What every node that stands for one image offers to commands. */
export interface ImageNodeTarget {
  image: LocalImage;
  /** The name to use with the engine: `nginx:1.27`, `nginx@sha256:...`, or the image ID. */
  engineName: string;
  /** How a person would call it in a message. */
  displayName: string;
  /** The full reference of a tag node (`nginx:1.27`), undefined for other nodes. */
  tagReference?: string;
}

export type ImagesNode = RepositoryNode | TagNode | DigestNode | DanglingGroupNode | DanglingImageNode | ActionNode;

export class RepositoryNode {
  readonly kind = 'repository';
  constructor(readonly group: RepositoryGroup) {}

  children(): ImagesNode[] {
    return [...this.group.tags.map((tag) => new TagNode(tag)), ...this.group.untagged.map((digest) => new DigestNode(digest))];
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `repo:${this.group.repository}`;
    const tags = this.group.tags.length;
    const untagged = this.group.untagged.length;
    item.description = [tags ? `${tags} tag${tags === 1 ? '' : 's'}` : '', untagged ? `${untagged} by digest` : ''].filter(Boolean).join(' · ');
    item.tooltip = this.group.repository;
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = 'repository';
    return item;
  }
}

export class TagNode implements ImageNodeTarget {
  readonly kind = 'tag';
  constructor(readonly tagged: TaggedImage) {}

  get image(): LocalImage {
    return this.tagged.image;
  }
  get engineName(): string {
    return this.tagged.reference;
  }
  get displayName(): string {
    return this.tagged.familiar;
  }
  get tagReference(): string {
    return this.tagged.reference;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.tagged.tag, vscode.TreeItemCollapsibleState.None);
    item.id = `tag:${this.tagged.reference}`;
    return decorateImageItem(item, this.image, this.image.containers.length > 0 ? 'tag:inuse' : 'tag', 'tag');
  }
}

export class DigestNode implements ImageNodeTarget {
  readonly kind = 'digest';
  constructor(readonly entry: DigestOnlyImage) {}

  get image(): LocalImage {
    return this.entry.image;
  }
  get engineName(): string {
    return this.entry.reference;
  }
  get displayName(): string {
    return this.entry.reference;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`@${shortDigest(this.entry.digest)}`, vscode.TreeItemCollapsibleState.None);
    item.id = `digest:${this.entry.reference}`;
    return decorateImageItem(item, this.image, 'image:digest', 'symbol-key');
  }
}

export class DanglingGroupNode {
  readonly kind = 'danglingGroup';
  constructor(readonly images: LocalImage[]) {}

  children(): ImagesNode[] {
    return this.images.map((image) => new DanglingImageNode(image));
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Dangling', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = 'dangling';
    const size = this.images.reduce((sum, image) => sum + image.size, 0);
    item.description = `${this.images.length} image${this.images.length === 1 ? '' : 's'} · ${formatBytes(size)}`;
    item.tooltip = 'Images with neither a tag nor a digest: left behind by rebuilds and retags. "Remove Dangling Images" deletes those no container uses.';
    item.iconPath = new vscode.ThemeIcon('circle-slash');
    item.contextValue = 'danglingGroup';
    return item;
  }
}

export class DanglingImageNode implements ImageNodeTarget {
  readonly kind = 'danglingImage';
  constructor(readonly image: LocalImage) {}

  get engineName(): string {
    return this.image.id;
  }
  get displayName(): string {
    return `dangling image ${shortImageId(this.image.id)}`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(shortImageId(this.image.id), vscode.TreeItemCollapsibleState.None);
    item.id = `image:${this.image.id}`;
    return decorateImageItem(item, this.image, 'image:dangling', 'file-binary');
  }
}

/**
 * A row that runs a command: shown under the view's message when the engine cannot be
 * reached (VS Code hides welcome buttons while a view has a message, and the message is
 * the one place that can name the endpoint and the exact reason).
 */
export class ActionNode {
  readonly kind = 'action';
  constructor(
    readonly label: string,
    readonly icon: string,
    readonly command: CommandId,
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = `action:${this.command}`;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.command = { command: this.command, title: this.label };
    item.contextValue = 'action';
    return item;
  }
}

export function isImageTarget(node: unknown): node is ImagesNode & ImageNodeTarget {
  return node instanceof TagNode || node instanceof DigestNode || node instanceof DanglingImageNode;
}

function decorateImageItem(item: vscode.TreeItem, image: LocalImage, contextValue: string, icon: string): vscode.TreeItem {
  const use = containerUseText(image.containers);
  item.description = `${formatBytes(image.size)} · ${formatAge(image.created)}${use ? ` · ${use}` : ''}`;
  // A marker that reads without color too: a different icon, and the use in the description.
  const kind = containerUseKind(image.containers);
  item.iconPath = kind === 'running' ? new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('charts.green')) : kind === 'stopped' ? new vscode.ThemeIcon('vm-outline') : new vscode.ThemeIcon(icon);
  item.contextValue = contextValue;
  return item;
}


/** The Markdown tooltip: filled in lazily (resolveTreeItem), headed by the row's own name, with platform details when the inspect data is there. */
export function imageTooltip(node: ImageNodeTarget, platform?: TooltipPlatform): vscode.MarkdownString {
  const heading = node instanceof DanglingImageNode ? undefined : node.engineName;
  const md = new vscode.MarkdownString(imageTooltipMarkdown(node.image, heading, platform), true);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}
