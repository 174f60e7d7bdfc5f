// What the Registries view shows, without VS Code: the registries (from the Docker
// configuration, those added, Docker Hub), their repositories (catalog, or Hub's API) and tags
// read a page at a time, the tag filter, and each tag's details (digest, platforms, size, age)
// read lazily a few at a time. Persistence goes through an injected store (VS Code's
// globalState in the shell); registry clients come from the one pool.

import { type RegistryCredential } from '../dockerConfig/credentials';
import { Emitter } from '../util/emitter';
import { errorText } from '../util/errors';
import { settleWithConcurrency } from '../util/concurrency';
import { type Logger } from '../util/logger';
import { type ManifestDetails, RegistryError } from './client';
import { type RegistryClientPool } from './clientPool';
import { hubRepositories } from './dockerHub';

export interface RegistryEntry {
  host: string;
  /** Where Layerlens knows it from; Docker Hub is always there. */
  source: 'docker config' | 'added' | 'docker hub';
  insecure: boolean;
  /** What the user calls it (layerlens.registries.labels), shown beside the host; never persisted. */
  label?: string;
}

export type TagDetails = { state: 'loading' } | { state: 'ready'; manifest: ManifestDetails } | { state: 'error'; message: string };

/** Names read so far, whether the end was reached, and the error that stopped the reading. */
export interface Listing {
  readonly items: readonly string[];
  readonly done: boolean;
  readonly error?: unknown;
}

/** globalState's shape: what the model persists. */
export interface StateStore {
  get<T>(key: string, fallback: T): T;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface RegistriesModelOptions {
  state: StateStore;
  pool: RegistryClientPool;
  log: Logger;
  credentialFor(host: string): Promise<RegistryCredential | undefined>;
  /** Hosts in the Docker configuration (auths, credHelpers); may throw (a broken config.json). */
  configuredHosts(): string[];
  /** layerlens.dockerHub.namespace, trimmed. */
  hubNamespace(): string;
  /** layerlens.registries.labels: a label by registry host. */
  registryLabels?(): Readonly<Record<string, string>>;
  pageSize?: number;
  detailConcurrency?: number;
}

/**
 * What changed: below a registry host, `host/repository`, or everything (no key); `forgotten`
 * when what was read there was dropped (a refresh), not only extended (a page, a repository).
 */
export interface RegistriesChange {
  key?: string;
  forgotten: boolean;
}

const ADDED_KEY = 'layerlens.registries.added';
const HIDDEN_KEY = 'layerlens.registries.hidden';
const REPOSITORIES_KEY = 'layerlens.registries.repositories';

interface OpenListing {
  iterator: AsyncGenerator<string, void, undefined>;
  items: string[];
  done: boolean;
  error?: unknown;
}

export class RegistriesModel {
  private readonly listings = new Map<string, OpenListing>();
  private readonly details = new Map<string, TagDetails>();
  private tagFilter = '';
  private readonly pageSize: number;
  private readonly detailConcurrency: number;
  private readonly changeEmitter = new Emitter<RegistriesChange>();
  /** A registry's or repository's children changed (undefined: the whole list). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly detailsEmitter = new Emitter<string>();
  /** A tag's details arrived: `host/repository:tag`. */
  readonly onDidChangeDetails = this.detailsEmitter.event;
  private readonly filterEmitter = new Emitter<string>();
  readonly onDidChangeFilter = this.filterEmitter.event;

  constructor(private readonly options: RegistriesModelOptions) {
    this.pageSize = options.pageSize ?? 50;
    this.detailConcurrency = options.detailConcurrency ?? 4;
  }

  registries(): RegistryEntry[] {
    const hidden = new Set(this.options.state.get<string[]>(HIDDEN_KEY, []));
    const added = this.options.state.get<RegistryEntry[]>(ADDED_KEY, []);
    let fromConfig: string[] = [];
    try {
      fromConfig = this.options.configuredHosts();
    } catch (error) {
      this.options.log.warn(`registries: ${errorText(error)}`);
    }
    const entries = new Map<string, RegistryEntry>();
    for (const host of fromConfig) if (!hidden.has(host)) entries.set(host, { host, source: 'docker config', insecure: false });
    for (const entry of added) entries.set(entry.host, entry);
    if (!entries.has('docker.io') && !hidden.has('docker.io')) entries.set('docker.io', { host: 'docker.io', source: 'docker hub', insecure: false });
    const labels = this.labelsByHost();
    return [...entries.values()].map((entry) => (labels.has(entry.host) ? { ...entry, label: labels.get(entry.host) } : entry)).sort((a, b) => a.host.localeCompare(b.host));
  }

  /** The labels setting changed: the registries are shown again, nothing read is forgotten. */
  labelsChanged(): void {
    this.changeEmitter.fire({ forgotten: false });
  }

  private labelsByHost(): Map<string, string> {
    const labels = new Map<string, string>();
    for (const [host, label] of Object.entries(this.options.registryLabels?.() ?? {})) {
      if (typeof label === 'string' && label.trim()) labels.set(host.trim().toLowerCase(), label.trim());
    }
    return labels;
  }

  /** Whether a host was added as plain HTTP (so every part asks it over http). */
  isInsecure(host: string): boolean {
    // Only an added registry can be plain HTTP: the Docker configuration's and Hub never are.
    return this.options.state.get<RegistryEntry[]>(ADDED_KEY, []).some((entry) => entry.host === host && entry.insecure);
  }

  async addRegistry(entry: RegistryEntry): Promise<void> {
    const added = this.options.state.get<RegistryEntry[]>(ADDED_KEY, []).filter((existing) => existing.host !== entry.host);
    await this.options.state.update(ADDED_KEY, [...added, { host: entry.host, insecure: entry.insecure, source: 'added' }]);
    await this.options.state.update(HIDDEN_KEY, this.options.state.get<string[]>(HIDDEN_KEY, []).filter((host) => host !== entry.host));
    this.forget(entry.host);
    this.changeEmitter.fire({ forgotten: true });
  }

  async removeRegistry(entry: RegistryEntry): Promise<void> {
    await this.options.state.update(ADDED_KEY, this.options.state.get<RegistryEntry[]>(ADDED_KEY, []).filter((existing) => existing.host !== entry.host));
    if (entry.source === 'docker config') await this.options.state.update(HIDDEN_KEY, [...this.options.state.get<string[]>(HIDDEN_KEY, []), entry.host]);
    this.forget(entry.host);
    this.changeEmitter.fire({ forgotten: true });
  }

  /** Repositories named by hand, for registries without a catalog (GHCR) or beyond it. */
  addedRepositories(host: string): string[] {
    return this.options.state.get<Record<string, string[]>>(REPOSITORIES_KEY, {})[host] ?? [];
  }

  async addRepository(host: string, name: string): Promise<void> {
    const all = this.options.state.get<Record<string, string[]>>(REPOSITORIES_KEY, {});
    await this.options.state.update(REPOSITORIES_KEY, { ...all, [host]: [...new Set([...(all[host] ?? []), name])].sort() });
    this.changeEmitter.fire({ key: host, forgotten: false });
  }

  /** Deletes a manifest by digest (every tag on it goes too) and reads the repository again. */
  async deleteManifest(entry: RegistryEntry, repository: string, digest: string): Promise<void> {
    await this.client(entry).deleteManifest(repository, digest);
    this.refresh(`${entry.host}/${repository}`);
  }

  get filter(): string {
    return this.tagFilter;
  }

  setFilter(text: string): void {
    this.tagFilter = text.trim();
    this.filterEmitter.fire(this.tagFilter);
  }

  /** Whether a tag passes the filter (case-insensitive substring). */
  matchesFilter(tag: string): boolean {
    return !this.tagFilter || tag.toLowerCase().includes(this.tagFilter.toLowerCase());
  }

  /** Forgets what was read below a host or `host/repository` (everything without one). */
  refresh(key?: string): void {
    if (key === undefined) {
      this.listings.clear();
      this.details.clear();
      this.options.pool.forget();
    } else {
      this.forget(key);
    }
    this.changeEmitter.fire({ key, forgotten: true });
  }

  /**
   * The registry's repositories, the first page read on first ask; `needsNamespace` when it
   * is Docker Hub (no catalog) and no namespace is set or logged in.
   */
  async repositories(entry: RegistryEntry): Promise<Listing | { needsNamespace: true }> {
    if (entry.host === 'docker.io') {
      const credential = await this.options.credentialFor('docker.io').catch(() => undefined);
      const namespace = this.options.hubNamespace() || credential?.username;
      if (!namespace) return { needsNamespace: true };
      return this.listing(entry.host, () => hubRepositories(namespace.toLowerCase(), { credential }));
    }
    const client = this.client(entry);
    return this.listing(entry.host, () => client.catalog());
  }

  tags(entry: RegistryEntry, repository: string): Promise<Listing> {
    const client = this.client(entry);
    return this.listing(`${entry.host}/${repository}`, () => client.tags(repository));
  }

  /** Reads the next page of a listing already open (`host` or `host/repository`). */
  async loadMore(key: string): Promise<void> {
    const listing = this.listings.get(key);
    if (listing) await this.readPage(listing);
    this.changeEmitter.fire({ key, forgotten: false });
  }

  /** A tag's details as known now: `loading` until readDetails brought them. */
  tagDetails(entry: RegistryEntry, repository: string, tag: string): TagDetails {
    return this.details.get(tagKey(entry, repository, tag)) ?? { state: 'loading' };
  }

  /** Reads the details of the tags shown and not read yet, a few at a time; each fires onDidChangeDetails. */
  readDetails(entry: RegistryEntry, repository: string, tags: readonly string[]): Promise<void> {
    const client = this.client(entry);
    const wanted = tags.filter((tag) => !this.details.has(tagKey(entry, repository, tag)));
    for (const tag of wanted) this.details.set(tagKey(entry, repository, tag), { state: 'loading' });
    return settleWithConcurrency(wanted, this.detailConcurrency, async (tag) => {
      const key = tagKey(entry, repository, tag);
      try {
        const manifest = await client.getManifest(repository, tag);
        this.details.set(key, { state: 'ready', manifest });
      } catch (error) {
        this.details.set(key, { state: 'error', message: shortReason(error) });
      }
      this.detailsEmitter.fire(key);
    }).then(() => undefined);
  }

  private client(entry: RegistryEntry) {
    return this.options.pool.client(entry.host, entry.insecure);
  }

  private async listing(key: string, open: () => AsyncGenerator<string, void, undefined>): Promise<Listing> {
    let listing = this.listings.get(key);
    if (!listing) {
      listing = { iterator: open(), items: [], done: false };
      this.listings.set(key, listing);
      await this.readPage(listing);
    }
    return listing;
  }

  private async readPage(listing: OpenListing): Promise<void> {
    try {
      for (let read = 0; read < this.pageSize; read++) {
        const next = await listing.iterator.next();
        if (next.done) {
          listing.done = true;
          return;
        }
        listing.items.push(next.value);
      }
    } catch (error) {
      listing.error = error;
      listing.done = true;
      this.options.log.error(`registries: ${errorText(error)}`);
    }
  }

  private forget(prefix: string): void {
    if (!prefix.includes('/')) this.options.pool.forget(prefix);
    const below = (key: string): boolean => key === prefix || key.startsWith(`${prefix}/`) || key.startsWith(`${prefix}:`);
    for (const key of [...this.listings.keys()]) if (below(key)) this.listings.delete(key);
    for (const key of [...this.details.keys()]) if (below(key)) this.details.delete(key);
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.detailsEmitter.dispose();
    this.filterEmitter.dispose();
  }
}

export function tagKey(entry: RegistryEntry, repository: string, tag: string): string {
  return `${entry.host}/${repository}:${tag}`;
}

function shortReason(error: unknown): string {
  if (error instanceof RegistryError) return error.code ? `${error.code} (${error.status ?? 'network'})` : error.message;
  return errorText(error);
}
