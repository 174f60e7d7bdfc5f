// The Dockerfile side's shared state: parses cached per document version, one DigestResolver
// (one request per distinct reference, answers cached), the pin settings, and a change event
// the lenses and diagnostics listen to.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { inspectDistribution } from '../../engine/distribution';
import { DOCKERFILE_GLOB, isDockerfileDocument } from '../../dockerfile/fileNames';
import { type PinnableImage, parsePinnableDockerfile, type PinnableDockerfile } from '../../pinning/pinnable';
import { type PinOptions, pinStatus, type PinStatus } from '../../pinning/pinStatus';
import { DigestResolver } from '../../registry/digestResolver';
import { resolveRegistryAuth } from '../../registry/registryAuth';

/** Every provider's net; each asks isDockerfile first (the glob also catches `Dockerfile.dockerignore`). */
export const DOCKERFILE_SELECTOR: vscode.DocumentSelector = [{ language: 'dockerfile' }, { pattern: DOCKERFILE_GLOB }];

export class DockerfilePinning implements vscode.Disposable {
  readonly resolver: DigestResolver;
  private readonly parsed = new Map<string, { version: number; result: PinnableDockerfile }>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when cached answers were dropped or the settings changed: lenses and diagnostics ask again. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(ctx: LayerlensContext) {
    this.resolver = new DigestResolver({
      // A registry the user added as http:// is asked over http here too.
      clientFor: (host) => ctx.registryClients.client(host, ctx.registriesModel.isInsecure(host)),
      // One quick retry: the lens waits on this, and the engine is asked next when it fails.
      retries: 1,
      engineDistribution: async (reference, signal) => {
        const auth = await resolveRegistryAuth(hostOf(reference), ctx.credentials, ctx.log);
        return ctx.session.run(`ask the engine about ${reference}`, (connection) => inspectDistribution(connection.calls, reference, auth.header, signal));
      },
    });
    this.subscriptions.push(
      vscode.workspace.onDidCloseTextDocument((document) => this.parsed.delete(document.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('layerlens.dockerfile.pinPlatform')) this.changeEmitter.fire();
      }),
    );
  }

  /** The images a Dockerfile names, parsed once per document version. */
  parse(document: vscode.TextDocument): PinnableDockerfile {
    const key = document.uri.toString();
    const cached = this.parsed.get(key);
    if (cached?.version === document.version) return cached.result;
    const result = parsePinnableDockerfile(document.getText());
    this.parsed.set(key, { version: document.version, result });
    return result;
  }

  /** The image whose instruction starts on `line` (the first, when a line names several). */
  imageAt(document: vscode.TextDocument, line: number, site?: PinnableImage['site']): PinnableImage | undefined {
    return this.parse(document).images.find((image) => image.line === line && (!site || image.site === site));
  }

  options(scope?: vscode.Uri): PinOptions {
    const platform = vscode.workspace.getConfiguration('layerlens.dockerfile', scope).get<string>('pinPlatform', '').trim();
    return platform ? { platform } : {};
  }

  status(image: PinnableImage, scope?: vscode.Uri, signal?: AbortSignal): Promise<PinStatus> {
    return pinStatus(image, this.resolver, this.options(scope), signal);
  }

  /** Forgets every cached answer and asks the lenses to resolve again (the Retry lens). */
  retry(): void {
    this.resolver.forget();
    this.changeEmitter.fire();
  }

  isDockerfile(document: vscode.TextDocument): boolean {
    return isDockerfileDocument(document.languageId, document.uri.path);
  }

  dispose(): void {
    this.changeEmitter.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** The registry host of a full reference (`docker.io/library/nginx:1` -> `docker.io`). */
function hostOf(reference: string): string {
  return reference.split('/', 1)[0] ?? reference;
}
