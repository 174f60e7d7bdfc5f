// The one object that carries the extension's parts: passed explicitly, never global.

import type * as vscode from 'vscode';
import { type LocalImagesModel } from './engine/localImages';
import { type EngineSession } from './engine/session';

export interface LayerlensContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly session: EngineSession;
  readonly images: LocalImagesModel;
  readonly subscriptions: vscode.Disposable[];
}
