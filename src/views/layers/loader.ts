// What a Layers panel or lens reads: an image's layers model input (engine), the Dockerfile it
// was built from (the one given, else the best match in the workspace), and which local image a
// Dockerfile built. The engine facts come from LocalImagesModel's one cache; the index over
// them and the Dockerfile parses live here.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { type ParsedStages } from '../../layers/dockerfileSteps';
import {
  buildImageLayersModel,
  cleanHistory,
  dockerfileBaseReference,
  prepareDockerfile,
  rankImagesForDockerfile,
  type ImageLayersInput,
  type ImageLayersModel,
  type LocalLayerIndex,
} from '../../layers/model';
import { findImageForDockerfile, MIN_MATCH_SCORE, type DockerfileImageMatch } from '../../layers/dockerfileImages';
import { LocalIndexCache, readLayersModelInput, type LocalImageSummary } from '../../layers/engineLayers';
import { DOCKERFILE_GLOB, isDockerfileName } from '../../dockerfile/fileNames';
import { errorText } from '../../util/errors';
import { listLocalImages } from '../../engine/images';

/** Workspace Dockerfiles read when looking for the one an image was built from. */
const MAX_WORKSPACE_DOCKERFILES = 100;

export interface LayersSource {
  input: ImageLayersInput;
  index: LocalLayerIndex;
}

export interface DockerfileSource {
  uri: vscode.Uri;
  /** Parsed once, for the match, the base image and the model alike. */
  parsed: ParsedStages;
}

export class LayersLoader {
  private readonly index = new LocalIndexCache();
  private endpoint: string | undefined;
  private dockerfileUris: Promise<vscode.Uri[]> | undefined;
  /** The last parse of each Dockerfile, kept while its text is the same. */
  private readonly parses = new Map<string, ParsedStages>();

  constructor(private readonly ctx: LayerlensContext) {
    const watcher = vscode.workspace.createFileSystemWatcher(DOCKERFILE_GLOB, false, true, false);
    const forget = (): void => {
      this.dockerfileUris = undefined;
    };
    ctx.subscriptions.push(watcher, watcher.onDidCreate(forget), watcher.onDidDelete(forget), vscode.workspace.onDidChangeWorkspaceFolders(forget));
    // Another engine may reuse no image: forget what the last one said.
    ctx.subscriptions.push(
      ctx.images.onDidChange((state) => {
        if (state.kind !== 'ready' || state.endpoint === this.endpoint) return;
        if (this.endpoint !== undefined) this.clear();
        else this.prefetchDockerfileList();
        this.endpoint = state.endpoint;
      }),
    );
  }

  /** The local images as the tree read them, once it has. */
  private async localImages(): Promise<readonly LocalImageSummary[]> {
    const state = await this.ctx.images.whenSettled();
    if (state.kind === 'error') throw state.error;
    return state.kind === 'ready' ? state.images : [];
  }

  async read(engineName: string, displayName: string, dockerfile?: DockerfileSource): Promise<LayersSource> {
    const fromReference = dockerfile ? dockerfileBaseReference([], dockerfile.parsed) : undefined;
    const state = this.ctx.images.state;
    const read = await this.ctx.session.run(`read the layers of ${displayName}`, async (connection) =>
      // Before the tree's first list (or while it reconnects), the same list is read here.
      readLayersModelInput(connection.calls, engineName, { facts: this.ctx.images.facts, index: this.index }, { images: state.kind === 'ready' ? state.images : await listLocalImages(connection.calls), fromReference }),
    );
    return { input: read.image, index: read.index };
  }

  /**
   * Makes sure the base image the Dockerfile names (with the history's build arguments) has its
   * history length known: it says where the base's entries end.
   */
  async prepareBase(source: LayersSource, dockerfile: ParsedStages): Promise<void> {
    const instructions = cleanHistory(source.input.history ?? []);
    const base = source.index.findBase(source.input.diffIds, source.input.id, dockerfileBaseReference(instructions, dockerfile));
    if (!base || base.image.historyLength !== undefined) return;
    const length = await this.ctx.session.run(`read the history of ${base.name}`, (connection) => this.ctx.images.facts.historyLength(connection.calls, base.image.id));
    base.image.historyLength ??= length;
  }

  build(source: LayersSource, dockerfile?: ParsedStages): ImageLayersModel {
    return buildImageLayersModel(source.input, { index: source.index, dockerfile: dockerfile ? { text: dockerfile } : undefined });
  }

  /** The Dockerfile's parse, reused while its text has not changed. */
  parse(uri: vscode.Uri, text: string): ParsedStages {
    const key = uri.toString();
    const cached = this.parses.get(key);
    if (cached?.text === text) return cached;
    const parsed = prepareDockerfile(text);
    this.parses.set(key, parsed);
    return parsed;
  }

  async readDockerfile(uri: vscode.Uri): Promise<DockerfileSource> {
    return { uri, parsed: this.parse(uri, await readDockerfileText(uri)) };
  }

  /**
   * The workspace's Dockerfiles and their text: the file list found once and kept while a
   * watcher sees no Dockerfile created or deleted; the texts read each time (open documents'
   * unsaved text included).
   */
  async workspaceDockerfileTexts(options: { fresh?: boolean } = {}): Promise<Array<{ uri: vscode.Uri; text: string }>> {
    if (options.fresh) this.dockerfileUris = undefined;
    const uris = await this.dockerfileList();
    const texts = await Promise.all(uris.map((uri) => readDockerfileText(uri).then((text) => ({ uri, text }), () => undefined)));
    return texts.filter((entry) => entry !== undefined);
  }

  private dockerfileList(): Promise<vscode.Uri[]> {
    if (!vscode.workspace.workspaceFolders?.length) return Promise.resolve([]);
    if (!this.dockerfileUris) {
      const list = Promise.resolve(vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', MAX_WORKSPACE_DOCKERFILES)).then((uris) => uris.filter((uri) => isDockerfileName(uri.path)));
      this.dockerfileUris = list;
      void list.catch(() => {
        if (this.dockerfileUris === list) this.dockerfileUris = undefined;
      });
    }
    return this.dockerfileUris;
  }

  /**
   * The workspace search takes a few hundred milliseconds the first time (a ripgrep run): it is
   * started when the local images are first listed, so Show Layers finds the list made.
   */
  private prefetchDockerfileList(): void {
    this.dockerfileList().catch((error: unknown) => this.ctx.log.warn(`layers: could not list the workspace's Dockerfiles: ${errorText(error)}`));
  }


  /** The Dockerfile whose instructions best match the image's history, if any matches well enough. */
  bestDockerfile(input: ImageLayersInput, texts: ReadonlyArray<{ uri: vscode.Uri; text: string }>): DockerfileSource | undefined {
    if (!input.history?.length) return undefined;
    const candidate = { id: input.id, created: input.created, history: input.history };
    const scored = texts.flatMap(({ uri, text }) => {
      const dockerfile: DockerfileSource = { uri, parsed: this.parse(uri, text) };
      const [score] = rankImagesForDockerfile(dockerfile.parsed, [candidate]);
      return score && score.score >= MIN_MATCH_SCORE ? [{ dockerfile, score: score.score }] : [];
    });
    // Best score; on a tie the shorter path (the project's own Dockerfile over a vendored copy).
    scored.sort((a, b) => b.score - a.score || a.dockerfile.uri.path.length - b.dockerfile.uri.path.length || a.dockerfile.uri.path.localeCompare(b.dockerfile.uri.path));
    return scored[0]?.dockerfile;
  }

  /** The most recent local image the Dockerfile's history matches. */
  /** `path`: the file's, whose name or folder suggests which of an image's tags to name. */
  async matchDockerfile(text: string | ParsedStages, path?: string): Promise<DockerfileImageMatch | undefined> {
    // An engine error is thrown: the lens says why, rather than "no image matches".
    const images = await this.localImages();
    if (!images.length) return undefined;
    return this.ctx.session.run('match a Dockerfile with local images', (connection) => findImageForDockerfile(connection.calls, text, images, this.ctx.images.facts, path));
  }

  clear(): void {
    this.parses.clear();
    this.index.clear();
  }
}

/** The open document's text (unsaved edits included), else the file's. */
export async function readDockerfileText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
