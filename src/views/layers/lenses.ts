// The Dockerfile side of the Layers panel: "Layers of <image>" at the top of every Dockerfile
// (the most recent local image whose history matches the file, found only when the lens is on
// screen), and with layerlens.layers.dockerfileSizes on, the size of the layer each
// instruction made in that image ("RUN → 43.2 MB"), the largest marked.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { layerSizesByLine, type ImageLayersModel } from '../../layers/model';
import { type DockerfileImageMatch } from '../../layers/dockerfileImages';
import { formatBytes, shortImageId } from '../../util/format';
import { type LayersLoader, type LayersSource } from './loader';
import { type LayersRequest } from './request';
import { errorText } from '../../util/errors';
import { isDockerfileDocument } from '../../dockerfile/fileNames';
import { COMMANDS } from '../commandIds';

interface Cached<T> {
  version: number;
  value: Promise<T>;
}

/** Per open Dockerfile: its matching image (per text version), and that image's model for the size lenses. */
export class DockerfileLayersMatcher implements vscode.Disposable {
  private readonly matches = new Map<string, Cached<DockerfileImageMatch | undefined>>();
  private readonly sources = new Map<string, Promise<LayersSource>>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** The local images changed: a lens may now name another image. */
  readonly onDidChange = this.changeEmitter.event;
  /** The images and their names when the matches were made. */
  private lastImageSet: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    ctx: LayerlensContext,
    private readonly loader: LayersLoader,
  ) {
    this.subscriptions.push(
      this.changeEmitter,
      ctx.images.onDidChange((state) => {
        if (state.kind !== 'ready') return;
        // Container events reload the list too; only a change of images or names can change a match.
        const imageSet = state.images.map((image) => `${image.id} ${image.repoTags.join(',')} ${image.repoDigests.join(',')}`).join('\n');
        if (imageSet === this.lastImageSet) return;
        const first = this.lastImageSet === undefined;
        this.lastImageSet = imageSet;
        // The first list is the one the first match waited for: nothing to redo.
        if (first) return;
        this.matches.clear();
        this.sources.clear();
        this.changeEmitter.fire();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.matches.delete(document.uri.toString())),
    );
  }

  match(document: vscode.TextDocument): Promise<DockerfileImageMatch | undefined> {
    const key = document.uri.toString();
    const cached = this.matches.get(key);
    if (cached && cached.version === document.version) return cached.value;
    const value = this.loader.matchDockerfile(this.loader.parse(document.uri, document.getText()), document.uri.path);
    // A failure is not kept: the next look asks again.
    void value.catch(() => {
      if (this.matches.get(key)?.value === value) this.matches.delete(key);
    });
    this.matches.set(key, { version: document.version, value });
    return value;
  }

  /** The matched image's model with this text's attribution, or undefined when nothing matches. */
  async model(document: vscode.TextDocument): Promise<{ match: DockerfileImageMatch; model: ImageLayersModel } | undefined> {
    const match = await this.match(document);
    if (!match) return undefined;
    const parsed = this.loader.parse(document.uri, document.getText());
    let source = this.sources.get(match.id);
    if (!source) {
      source = this.loader.read(match.id, match.name, { uri: document.uri, parsed }).then(async (read) => {
        await this.loader.prepareBase(read, parsed);
        return read;
      });
      this.sources.set(match.id, source);
      void source.catch(() => this.sources.delete(match.id));
    }
    return { match, model: this.loader.build(await source, parsed) };
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}

export function layersRequest(match: DockerfileImageMatch, document: vscode.TextDocument, line?: number): LayersRequest {
  return { kind: 'layersRequest', imageId: match.id, engineName: match.id, displayName: match.name, dockerfile: document.uri.toString(), line };
}

class LayersOfLens extends vscode.CodeLens {
  constructor(readonly document: vscode.TextDocument) {
    super(new vscode.Range(0, 0, 0, 0));
  }
}

/** "Layers of <image>" on the first line; resolved (the engine asked) only when on screen. */
export class LayersOfLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly matcher: DockerfileLayersMatcher) {
    this.onDidChangeCodeLenses = matcher.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return isDockerfileDocument(document.languageId, document.uri.path) && document.getText().trim() ? [new LayersOfLens(document)] : [];
  }

  async resolveCodeLens(lens: vscode.CodeLens): Promise<vscode.CodeLens> {
    if (!(lens instanceof LayersOfLens) || lens.command) return lens;
    try {
      const match = await this.matcher.match(lens.document);
      lens.command = match
        ? {
            title: `$(layers) Layers of ${match.name}`,
            tooltip: `The layers of ${match.name} (${shortImageId(match.id)}), the most recent local image built from this file (${match.matchedSteps} of ${match.stepCount} instructions match its history)`,
            command: COMMANDS.showLayers,
            arguments: [layersRequest(match, lens.document)],
          }
        : { title: '$(layers) Show Layers… (no local image matches this file)', tooltip: 'No recent local image has a history that matches this Dockerfile: build it, or pick an image.', command: COMMANDS.showLayers };
    } catch (error) {
      const message = errorText(error);
      lens.command = { title: `$(error) Layers: ${message.split(/(?<=\.)\s/)[0]}`, tooltip: message, command: '' };
    }
    return lens;
  }
}

/** Each instruction that made a layer in the matched image: its size; the largest marked. */
export class LayerSizeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly matcher: DockerfileLayersMatcher) {
    this.onDidChangeCodeLenses = matcher.onDidChange;
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!isDockerfileDocument(document.languageId, document.uri.path)) return [];
    let found: Awaited<ReturnType<DockerfileLayersMatcher['model']>>;
    try {
      found = await this.matcher.model(document);
    } catch {
      // The "Layers of" lens says what went wrong; sizes simply do not show.
      return [];
    }
    if (!found) return [];
    const { match, model } = found;
    return layerSizesByLine(model).map((entry) => {
      const size = formatBytes(entry.size);
      const title = entry.largest ? `$(flame) ${entry.keyword} → ${size} · largest` : `${entry.keyword} → ${size}`;
      return new vscode.CodeLens(new vscode.Range(entry.startLine, 0, entry.startLine, 0), {
        title,
        tooltip: `The layer this instruction made in ${match.name} (${shortImageId(match.id)}): ${size}${entry.largest ? ', the largest' : ''}. Click to show the image's layers.`,
        command: COMMANDS.showLayers,
        arguments: [layersRequest(match, document, entry.startLine)],
      });
    });
  }
}
