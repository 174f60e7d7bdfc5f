// The one object that carries the extension's parts: passed explicitly, never global.

import type * as vscode from 'vscode';
import { type LayerIndexCache } from './engine/layerIndexCache';
import { type LocalImagesModel } from './engine/localImages';
import { type EngineSession } from './engine/session';
import { type KnownRegistries } from './image/registryReach';
import { type RegistryClientPool } from './registry/clientPool';
import { type RegistryCredentialStore } from './registry/credentialStore';
import { type RegistriesModel } from './registry/registriesModel';

export interface LayerlensContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly session: EngineSession;
  readonly images: LocalImagesModel;
  /** Credentials entered in Layerlens (VS Code's secret storage): the one store. */
  readonly credentials: RegistryCredentialStore;
  /** One registry client per host and plain-HTTP flag, for the tree, pinning and transfers. */
  readonly registryClients: RegistryClientPool;
  /** Registries known to exist (public, configured, or answered in this session): offline is told from a wrong address by it. */
  readonly knownRegistries: KnownRegistries;
  /** The registries the user sees, their listings and tag details. */
  readonly registriesModel: RegistriesModel;
  /** Each layer's entry list on disk by diff_id, in the extension's global storage. */
  readonly layerCache: LayerIndexCache;
  readonly subscriptions: vscode.Disposable[];
}
