// Bundles the extension with esbuild: `--production` minifies, `--watch` rebuilds on change.
//
// Two files: dist/extension.js (our code, small, loaded at activation) and dist/dockerode.js
// (dockerode and its dependencies, loaded on the first engine call). Inside the latter,
// ssh2 (ssh:// engines only) and gRPC (BuildKit sessions only) load on first use, so a
// window that shows the view pays for neither.
// And the Layers panel's browser side: dist/webview.js (an IIFE for the webview, with the
// @vscode-elements it uses) and dist/webview.css (codicon.css and media/layers.css, one request),
// whose codicon font is copied to dist/codicons/.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** `import('dockerode')` in our code becomes `require('./dockerode.js')`, the sibling bundle. */
const dockerodeAsSibling = {
  name: 'dockerode-as-sibling',
  setup(build) {
    build.onResolve({ filter: /^dockerode$/ }, () => ({ path: './dockerode.js', external: true }));
  },
};

const LAZY = {
  // ssh.js does `require('ssh2').Client` at load; construct the real Client only when used.
  ssh2: `let real; const load = () => (real ??= require('ssh2'));
class Client { constructor(...args) { return new (load().Client)(...args); } }
module.exports = { Client };`,
  '@grpc/grpc-js': `let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('@grpc/grpc-js'))[key] });`,
  '@grpc/proto-loader': `let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('@grpc/proto-loader'))[key] });`,
};

const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(LAZY).map((name) => name.replace(/[/@.-]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => (args.namespace === 'lazy' ? undefined : { path: args.path, namespace: 'lazy' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ contents: LAZY[args.path], loader: 'js', resolveDir: process.cwd() }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // ssh2's optional native crypto and cpu-features: ssh2 falls back to pure JS without them.
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
  loader: { '.node': 'empty' },
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'info',
};

/** @type {import('esbuild').BuildOptions} */
const webview = {
  ...common,
  entryPoints: { webview: 'src/webview/layers.ts' },
  platform: 'browser',
  format: 'iife',
  // The webview is VS Code's own Chromium (Electron, or the browser code-server runs in).
  target: 'chrome114',
  external: [],
  // webview.ts imports the style sheets: esbuild writes them as dist/webview.css.
  loader: { '.ttf': 'file' },
  assetNames: 'codicons/[name]',
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, plugins: [dockerodeAsSibling] },
  { ...common, entryPoints: { dockerode: 'node_modules/dockerode/lib/docker.js' }, plugins: [lazyModules] },
  webview,
];


if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
