// Nodes of the Registries view: registry -> repositories -> tags, "Load more" rows for the
// next page, and message rows that say on the node itself what went wrong.

import * as vscode from 'vscode';
import { type ManifestDetails } from '../../registry/client';
import { type RegistryEntry, type TagDetails } from '../../registry/registriesModel';
import { COMMANDS } from '../commandIds';
import { describeManifest, manifestTooltipMarkdown } from './manifestText';

export type RegistriesNode = RegistryNode | RegistryRepositoryNode | RegistryTagNode | LoadMoreNode | MessageNode;

export type { RegistryEntry, TagDetails } from '../../registry/registriesModel';

export class RegistryNode {
  readonly kind = 'registry';
  constructor(readonly entry: RegistryEntry) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.entry.host, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `registry:${this.entry.host}`;
    const source = this.entry.source === 'added' ? (this.entry.insecure ? 'added · http' : 'added') : this.entry.source === 'docker hub' ? 'Docker Hub' : 'from your Docker config';
    item.description = this.entry.label ? `${this.entry.label} · ${source}` : source;
    item.iconPath = new vscode.ThemeIcon('server');
    item.contextValue = `registry:${this.entry.source === 'added' ? 'added' : 'config'}`;
    return item;
  }
}

export class RegistryRepositoryNode {
  readonly kind = 'repository';
  constructor(
    readonly registry: RegistryEntry,
    readonly name: string,
  ) {}

  get reference(): string {
    return `${this.registry.host}/${this.name}`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `registry-repo:${this.reference}`;
    item.iconPath = new vscode.ThemeIcon('package');
    item.tooltip = this.reference;
    item.contextValue = 'registryRepository';
    return item;
  }
}


export class RegistryTagNode {
  readonly kind = 'tag';
  constructor(
    readonly repository: RegistryRepositoryNode,
    readonly tag: string,
    readonly details: () => TagDetails,
  ) {}

  /** The reference Pull and Copy use: `registry/repo:tag`. The pull command reads this name. */
  get tagReference(): string {
    return `${this.repository.reference}:${this.tag}`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.tag, vscode.TreeItemCollapsibleState.None);
    item.id = `registry-tag:${this.tagReference}`;
    item.iconPath = new vscode.ThemeIcon('tag');
    item.contextValue = 'registryTag';
    const details = this.details();
    if (details.state === 'loading') item.description = '…';
    else if (details.state === 'error') {
      item.description = details.message;
      item.iconPath = new vscode.ThemeIcon('warning');
    } else {
      item.description = describeManifest(details.manifest);
      item.tooltip = manifestTooltip(this.tagReference, details.manifest);
    }
    return item;
  }
}

export class LoadMoreNode {
  readonly kind = 'loadMore';
  constructor(
    readonly parent: RegistryNode | RegistryRepositoryNode,
    readonly loaded: number,
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Load more (${this.loaded} shown)`, vscode.TreeItemCollapsibleState.None);
    item.id = `more:${this.parent instanceof RegistryNode ? this.parent.entry.host : this.parent.reference}`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: COMMANDS.loadMoreTags, title: 'Load More', arguments: [this] };
    item.contextValue = 'loadMore';
    return item;
  }
}

export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly id: string,
    readonly text: string,
    readonly icon: string,
    readonly command?: vscode.Command,
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = `message:${this.id}`;
    item.tooltip = this.text;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.command = this.command;
    item.contextValue = 'message';
    return item;
  }
}

function manifestTooltip(reference: string, manifest: ManifestDetails): vscode.MarkdownString {
  const md = new vscode.MarkdownString(manifestTooltipMarkdown(reference, manifest), true);
  md.isTrusted = false;
  return md;
}
