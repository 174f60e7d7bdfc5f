// The Layers panel's HTML: a fixed shell with no image data in it (the data comes by
// postMessage), a strict CSP, and the script allowed only by a fresh crypto nonce.
// Pure; no `vscode` import.

import { randomBytes } from 'node:crypto';

export interface PanelHtmlInput {
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri strings. */
  scriptUri: string;
  styleUris: readonly string[];
  nonce?: string;
}

/** 128 random bits, base64: a new one for every page. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `font-src ${cspSource}`, `img-src ${cspSource} data:`].join('; ');
}

export function layersPanelHtml(input: PanelHtmlInput): string {
  const nonce = input.nonce ?? createNonce();
  const attribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const styles = input.styleUris.map((uri) => `<link rel="stylesheet" href="${attribute(uri)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(input.cspSource, nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <script async nonce="${attribute(nonce)}" src="${attribute(input.scriptUri)}"></script>
    ${styles}
    <title>Layers</title>
  </head>
  <body>
    <main id="app" aria-busy="true"><p class="loading">Reading the image’s layers…</p></main>
  </body>
</html>`;
}
