// What a Layers panel or lens reads: an image's layers model input (engine), the Dockerfile it
// was built from (the one given, else the best match in the workspace), and which local image a
// Dockerfile built. The engine caches live here, one set for the whole extension.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import {
  buildImageLayersModel,
  cleanHistory,
  dockerfileBaseReference,
  rankImagesForDockerfile,
  type ImageLayersInput,
  type ImageLayersModel,
  type LocalLayerIndex,
} from '../../dockerfile/layers';
import { findImageForDockerfile, ImageHistoryCache, MIN_MATCH_SCORE, type DockerfileImageMatch } from '../../engine/dockerfileImages';
import { LocalLayersCache, readLayersModelInput, type LocalImageSummary } from '../../engine/history';
import { DOCKERFILE_GLOB } from '../dockerfile/pinning';

/** Workspace Dockerfiles read when looking for the one an image was built from. */
const MAX_WORKSPACE_DOCKERFILES = 100;

export interface LayersSource {
  input: ImageLayersInput;
  index: LocalLayerIndex;
}

export interface DockerfileSource {
  uri: vscode.Uri;
  text: string;
}

export class LayersLoader {
  private readonly cache = new LocalLayersCache();
  private readonly histories = new ImageHistoryCache();
  private endpoint: string | undefined;

  constructor(private readonly ctx: LayerlensContext) {
    // Another engine may reuse no image: forget what the last one said.
    ctx.subscriptions.push(
      ctx.images.onDidChange((state) => {
        if (state.kind !== 'ready' || state.endpoint === this.endpoint) return;
        if (this.endpoint !== undefined) this.clear();
        this.endpoint = state.endpoint;
      }),
    );
  }

  /** The local images as the tree last read them, so the index does not list them again. */
  private localImages(): LocalImageSummary[] | undefined {
    const state = this.ctx.images.state;
    return state.kind === 'ready' ? state.images.map((image) => ({ id: image.id, repoTags: image.repoTags, repoDigests: image.repoDigests, created: image.created })) : undefined;
  }

  async read(engineName: string, displayName: string, dockerfile?: DockerfileSource): Promise<LayersSource> {
    const fromReference = dockerfile ? dockerfileBaseReference([], dockerfile.text) : undefined;
    const read = await this.ctx.session.run(`read the layers of ${displayName}`, (connection) =>
      readLayersModelInput(connection.calls, engineName, this.cache, { images: this.localImages(), fromReference }),
    );
    return { input: read.image, index: read.index };
  }

  /**
   * Makes sure the base image the Dockerfile names (with the history's build arguments) has its
   * history length known: it says where the base's entries end.
   */
  async prepareBase(source: LayersSource, dockerfileText: string): Promise<void> {
    const instructions = cleanHistory(source.input.history ?? []);
    const base = source.index.findBase(source.input.diffIds, source.input.id, dockerfileBaseReference(instructions, dockerfileText));
    if (!base || base.image.historyLength !== undefined) return;
    const length = await this.ctx.session.run(`read the history of ${base.name}`, (connection) => this.cache.historyLength(connection.calls, base.image.id));
    base.image.historyLength ??= length;
  }

  build(source: LayersSource, dockerfileText?: string): ImageLayersModel {
    return buildImageLayersModel(source.input, { index: source.index, dockerfile: dockerfileText !== undefined ? { text: dockerfileText } : undefined });
  }

  /** The workspace Dockerfile whose instructions best match the image's history, if any matches well enough. */
  async findWorkspaceDockerfile(input: ImageLayersInput): Promise<DockerfileSource | undefined> {
    if (!input.history?.length || !vscode.workspace.workspaceFolders?.length) return undefined;
    const uris = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', MAX_WORKSPACE_DOCKERFILES);
    const candidate = { id: input.id, created: input.created, history: input.history };
    const scored = await Promise.all(
      uris.map(async (uri) => {
        const text = await readDockerfileText(uri).catch(() => undefined);
        if (text === undefined) return undefined;
        const [score] = rankImagesForDockerfile(text, [candidate]);
        return score && score.score >= MIN_MATCH_SCORE ? { uri, text, score: score.score } : undefined;
      }),
    );
    // Best score; on a tie the shorter path (the project's own Dockerfile over a vendored copy).
    const best = scored
      .filter((entry) => entry !== undefined)
      .sort((a, b) => b.score - a.score || a.uri.path.length - b.uri.path.length || a.uri.path.localeCompare(b.uri.path))[0];
    return best ? { uri: best.uri, text: best.text } : undefined;
  }

  /** The most recent local image the Dockerfile's history matches. */
  async matchDockerfile(text: string): Promise<DockerfileImageMatch | undefined> {
    const state = await this.ctx.images.whenSettled();
    if (state.kind !== 'ready') return undefined;
    const images = this.localImages() ?? [];
    return this.ctx.session.run('match a Dockerfile with local images', (connection) => findImageForDockerfile(connection.calls, text, images, this.histories));
  }

  clear(): void {
    this.cache.clear();
    this.histories.clear();
  }
}

/** The open document's text (unsaved edits included), else the file's. */
export async function readDockerfileText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
