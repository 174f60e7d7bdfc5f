// parsePinnableDockerfile over Dockerfiles modelled on real ones: what each FROM and COPY --from names,
// where its text is, what it expands to, and where a pin would go; then the whole text after
// pinning (and unpinning) every image, byte for byte.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type PinnableImage, parsePinnableDockerfile } from '../../../src/pinning/pinnable';
import { applyEdits, pinEdit, type TextEdit, unpinEdit } from '../../../src/pinning/pin';
import { formatFamiliarReference } from '../../../src/image/reference';

const C64 = 'sha256:' + 'c'.repeat(64);
const E64 = 'sha256:' + 'e'.repeat(64);
/** The digest every test pins to. */
const D = 'sha256:' + 'd'.repeat(64);

function fixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'dockerfiles', name), 'utf8');
}

/** What a case asserts about one image; `reason` and `error` are matched, the rest compared. */
interface Seen {
  site: 'from' | 'copy-from';
  kind: PinnableImage['kind'];
  line: number;
  text: string;
  /** Only when it differs from `text`. */
  expanded?: string;
  familiar?: string;
  stage?: string;
  platform?: PinnableImage['platform'];
  unresolved?: string[];
  /** 'image', 'none', or `arg NAME@line`. */
  pin: string;
  /** The text the pin target's span covers. */
  pinText?: string;
}
type Expected = Omit<Seen, 'site'> & { site?: 'copy-from'; reason?: RegExp; error?: RegExp };

interface Case {
  name: string;
  text: string;
  eol?: '\r\n';
  images: Expected[];
  /** The text after pinning every pinnable image to D. */
  pinned?: string;
  /** The text after unpinning every pinned image. */
  unpinned?: string;
}

const linux = (text: string): PinnableImage['platform'] => ({ text, expanded: text, unresolved: [] });
const unknownPlatform = (text: string, ...unresolved: string[]): PinnableImage['platform'] => ({ text, unresolved });
const copy = (image: Omit<Expected, 'site'>): Expected => ({ site: 'copy-from', ...image });

const cases: Case[] = [
  {
    name: 'Go build on the build platform, distroless final stage',
    text: fixture('go-distroless.Dockerfile'),
    images: [
      {
        kind: 'image', line: 4, text: 'golang:${GO_VERSION}-alpine${ALPINE_VERSION}', expanded: 'golang:1.22.5-alpine3.20', familiar: 'golang:1.22.5-alpine3.20',
        stage: 'build', platform: unknownPlatform('$BUILDPLATFORM', 'BUILDPLATFORM'), pin: 'arg ALPINE_VERSION@2', pinText: '3.20',
      },
      { kind: 'image', line: 13, text: 'gcr.io/distroless/static-debian12:nonroot', familiar: 'gcr.io/distroless/static-debian12:nonroot', pin: 'image', pinText: 'gcr.io/distroless/static-debian12:nonroot' },
      copy({ kind: 'stage', line: 14, text: 'build', pin: 'none', reason: /"build" is a build stage/ }),
    ],
    pinned: fixture('go-distroless.Dockerfile')
      .replace('ARG ALPINE_VERSION=3.20', `ARG ALPINE_VERSION=3.20@${D}`)
      .replace('static-debian12:nonroot', `static-debian12:nonroot@${D}`),
  },
  {
    name: 'Node: three stages on one NODE_VERSION, the tag suffix written in each FROM',
    text: fixture('node-three-stages.Dockerfile'),
    images: [
      { kind: 'image', line: 2, text: 'node:${NODE_VERSION}-bookworm-slim', expanded: 'node:20.15.1-bookworm-slim', familiar: 'node:20.15.1-bookworm-slim', stage: 'deps', pin: 'image', pinText: 'node:${NODE_VERSION}-bookworm-slim' },
      { kind: 'image', line: 7, text: 'node:${NODE_VERSION}-bookworm-slim', expanded: 'node:20.15.1-bookworm-slim', familiar: 'node:20.15.1-bookworm-slim', stage: 'build', pin: 'image', pinText: 'node:${NODE_VERSION}-bookworm-slim' },
      copy({ kind: 'stage', line: 9, text: 'deps', pin: 'none' }),
      { kind: 'image', line: 13, text: 'node:${NODE_VERSION}-bookworm-slim', expanded: 'node:20.15.1-bookworm-slim', familiar: 'node:20.15.1-bookworm-slim', stage: 'runtime', pin: 'image', pinText: 'node:${NODE_VERSION}-bookworm-slim' },
      copy({ kind: 'stage', line: 16, text: 'deps', pin: 'none' }),
      copy({ kind: 'stage', line: 17, text: 'build', pin: 'none' }),
    ],
    pinned: fixture('node-three-stages.Dockerfile').replaceAll('-bookworm-slim AS', `-bookworm-slim@${D} AS`),
  },
  {
    name: 'Python: ENV with a continuation, COPY --from an image (uv)',
    text: fixture('python-uv.Dockerfile'),
    images: [
      { kind: 'image', line: 2, text: 'python:${PYTHON_VERSION}-slim', expanded: 'python:3.12-slim', familiar: 'python:3.12-slim', stage: 'builder', pin: 'image', pinText: 'python:${PYTHON_VERSION}-slim' },
      { kind: 'image', line: 10, text: 'python:${PYTHON_VERSION}-slim', expanded: 'python:3.12-slim', familiar: 'python:3.12-slim', pin: 'image', pinText: 'python:${PYTHON_VERSION}-slim' },
      copy({ kind: 'stage', line: 11, text: 'builder', pin: 'none' }),
      copy({ kind: 'image', line: 13, text: 'ghcr.io/astral-sh/uv:0.4.0', familiar: 'ghcr.io/astral-sh/uv:0.4.0', pin: 'image', pinText: 'ghcr.io/astral-sh/uv:0.4.0' }),
    ],
    pinned: fixture('python-uv.Dockerfile')
      .replace('-slim AS builder', `-slim@${D} AS builder`)
      .replace('-slim\nCOPY', `-slim@${D}\nCOPY`)
      .replace('uv:0.4.0', `uv:0.4.0@${D}`),
  },
  {
    name: 'Rust: cargo-chef stages built on stages',
    text: fixture('rust-chef.Dockerfile'),
    images: [
      { kind: 'image', line: 0, text: 'rust:1.79', familiar: 'rust:1.79', stage: 'chef', pin: 'image', pinText: 'rust:1.79' },
      { kind: 'stage', line: 4, text: 'chef', stage: 'planner', pin: 'none' },
      { kind: 'stage', line: 8, text: 'chef', stage: 'builder', pin: 'none' },
      copy({ kind: 'stage', line: 9, text: 'planner', pin: 'none' }),
      { kind: 'image', line: 14, text: 'debian:bookworm-slim', familiar: 'debian:bookworm-slim', stage: 'runtime', pin: 'image', pinText: 'debian:bookworm-slim' },
      copy({ kind: 'stage', line: 17, text: 'builder', pin: 'none' }),
    ],
    pinned: fixture('rust-chef.Dockerfile').replace('rust:1.79', `rust:1.79@${D}`).replace('bookworm-slim', `bookworm-slim@${D}`),
  },
  {
    name: 'already pinned, digest-only final stage, pinned COPY --from',
    text: fixture('already-pinned.Dockerfile'),
    images: [
      { kind: 'image', line: 0, text: `node:20-alpine@${C64}`, familiar: `node:20-alpine@${C64}`, stage: 'build', pin: 'image', pinText: `node:20-alpine@${C64}` },
      { kind: 'image', line: 5, text: `gcr.io/distroless/nodejs20-debian12@${E64}`, familiar: `gcr.io/distroless/nodejs20-debian12@${E64}`, pin: 'image', pinText: `gcr.io/distroless/nodejs20-debian12@${E64}` },
      copy({ kind: 'stage', line: 6, text: 'build', pin: 'none' }),
      copy({ kind: 'image', line: 7, text: `busybox:1.36.1-musl@${C64}`, familiar: `busybox:1.36.1-musl@${C64}`, pin: 'image', pinText: `busybox:1.36.1-musl@${C64}` }),
    ],
    pinned: fixture('already-pinned.Dockerfile').replaceAll(C64, D).replaceAll(E64, D),
    unpinned: fixture('already-pinned.Dockerfile').replaceAll(`@${C64}`, ''),
  },
  {
    name: 'heredocs: a FROM inside a here-document is not an instruction',
    text: fixture('heredocs.Dockerfile'),
    images: [
      { kind: 'image', line: 1, text: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: 'alpine:3.20' },
      { kind: 'image', line: 14, text: 'busybox:1.36', familiar: 'busybox:1.36', pin: 'image', pinText: 'busybox:1.36' },
    ],
    pinned: fixture('heredocs.Dockerfile').replace('alpine:3.20', `alpine:3.20@${D}`).replace('busybox:1.36', `busybox:1.36@${D}`),
  },
  {
    name: 'escape directive: backtick continuations, backslashes are plain text',
    text: fixture('windows-escape.Dockerfile'),
    images: [
      {
        kind: 'image', line: 2, text: 'mcr.microsoft.com/windows/servercore:${WINDOWS_VERSION}', expanded: 'mcr.microsoft.com/windows/servercore:ltsc2022',
        familiar: 'mcr.microsoft.com/windows/servercore:ltsc2022', stage: 'base', pin: 'arg WINDOWS_VERSION@1', pinText: 'ltsc2022',
      },
      {
        kind: 'image', line: 6, text: 'mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2022', familiar: 'mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2022',
        pin: 'image', pinText: 'mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2022',
      },
      copy({ kind: 'stage', line: 7, text: 'base', pin: 'none' }),
    ],
    pinned: fixture('windows-escape.Dockerfile').replace('=ltsc2022', `=ltsc2022@${D}`).replace('ltsc2022\nCOPY', `ltsc2022@${D}\nCOPY`),
  },
  {
    name: 'cross builds: --platform=$BUILDPLATFORM and $TARGETPLATFORM stay unresolved, the images do not',
    text: fixture('cross-build.Dockerfile'),
    images: [
      { kind: 'image', line: 0, text: 'tonistiigi/xx:1.4.0', familiar: 'tonistiigi/xx:1.4.0', stage: 'xx', platform: unknownPlatform('$BUILDPLATFORM', 'BUILDPLATFORM'), pin: 'image', pinText: 'tonistiigi/xx:1.4.0' },
      { kind: 'image', line: 1, text: 'golang:1.22-alpine', familiar: 'golang:1.22-alpine', stage: 'build', platform: unknownPlatform('$BUILDPLATFORM', 'BUILDPLATFORM'), pin: 'image', pinText: 'golang:1.22-alpine' },
      copy({ kind: 'stage', line: 2, text: 'xx', pin: 'none' }),
      { kind: 'image', line: 5, text: 'alpine:3.20', familiar: 'alpine:3.20', platform: unknownPlatform('$TARGETPLATFORM', 'TARGETPLATFORM'), pin: 'image', pinText: 'alpine:3.20' },
      copy({ kind: 'stage', line: 6, text: 'build', pin: 'none' }),
    ],
  },
  {
    name: 'ARG chain: BASE built from REGISTRY and BASE_TAG; BuildKit refuses the variable in COPY --from',
    text: fixture('arg-chain.Dockerfile'),
    images: [
      { kind: 'image', line: 3, text: '${BASE}', expanded: 'docker.io/library/nginx:1.27.0', familiar: 'nginx:1.27.0', stage: 'web', pin: 'arg BASE_TAG@1', pinText: '1.27.0' },
      copy({ kind: 'invalid', line: 4, text: '${BASE}', pin: 'none', error: /^"COPY --from=\$\{BASE\}" uses \$\{BASE\}, and BuildKit refuses to build it \("variable expansion is not supported for --from"\); name the image in a stage \(FROM \$\{BASE\} AS base, / }),
      { kind: 'image', line: 5, text: '${REGISTRY}/library/alpine:3.20', expanded: 'docker.io/library/alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: '${REGISTRY}/library/alpine:3.20' },
    ],
    pinned: fixture('arg-chain.Dockerfile').replace('BASE_TAG=1.27.0', `BASE_TAG=1.27.0@${D}`).replace('alpine:3.20', `alpine:3.20@${D}`),
  },
  {
    name: 'line continuations, a comment inside the FROM, flags on continued lines',
    text: fixture('continuations.Dockerfile'),
    images: [
      { kind: 'image', line: 0, text: 'golang:1.22', familiar: 'golang:1.22', stage: 'build', platform: linux('linux/amd64'), pin: 'image', pinText: 'golang:1.22' },
      { kind: 'image', line: 6, text: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: 'alpine:3.20' },
      copy({ kind: 'stage', line: 8, text: 'build', pin: 'none' }),
      copy({ kind: 'image', line: 11, text: 'nginx:1.27-alpine', familiar: 'nginx:1.27-alpine', pin: 'image', pinText: 'nginx:1.27-alpine' }),
    ],
    pinned: fixture('continuations.Dockerfile').replace('golang:1.22', `golang:1.22@${D}`).replace('alpine:3.20', `alpine:3.20@${D}`).replace('1.27-alpine', `1.27-alpine@${D}`),
  },
  {
    name: 'stage names are case-insensitive; COPY --from finds stages by index and later stages too',
    text: fixture('stage-names.Dockerfile'),
    images: [
      { kind: 'image', line: 0, text: 'golang:1.22', familiar: 'golang:1.22', stage: 'Build', pin: 'image', pinText: 'golang:1.22' },
      { kind: 'stage', line: 2, text: 'build', stage: 'test', pin: 'none' },
      { kind: 'stage', line: 4, text: 'BUILD', stage: 'lint', pin: 'none' },
      { kind: 'image', line: 5, text: 'alpine:3.20', familiar: 'alpine:3.20', stage: 'final', pin: 'image', pinText: 'alpine:3.20' },
      copy({ kind: 'stage', line: 6, text: 'BuIlD', pin: 'none' }),
      copy({ kind: 'stage', line: 7, text: '1', pin: 'none' }),
      copy({ kind: 'stage', line: 8, text: 'later', pin: 'none' }),
      copy({ kind: 'stage', line: 9, text: 'final', pin: 'none' }),
      copy({ kind: 'image', line: 10, text: 'unknown-image:1', familiar: 'unknown-image:1', pin: 'image', pinText: 'unknown-image:1' }),
      { kind: 'stage', line: 11, text: 'final', stage: 'later', pin: 'none' },
    ],
  },
  {
    name: 'CRLF file: offsets, lines and the pinned text keep \\r\\n',
    text: 'ARG BASE=nginx:1.27\r\n\r\nFROM ${BASE} AS web\r\nRUN echo hi \\\r\n  && echo there\r\nFROM alpine:3.20\r\nCOPY --from=web /a /b\r\n',
    eol: '\r\n',
    images: [
      { kind: 'image', line: 2, text: '${BASE}', expanded: 'nginx:1.27', familiar: 'nginx:1.27', stage: 'web', pin: 'arg BASE@0', pinText: 'nginx:1.27' },
      { kind: 'image', line: 5, text: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: 'alpine:3.20' },
      copy({ kind: 'stage', line: 6, text: 'web', pin: 'none' }),
    ],
    pinned: `ARG BASE=nginx:1.27@${D}\r\n\r\nFROM \${BASE} AS web\r\nRUN echo hi \\\r\n  && echo there\r\nFROM alpine:3.20@${D}\r\nCOPY --from=web /a /b\r\n`,
  },
  {
    name: 'CRLF file with a continuation inside FROM and a pinned image',
    text: `FROM --platform=linux/arm64 \\\r\n    golang:1.22@${C64} \\\r\n    AS build\r\nFROM scratch\r\nCOPY --from=build /app /app\r\n`,
    eol: '\r\n',
    images: [
      { kind: 'image', line: 0, text: `golang:1.22@${C64}`, familiar: `golang:1.22@${C64}`, stage: 'build', platform: linux('linux/arm64'), pin: 'image', pinText: `golang:1.22@${C64}` },
      { kind: 'scratch', line: 3, text: 'scratch', pin: 'none', reason: /scratch is the empty image/ },
      copy({ kind: 'stage', line: 4, text: 'build', pin: 'none' }),
    ],
    pinned: `FROM --platform=linux/arm64 \\\r\n    golang:1.22@${D} \\\r\n    AS build\r\nFROM scratch\r\nCOPY --from=build /app /app\r\n`,
    unpinned: 'FROM --platform=linux/arm64 \\\r\n    golang:1.22 \\\r\n    AS build\r\nFROM scratch\r\nCOPY --from=build /app /app\r\n',
  },
  {
    name: 'Windows CRLF file with the backtick escape and a continued FROM',
    text: '# escape=`\r\nARG TAG=ltsc2022\r\nFROM mcr.microsoft.com/windows/nanoserver:${TAG} `\r\n  AS base\r\nRUN dir C:\\\r\nFROM `\r\n  mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022\r\n',
    eol: '\r\n',
    images: [
      { kind: 'image', line: 2, text: 'mcr.microsoft.com/windows/nanoserver:${TAG}', expanded: 'mcr.microsoft.com/windows/nanoserver:ltsc2022', familiar: 'mcr.microsoft.com/windows/nanoserver:ltsc2022', stage: 'base', pin: 'arg TAG@1', pinText: 'ltsc2022' },
      { kind: 'image', line: 5, text: 'mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022', familiar: 'mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022', pin: 'image', pinText: 'mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022' },
    ],
    pinned: `# escape=\`\r\nARG TAG=ltsc2022@${D}\r\nFROM mcr.microsoft.com/windows/nanoserver:\${TAG} \`\r\n  AS base\r\nRUN dir C:\\\r\nFROM \`\r\n  mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022@${D}\r\n`,
  },
  {
    name: 'two ARGs in one continued instruction, with a comment line between them',
    text: 'ARG BASE=nginx:1.27 \\\n    # the tools image\n    TOOLS=alpine/git:2.45\nFROM ${BASE}\nFROM ${TOOLS} AS tools\n',
    images: [
      { kind: 'image', line: 3, text: '${BASE}', expanded: 'nginx:1.27', familiar: 'nginx:1.27', pin: 'arg BASE@0', pinText: 'nginx:1.27' },
      { kind: 'image', line: 4, text: '${TOOLS}', expanded: 'alpine/git:2.45', familiar: 'alpine/git:2.45', stage: 'tools', pin: 'arg TOOLS@2', pinText: 'alpine/git:2.45' },
    ],
    pinned: `ARG BASE=nginx:1.27@${D} \\\n    # the tools image\n    TOOLS=alpine/git:2.45@${D}\nFROM \${BASE}\nFROM \${TOOLS} AS tools\n`,
  },
  {
    name: 'COPY --from=<image>, --from=<stage>, --from=<index>',
    text: 'FROM golang:1.22 AS builder\nFROM alpine:3.20\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=builder /go/bin/app /app\nCOPY --from=0 /go/bin/tool /tool\n',
    images: [
      { kind: 'image', line: 0, text: 'golang:1.22', familiar: 'golang:1.22', stage: 'builder', pin: 'image', pinText: 'golang:1.22' },
      { kind: 'image', line: 1, text: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: 'alpine:3.20' },
      copy({ kind: 'image', line: 2, text: 'nginx:1.27', familiar: 'nginx:1.27', pin: 'image', pinText: 'nginx:1.27' }),
      copy({ kind: 'stage', line: 3, text: 'builder', pin: 'none' }),
      copy({ kind: 'stage', line: 4, text: '0', pin: 'none' }),
    ],
    pinned: `FROM golang:1.22@${D} AS builder\nFROM alpine:3.20@${D}\nCOPY --from=nginx:1.27@${D} /etc/nginx /etc/nginx\nCOPY --from=builder /go/bin/app /app\nCOPY --from=0 /go/bin/tool /tool\n`,
  },
  {
    name: 'registries with ports and IPv6; a digest after a tag (which dockerfile-ast mis-splits)',
    text: `FROM localhost:5000/app:1.2@${C64}\nFROM [::1]:5000/app:1\nFROM host:5000/team/app:1.2\nFROM 127.0.0.1:5000/app\n`,
    images: [
      { kind: 'image', line: 0, text: `localhost:5000/app:1.2@${C64}`, familiar: `localhost:5000/app:1.2@${C64}`, pin: 'image', pinText: `localhost:5000/app:1.2@${C64}` },
      { kind: 'image', line: 1, text: '[::1]:5000/app:1', familiar: '[::1]:5000/app:1', pin: 'image', pinText: '[::1]:5000/app:1' },
      { kind: 'image', line: 2, text: 'host:5000/team/app:1.2', familiar: 'host:5000/team/app:1.2', pin: 'image', pinText: 'host:5000/team/app:1.2' },
      { kind: 'image', line: 3, text: '127.0.0.1:5000/app', familiar: '127.0.0.1:5000/app', pin: 'image', pinText: '127.0.0.1:5000/app' },
    ],
    pinned: `FROM localhost:5000/app:1.2@${D}\nFROM [::1]:5000/app:1@${D}\nFROM host:5000/team/app:1.2@${D}\nFROM 127.0.0.1:5000/app:latest@${D}\n`,
    unpinned: 'FROM localhost:5000/app:1.2\nFROM [::1]:5000/app:1\nFROM host:5000/team/app:1.2\nFROM 127.0.0.1:5000/app\n',
  },
  {
    name: 'digest only: pinning replaces the digest, unpinning has nothing to keep',
    text: `FROM nginx@${C64} AS web\nFROM ghcr.io/acme/app@${E64}\n`,
    images: [
      { kind: 'image', line: 0, text: `nginx@${C64}`, familiar: `nginx@${C64}`, stage: 'web', pin: 'image', pinText: `nginx@${C64}` },
      { kind: 'image', line: 1, text: `ghcr.io/acme/app@${E64}`, familiar: `ghcr.io/acme/app@${E64}`, pin: 'image', pinText: `ghcr.io/acme/app@${E64}` },
    ],
    pinned: `FROM nginx@${D} AS web\nFROM ghcr.io/acme/app@${D}\n`,
    unpinned: `FROM nginx@${C64} AS web\nFROM ghcr.io/acme/app@${E64}\n`,
  },
  {
    name: 'an image without a tag is pinned with the :latest it pulls',
    text: 'FROM nginx\nFROM ubuntu AS base\n',
    images: [
      { kind: 'image', line: 0, text: 'nginx', familiar: 'nginx', pin: 'image', pinText: 'nginx' },
      { kind: 'image', line: 1, text: 'ubuntu', familiar: 'ubuntu', stage: 'base', pin: 'image', pinText: 'ubuntu' },
    ],
    pinned: `FROM nginx:latest@${D}\nFROM ubuntu:latest@${D} AS base\n`,
  },
  {
    name: 'scratch in any case, also as COPY --from',
    text: 'FROM scratch\nFROM SCRATCH AS s\nCOPY --from=scratch / /\n',
    images: [
      { kind: 'scratch', line: 0, text: 'scratch', pin: 'none' },
      { kind: 'scratch', line: 1, text: 'SCRATCH', stage: 's', pin: 'none' },
      copy({ kind: 'scratch', line: 2, text: 'scratch', pin: 'none' }),
    ],
    pinned: 'FROM scratch\nFROM SCRATCH AS s\nCOPY --from=scratch / /\n',
  },
  {
    name: 'unresolved variables: no default, undeclared, automatic platform ARGs',
    text: 'ARG GO_VERSION\nFROM golang:${GO_VERSION} AS build\nFROM $UNDECLARED\nFROM ghcr.io/acme/${APP}:${TAG}\nFROM alpine:${TARGETARCH:-3.20}\nFROM --platform=$TARGETPLATFORM ${BASE_IMAGE:-alpine:3.20}\n',
    images: [
      { kind: 'unresolved', line: 1, text: 'golang:${GO_VERSION}', stage: 'build', unresolved: ['GO_VERSION'], pin: 'none', reason: /\$\{GO_VERSION\}, which has no value/ },
      { kind: 'unresolved', line: 2, text: '$UNDECLARED', unresolved: ['UNDECLARED'], pin: 'none' },
      { kind: 'unresolved', line: 3, text: 'ghcr.io/acme/${APP}:${TAG}', unresolved: ['APP', 'TAG'], pin: 'none', reason: /\$\{APP\}, \$\{TAG\}, which have no value/ },
      { kind: 'unresolved', line: 4, text: 'alpine:${TARGETARCH:-3.20}', unresolved: ['TARGETARCH'], pin: 'none' },
      {
        kind: 'image', line: 5, text: '${BASE_IMAGE:-alpine:3.20}', expanded: 'alpine:3.20', familiar: 'alpine:3.20',
        platform: unknownPlatform('$TARGETPLATFORM', 'TARGETPLATFORM'), pin: 'image', pinText: 'alpine:3.20',
      },
    ],
    pinned: `ARG GO_VERSION\nFROM golang:\${GO_VERSION} AS build\nFROM $UNDECLARED\nFROM ghcr.io/acme/\${APP}:\${TAG}\nFROM alpine:\${TARGETARCH:-3.20}\nFROM --platform=$TARGETPLATFORM \${BASE_IMAGE:-alpine:3.20@${D}}\n`,
  },
  {
    name: 'invalid references: uppercase repository, empty tag, bad digest, bad substitution',
    text: 'FROM Nginx\nFROM nginx:\nFROM nginx@sha256:abc\nFROM ${X\nFROM ${:}\n',
    images: [
      { kind: 'invalid', line: 0, text: 'Nginx', pin: 'none', error: /the path component "Nginx" must be lowercase/, reason: /must be lowercase/ },
      { kind: 'invalid', line: 1, text: 'nginx:', pin: 'none', error: /the tag after ":" is missing/ },
      { kind: 'invalid', line: 2, text: 'nginx@sha256:abc', pin: 'none', error: /has 3 hex digits; sha256 needs exactly 64/ },
      { kind: 'invalid', line: 3, text: '${X', pin: 'none', error: /"\$\{X" cannot be expanded: a "\}" is missing/ },
      { kind: 'invalid', line: 4, text: '${:}', pin: 'none', error: /bad substitution/ },
    ],
  },
  {
    name: 'FROM without an image, and with only a flag',
    text: 'FROM\nFROM --platform=linux/amd64\nFROM alpine:3.20\n',
    images: [
      { kind: 'invalid', line: 0, text: '', pin: 'none', error: /FROM names no image/ },
      { kind: 'invalid', line: 1, text: '', platform: linux('linux/amd64'), pin: 'none', error: /FROM names no image/ },
      { kind: 'image', line: 2, text: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: 'alpine:3.20' },
    ],
  },
  { name: 'empty file', text: '', images: [], pinned: '' },
  { name: 'only comments, a parser directive and blank lines', text: '# syntax=docker/dockerfile:1\n\n# FROM nginx:1.27\n   \n', images: [] },
  {
    name: 'lowercase instructions and AS, tabs and runs of spaces',
    text: 'from\tnginx:1.27   as  web\nfrom\t\tweb\ncopy   --from=web /a /b\n',
    images: [
      { kind: 'image', line: 0, text: 'nginx:1.27', familiar: 'nginx:1.27', stage: 'web', pin: 'image', pinText: 'nginx:1.27' },
      { kind: 'stage', line: 1, text: 'web', pin: 'none' },
      copy({ kind: 'stage', line: 2, text: 'web', pin: 'none' }),
    ],
    pinned: `from\tnginx:1.27@${D}   as  web\nfrom\t\tweb\ncopy   --from=web /a /b\n`,
  },
  {
    name: 'the whole image in an ARG: the pin goes into its default',
    text: 'ARG BASE=nginx:1.27\nFROM ${BASE} AS web\nRUN echo building\n',
    images: [{ kind: 'image', line: 1, text: '${BASE}', expanded: 'nginx:1.27', familiar: 'nginx:1.27', stage: 'web', pin: 'arg BASE@0', pinText: 'nginx:1.27' }],
    pinned: `ARG BASE=nginx:1.27@${D}\nFROM \${BASE} AS web\nRUN echo building\n`,
  },
  {
    name: 'ARG defaults in double and single quotes: the span is inside them',
    text: `ARG BASE="nginx:1.27"\nARG TOOLS='alpine/git:2.45'\nARG PINNED="busybox:1.36@${C64}"\nFROM $BASE\nFROM \${TOOLS}\nFROM \${PINNED}\n`,
    images: [
      { kind: 'image', line: 3, text: '$BASE', expanded: 'nginx:1.27', familiar: 'nginx:1.27', pin: 'arg BASE@0', pinText: 'nginx:1.27' },
      { kind: 'image', line: 4, text: '${TOOLS}', expanded: 'alpine/git:2.45', familiar: 'alpine/git:2.45', pin: 'arg TOOLS@1', pinText: 'alpine/git:2.45' },
      { kind: 'image', line: 5, text: '${PINNED}', expanded: `busybox:1.36@${C64}`, familiar: `busybox:1.36@${C64}`, pin: 'arg PINNED@2', pinText: `busybox:1.36@${C64}` },
    ],
    pinned: `ARG BASE="nginx:1.27@${D}"\nARG TOOLS='alpine/git:2.45@${D}'\nARG PINNED="busybox:1.36@${D}"\nFROM $BASE\nFROM \${TOOLS}\nFROM \${PINNED}\n`,
    unpinned: `ARG BASE="nginx:1.27"\nARG TOOLS='alpine/git:2.45'\nARG PINNED="busybox:1.36"\nFROM $BASE\nFROM \${TOOLS}\nFROM \${PINNED}\n`,
  },
  {
    name: 'the tag in an ARG at the end of the image text: the pin goes after the tag in the ARG',
    text: 'ARG TAG=1.27\nFROM nginx:${TAG}\n',
    images: [{ kind: 'image', line: 1, text: 'nginx:${TAG}', expanded: 'nginx:1.27', familiar: 'nginx:1.27', pin: 'arg TAG@0', pinText: '1.27' }],
    pinned: `ARG TAG=1.27@${D}\nFROM nginx:\${TAG}\n`,
  },
  {
    name: 'two FROMs of the same image share one ARG: one edit',
    text: 'ARG BASE=python:3.12-slim\nFROM ${BASE} AS build\nRUN pip wheel .\nFROM ${BASE}\nCOPY --from=build /wheels /wheels\n',
    images: [
      { kind: 'image', line: 1, text: '${BASE}', expanded: 'python:3.12-slim', familiar: 'python:3.12-slim', stage: 'build', pin: 'arg BASE@0', pinText: 'python:3.12-slim' },
      { kind: 'image', line: 3, text: '${BASE}', expanded: 'python:3.12-slim', familiar: 'python:3.12-slim', pin: 'arg BASE@0', pinText: 'python:3.12-slim' },
      copy({ kind: 'stage', line: 4, text: 'build', pin: 'none' }),
    ],
    pinned: `ARG BASE=python:3.12-slim@${D}\nFROM \${BASE} AS build\nRUN pip wheel .\nFROM \${BASE}\nCOPY --from=build /wheels /wheels\n`,
  },
  {
    name: 'an ARG also used in the middle of another image text: no pin in the ARG',
    text: 'ARG BASE=nginx:1.27\nFROM ${BASE}\nFROM ${BASE}-alpine AS alpine\n',
    images: [
      { kind: 'image', line: 1, text: '${BASE}', expanded: 'nginx:1.27', familiar: 'nginx:1.27', pin: 'none', reason: /^ARG BASE is also used by "FROM \$\{BASE\}-alpine" on line 3, where a digest/ },
      { kind: 'image', line: 2, text: '${BASE}-alpine', expanded: 'nginx:1.27-alpine', familiar: 'nginx:1.27-alpine', stage: 'alpine', pin: 'image', pinText: '${BASE}-alpine' },
    ],
    pinned: `ARG BASE=nginx:1.27\nFROM \${BASE}\nFROM \${BASE}-alpine@${D} AS alpine\n`,
  },
  {
    name: 'an ARG used by a registry prefix elsewhere: no pin in the ARG',
    text: 'ARG BASE=nginx:1.27\nFROM ${BASE}\nFROM registry.example.com/${BASE}\n',
    images: [
      { kind: 'image', line: 1, text: '${BASE}', expanded: 'nginx:1.27', familiar: 'nginx:1.27', pin: 'none', reason: /ARG BASE is also used by "FROM registry.example.com\/\$\{BASE\}" on line 3/ },
      {
        kind: 'image', line: 2, text: 'registry.example.com/${BASE}', expanded: 'registry.example.com/nginx:1.27', familiar: 'registry.example.com/nginx:1.27',
        pin: 'none', reason: /ARG BASE is also used by "FROM \$\{BASE\}" on line 2/,
      },
    ],
  },
  {
    name: 'an ARG redeclared in a stage: RUN would see the digest',
    text: 'ARG BASE=nginx:1.27\nFROM ${BASE}\nARG BASE\nLABEL base=$BASE\n',
    images: [{ kind: 'image', line: 1, text: '${BASE}', expanded: 'nginx:1.27', familiar: 'nginx:1.27', pin: 'none', reason: /^ARG BASE is redeclared in the stage on line 3, so that stage's RUN and LABEL steps would see the digest too\.$/ }],
  },
  {
    name: 'one tag ARG for two different images: no single digest',
    text: 'ARG TAG=2.4\nFROM nginx:${TAG}\nFROM httpd:${TAG}\n',
    images: [
      { kind: 'image', line: 1, text: 'nginx:${TAG}', expanded: 'nginx:2.4', familiar: 'nginx:2.4', pin: 'none', reason: /ARG TAG is also used by "FROM httpd:\$\{TAG\}" on line 3, another image/ },
      { kind: 'image', line: 2, text: 'httpd:${TAG}', expanded: 'httpd:2.4', familiar: 'httpd:2.4', pin: 'none', reason: /"FROM nginx:\$\{TAG\}" on line 2/ },
    ],
  },
  {
    name: 'one ARG for the same image on two platforms: platform digests differ',
    text: 'ARG BASE=alpine:3.20\nFROM --platform=linux/amd64 ${BASE} AS amd64\nFROM --platform=linux/arm64 ${BASE} AS arm64\n',
    images: [
      {
        kind: 'image', line: 1, text: '${BASE}', expanded: 'alpine:3.20', familiar: 'alpine:3.20', stage: 'amd64', platform: linux('linux/amd64'), pin: 'none',
        reason: /^ARG BASE is also used by "FROM --platform=linux\/arm64 \$\{BASE\} AS arm64" on line 3 for another platform, which may need another digest\.$/,
      },
      {
        kind: 'image', line: 2, text: '${BASE}', expanded: 'alpine:3.20', familiar: 'alpine:3.20', stage: 'arm64', platform: linux('linux/arm64'), pin: 'none',
        reason: /^ARG BASE is also used by "FROM --platform=linux\/amd64 \$\{BASE\} AS amd64" on line 2 for another platform/,
      },
    ],
  },
  {
    name: 'another platform with no --platform and no stage name: the other line is quoted as it is',
    text: 'ARG BASE=alpine:3.20\nFROM ${BASE}\nFROM --platform=$BUILDPLATFORM ${BASE} AS tools\n',
    images: [
      { kind: 'image', line: 1, text: '${BASE}', expanded: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'none', reason: /^ARG BASE is also used by "FROM --platform=\$BUILDPLATFORM \$\{BASE\} AS tools" on line 3 for another platform/ },
      {
        kind: 'image', line: 2, text: '${BASE}', expanded: 'alpine:3.20', familiar: 'alpine:3.20', stage: 'tools', platform: unknownPlatform('$BUILDPLATFORM', 'BUILDPLATFORM'), pin: 'none',
        reason: /^ARG BASE is also used by "FROM \$\{BASE\}" on line 2 for another platform/,
      },
    ],
  },
  {
    name: 'an ARG used by a --platform: no pin in it',
    text: 'ARG V=3.20\nFROM --platform=${V:+linux/amd64} alpine:${V}\n',
    images: [{ kind: 'image', line: 1, text: 'alpine:${V}', expanded: 'alpine:3.20', familiar: 'alpine:3.20', platform: { text: '${V:+linux/amd64}', expanded: 'linux/amd64', unresolved: [] }, pin: 'none', reason: /ARG V is also used by the --platform of "FROM alpine:\$\{V\}" on line 2/ }],
  },
  {
    name: 'registry in an ARG, the tag literal: the pin goes into the image text',
    text: 'ARG REGISTRY=ghcr.io/acme\nFROM ${REGISTRY}/api:2.3.1 AS api\nFROM ${REGISTRY}/web:2.3.1\n',
    images: [
      { kind: 'image', line: 1, text: '${REGISTRY}/api:2.3.1', expanded: 'ghcr.io/acme/api:2.3.1', familiar: 'ghcr.io/acme/api:2.3.1', stage: 'api', pin: 'image', pinText: '${REGISTRY}/api:2.3.1' },
      { kind: 'image', line: 2, text: '${REGISTRY}/web:2.3.1', expanded: 'ghcr.io/acme/web:2.3.1', familiar: 'ghcr.io/acme/web:2.3.1', pin: 'image', pinText: '${REGISTRY}/web:2.3.1' },
    ],
    pinned: `ARG REGISTRY=ghcr.io/acme\nFROM \${REGISTRY}/api:2.3.1@${D} AS api\nFROM \${REGISTRY}/web:2.3.1@${D}\n`,
  },
  {
    name: 'ARG chain in one instruction: ARG A=1 B=x:${A}',
    text: 'ARG MAJOR=3 IMAGE=alpine:${MAJOR}.20\nFROM ${IMAGE}\n',
    images: [{ kind: 'image', line: 1, text: '${IMAGE}', expanded: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'arg IMAGE@0', pinText: 'alpine:${MAJOR}.20' }],
    pinned: `ARG MAJOR=3 IMAGE=alpine:\${MAJOR}.20@${D}\nFROM \${IMAGE}\n`,
  },
  {
    name: '${X:+alt} takes the alternative when X has a value, nothing when not',
    text: 'ARG DEBUG=1\nARG SLIM\nFROM node:20${DEBUG:+-bullseye}\nFROM node:20${SLIM:+-slim}\nFROM node:20${SLIM:+-slim}-alpine\n',
    images: [
      { kind: 'image', line: 2, text: 'node:20${DEBUG:+-bullseye}', expanded: 'node:20-bullseye', familiar: 'node:20-bullseye', pin: 'image', pinText: '-bullseye' },
      { kind: 'image', line: 3, text: 'node:20${SLIM:+-slim}', expanded: 'node:20', familiar: 'node:20', pin: 'none', reason: /ends in \$\{SLIM:\+-slim\}/ },
      { kind: 'image', line: 4, text: 'node:20${SLIM:+-slim}-alpine', expanded: 'node:20-alpine', familiar: 'node:20-alpine', pin: 'image', pinText: 'node:20${SLIM:+-slim}-alpine' },
    ],
    pinned: `ARG DEBUG=1\nARG SLIM\nFROM node:20\${DEBUG:+-bullseye@${D}}\nFROM node:20\${SLIM:+-slim}\nFROM node:20\${SLIM:+-slim}-alpine@${D}\n`,
  },
  {
    name: 'an empty ARG at the end leaves the end open',
    text: 'ARG SUFFIX=\nFROM nginx:1.27${SUFFIX}\n',
    images: [{ kind: 'image', line: 1, text: 'nginx:1.27${SUFFIX}', expanded: 'nginx:1.27', familiar: 'nginx:1.27', pin: 'none', reason: /^The image text ends in \$\{SUFFIX\}, whose value can change/ }],
  },
  {
    // BuildKit's toCommand (frontend/dockerfile/dockerfile2llb/convert.go) lexes --from with no
    // variables and refuses a value that changes: "variable expansion is not supported for --from".
    name: 'COPY --from with a variable in any form: refused as BuildKit refuses it, whatever ARG or ENV is in scope',
    text: 'ARG NGINX=nginx:1.27\nFROM alpine:3.20\nARG NGINX\nARG TOOLS=alpine/git:2.45\nENV CERTS=alpine:3.20\nCOPY --from=${TOOLS} /usr/bin/git /usr/bin/git\nCOPY --from=$CERTS /etc/ssl /etc/ssl\nCOPY --from=${TOOLS%:*}:2.46 /x /x\nCOPY --from=${NGINX} /etc/nginx /etc/nginx\nCOPY --from=${PATH_IMAGE:-alpine:3.20} /x /x\nCOPY --from=\'$CERTS\' /y /y\n',
    images: [
      { kind: 'image', line: 1, text: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: 'alpine:3.20' },
      copy({ kind: 'invalid', line: 5, text: '${TOOLS}', pin: 'none', error: /^"COPY --from=\$\{TOOLS\}" uses \$\{TOOLS\}, and BuildKit refuses to build it \("variable expansion is not supported for --from"\); name the image in a stage \(FROM \$\{TOOLS\} AS tools, its ARGs before the first FROM\) and copy --from that stage\.$/ }),
      copy({ kind: 'invalid', line: 6, text: '$CERTS', pin: 'none', error: /"COPY --from=\$CERTS" uses \$\{CERTS\}/ }),
      copy({ kind: 'invalid', line: 7, text: '${TOOLS%:*}:2.46', pin: 'none', error: /variable expansion is not supported for --from/ }),
      copy({ kind: 'invalid', line: 8, text: '${NGINX}', pin: 'none', error: /variable expansion is not supported for --from/ }),
      copy({ kind: 'invalid', line: 9, text: '${PATH_IMAGE:-alpine:3.20}', pin: 'none', error: /variable expansion is not supported for --from/ }),
      // The instruction parser takes the quotes before the lexer sees `$CERTS`.
      copy({ kind: 'invalid', line: 10, text: "'$CERTS'", pin: 'none', error: /uses \$\{CERTS\}/ }),
    ],
    pinned: `ARG NGINX=nginx:1.27\nFROM alpine:3.20@${D}\nARG NGINX\nARG TOOLS=alpine/git:2.45\nENV CERTS=alpine:3.20\nCOPY --from=\${TOOLS} /usr/bin/git /usr/bin/git\nCOPY --from=$CERTS /etc/ssl /etc/ssl\nCOPY --from=\${TOOLS%:*}:2.46 /x /x\nCOPY --from=\${NGINX} /etc/nginx /etc/nginx\nCOPY --from=\${PATH_IMAGE:-alpine:3.20} /x /x\nCOPY --from='$CERTS' /y /y\n`,
  },
  {
    name: 'COPY --from in quotes or with a lone "$": BuildKit takes those as written',
    text: 'FROM alpine:3.20 AS base\nCOPY --from="nginx:1.27" /a /b\nCOPY --from=\'base\' /c /d\nCOPY --from=a$ /e /f\nCOPY --from=a\\\\b /g /h\n',
    images: [
      { kind: 'image', line: 0, text: 'alpine:3.20', familiar: 'alpine:3.20', stage: 'base', pin: 'image', pinText: 'alpine:3.20' },
      copy({ kind: 'image', line: 1, text: '"nginx:1.27"', expanded: 'nginx:1.27', familiar: 'nginx:1.27', pin: 'image', pinText: 'nginx:1.27' }),
      copy({ kind: 'stage', line: 2, text: "'base'", expanded: 'base', pin: 'none' }),
      copy({ kind: 'invalid', line: 3, text: 'a$', pin: 'none', error: /a\$/ }),
      // `\\` is one backslash to the instruction parser, which the lexer then takes as an escape.
      copy({ kind: 'invalid', line: 4, text: 'a\\\\b', pin: 'none', error: /has quotes or escapes left to expand, and BuildKit refuses to build it/ }),
    ],
    pinned: `FROM alpine:3.20@${D} AS base\nCOPY --from="nginx:1.27@${D}" /a /b\nCOPY --from='base' /c /d\nCOPY --from=a$ /e /f\nCOPY --from=a\\\\b /g /h\n`,
  },
  {
    name: 'pattern substitutions expand; an image ending in one is not pinned',
    text: 'ARG GO_VERSION=1.22.5\nFROM golang:${GO_VERSION%.*}-alpine\nFROM golang:${GO_VERSION%.*}\nFROM golang:${GO_VERSION//./-}-x\n',
    images: [
      { kind: 'image', line: 1, text: 'golang:${GO_VERSION%.*}-alpine', expanded: 'golang:1.22-alpine', familiar: 'golang:1.22-alpine', pin: 'image', pinText: 'golang:${GO_VERSION%.*}-alpine' },
      { kind: 'image', line: 2, text: 'golang:${GO_VERSION%.*}', expanded: 'golang:1.22', familiar: 'golang:1.22', pin: 'none', reason: /ends in \$\{GO_VERSION%\.\*\}/ },
      { kind: 'image', line: 3, text: 'golang:${GO_VERSION//./-}-x', expanded: 'golang:1-22-5-x', familiar: 'golang:1-22-5-x', pin: 'image', pinText: 'golang:${GO_VERSION//./-}-x' },
    ],
  },
  {
    name: 'escapes in a pattern stay for the pattern: \\* is a literal star',
    text: 'ARG V=1.2*\nFROM alpine:${V%\\*}\nFROM alpine:${V%\\*}-slim\n',
    images: [
      { kind: 'image', line: 1, text: 'alpine:${V%\\*}', expanded: 'alpine:1.2', familiar: 'alpine:1.2', pin: 'none', reason: /ends in \$\{V%\\\*\}/ },
      { kind: 'image', line: 2, text: 'alpine:${V%\\*}-slim', expanded: 'alpine:1.2-slim', familiar: 'alpine:1.2-slim', pin: 'image', pinText: 'alpine:${V%\\*}-slim' },
    ],
  },
  {
    name: 'an escape BuildKit rejects in a pattern: the line, the pattern and the reason, and no pin',
    text: 'ARG V=v3.20\nFROM alpine:${V#\\v}\nARG T=${V%\\.20}\nFROM alpine:$T AS t\n',
    images: [
      {
        kind: 'invalid', line: 1, text: 'alpine:${V#\\v}', pin: 'none',
        error: /^The image text "alpine:\$\{V#\\v\}" cannot be expanded on line 2: BuildKit rejects the pattern "\\v" in \$\{V#\\v\} \(invalid escape '\\v'\); in a pattern, escape only \*, \?, \\, \} and \/\.$/,
      },
      // An ARG after the first FROM is not in a FROM's scope: T has no value there.
      { kind: 'unresolved', line: 3, text: 'alpine:$T', stage: 't', unresolved: ['T'], pin: 'none' },
    ],
    pinned: 'ARG V=v3.20\nFROM alpine:${V#\\v}\nARG T=${V%\\.20}\nFROM alpine:$T AS t\n',
  },
  {
    name: 'a rejected pattern in a global ARG default: the line of the ARG',
    text: 'ARG V=v3.20\nARG T=${V%\\.20}\nFROM alpine:$T\n',
    images: [{ kind: 'invalid', line: 2, text: 'alpine:$T', pin: 'none', error: /^The image text "alpine:\$T" cannot be expanded on line 2: BuildKit rejects the pattern "\\\.20" in \$\{V%\\\.20\} \(invalid escape '\\\.'\)/ }],
    pinned: 'ARG V=v3.20\nARG T=${V%\\.20}\nFROM alpine:$T\n',
  },
  {
    name: 'quoted image text and an escaped character',
    text: 'FROM "nginx:1.27" AS q\nFROM alpine:3\\.20\n',
    images: [
      { kind: 'image', line: 0, text: '"nginx:1.27"', expanded: 'nginx:1.27', familiar: 'nginx:1.27', stage: 'q', pin: 'image', pinText: 'nginx:1.27' },
      { kind: 'image', line: 1, text: 'alpine:3\\.20', expanded: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: 'alpine:3\\.20' },
    ],
    pinned: `FROM "nginx:1.27@${D}" AS q\nFROM alpine:3\\.20@${D}\n`,
  },
  {
    name: 'an image text split by a line continuation',
    text: 'FROM ngi\\\nnx:1.27 AS web\n',
    images: [{ kind: 'image', line: 0, text: 'ngi\\\nnx:1.27', expanded: 'nginx:1.27', familiar: 'nginx:1.27', stage: 'web', pin: 'image', pinText: 'ngi\\\nnx:1.27' }],
    pinned: `FROM ngi\\\nnx:1.27@${D} AS web\n`,
  },
  {
    name: 'ONBUILD and RUN --mount=from are not images of this build',
    text: 'FROM alpine:3.20\nONBUILD COPY --from=nginx:1.27 /a /b\nRUN --mount=type=bind,from=golang:1.22,target=/go true\n',
    images: [{ kind: 'image', line: 0, text: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: 'alpine:3.20' }],
  },
  {
    name: 'UTF-16 offsets: emoji and accents before the image, a BOM at the start',
    text: '\uFEFF# 🐳 Größe: ünïcödé\nLABEL note="🐳🐳"\nFROM alpine:3.20 AS 🐳\n',
    images: [{ kind: 'image', line: 2, text: 'alpine:3.20', familiar: 'alpine:3.20', stage: '🐳', pin: 'image', pinText: 'alpine:3.20' }],
    pinned: `\uFEFF# 🐳 Größe: ünïcödé\nLABEL note="🐳🐳"\nFROM alpine:3.20@${D} AS 🐳\n`,
  },
  {
    name: 'lone carriage returns are line breaks too',
    text: 'FROM alpine:3.20\rFROM busybox:1.36\r',
    images: [
      { kind: 'image', line: 0, text: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: 'alpine:3.20' },
      { kind: 'image', line: 1, text: 'busybox:1.36', familiar: 'busybox:1.36', pin: 'image', pinText: 'busybox:1.36' },
    ],
    pinned: `FROM alpine:3.20@${D}\rFROM busybox:1.36@${D}\r`,
  },
  {
    name: 'a pinned ARG default: the digest is replaced and removed there',
    text: `ARG BASE_IMAGE=eclipse-temurin:21-jre@${C64}\nFROM maven:3.9-eclipse-temurin-21 AS build\nFROM \${BASE_IMAGE}\nCOPY --from=build /app.jar /app.jar\n`,
    images: [
      { kind: 'image', line: 1, text: 'maven:3.9-eclipse-temurin-21', familiar: 'maven:3.9-eclipse-temurin-21', stage: 'build', pin: 'image', pinText: 'maven:3.9-eclipse-temurin-21' },
      { kind: 'image', line: 2, text: '${BASE_IMAGE}', expanded: `eclipse-temurin:21-jre@${C64}`, familiar: `eclipse-temurin:21-jre@${C64}`, pin: 'arg BASE_IMAGE@0', pinText: `eclipse-temurin:21-jre@${C64}` },
      copy({ kind: 'stage', line: 3, text: 'build', pin: 'none' }),
    ],
    pinned: `ARG BASE_IMAGE=eclipse-temurin:21-jre@${D}\nFROM maven:3.9-eclipse-temurin-21@${D} AS build\nFROM \${BASE_IMAGE}\nCOPY --from=build /app.jar /app.jar\n`,
    unpinned: 'ARG BASE_IMAGE=eclipse-temurin:21-jre\nFROM maven:3.9-eclipse-temurin-21 AS build\nFROM ${BASE_IMAGE}\nCOPY --from=build /app.jar /app.jar\n',
  },
  {
    name: 'a digest written apart from its "@" cannot be replaced',
    text: `ARG DIGEST=${C64}\nFROM nginx:1.27@\${DIGEST}\n`,
    images: [{ kind: 'image', line: 1, text: 'nginx:1.27@${DIGEST}', expanded: `nginx:1.27@${C64}`, familiar: `nginx:1.27@${C64}`, pin: 'none', reason: /is not written in one piece/ }],
  },
  {
    name: 'an ARG declared after the first FROM is not in scope for later FROMs',
    text: 'FROM alpine:3.20\nARG VERSION=1.36\nFROM busybox:${VERSION}\n',
    images: [
      { kind: 'image', line: 0, text: 'alpine:3.20', familiar: 'alpine:3.20', pin: 'image', pinText: 'alpine:3.20' },
      { kind: 'unresolved', line: 2, text: 'busybox:${VERSION}', unresolved: ['VERSION'], pin: 'none' },
    ],
  },
];

function seen(text: string, image: PinnableImage): Seen {
  const result: Seen = { site: image.site, kind: image.kind, line: image.line, text: image.text, pin: image.pinTarget.kind };
  if (image.expanded !== undefined && image.expanded !== image.text) result.expanded = image.expanded;
  if (image.reference) result.familiar = formatFamiliarReference(image.reference);
  if (image.stageName !== undefined) result.stage = image.stageName;
  if (image.platform) result.platform = image.platform;
  if (image.unresolved.length > 0) result.unresolved = image.unresolved;
  if (image.pinTarget.kind === 'arg') result.pin = `arg ${image.pinTarget.name}@${image.pinTarget.line}`;
  if (image.pinTarget.kind !== 'none') result.pinText = text.slice(image.pinTarget.span.start, image.pinTarget.span.end);
  return result;
}

/** What must hold for every image of every Dockerfile. */
function assertConsistent(text: string, image: PinnableImage): void {
  assert.equal(text.slice(image.span.start, image.span.end), image.text, 'span covers the image text');
  assert.equal(image.kind === 'image', image.reference !== undefined, 'a reference exactly for images');
  assert.equal(image.kind === 'invalid', image.referenceError !== undefined, 'an error exactly for invalid ones');
  assert.equal(image.kind === 'unresolved', image.unresolved.length > 0, 'unresolved names exactly for unresolved ones');
  if (image.kind !== 'image') assert.equal(image.pinTarget.kind, 'none');
  const keyword = text.split(/\r\n|\r|\n/)[image.line]?.replace(/^\uFEFF/, '').trimStart().slice(0, 4).toUpperCase();
  assert.equal(keyword, image.site === 'from' ? 'FROM' : 'COPY', 'line is the instruction keyword line');
}

function pinAll(text: string, digest: string): string {
  const edits = parsePinnableDockerfile(text).images.filter((image) => image.kind === 'image' && image.pinTarget.kind !== 'none').map((image) => pinEdit(text, image, digest));
  return applyEdits(text, edits);
}

function unpinAll(text: string): string {
  const edits = parsePinnableDockerfile(text).images.flatMap((image): TextEdit[] => {
    const edit = image.kind === 'image' && image.pinTarget.kind !== 'none' ? unpinEdit(text, image) : undefined;
    return edit ? [edit] : [];
  });
  return applyEdits(text, edits);
}

describe('parsePinnableDockerfile', () => {
  test(`the table has at least 40 Dockerfiles (${cases.length})`, () => assert.ok(cases.length >= 40));

  for (const testCase of cases) {
    test(testCase.name, () => {
      const parsed = parsePinnableDockerfile(testCase.text);
      assert.equal(parsed.eol, testCase.eol ?? '\n');
      for (const image of parsed.images) assertConsistent(testCase.text, image);
      const expected = testCase.images.map(({ reason: _reason, error: _error, ...image }): Seen => ({ site: 'from', ...image }));
      assert.deepEqual(parsed.images.map((image) => seen(testCase.text, image)), expected);
      testCase.images.forEach(({ reason, error }, index) => {
        const image = parsed.images[index];
        if (reason) assert.match(image?.pinTarget.kind === 'none' ? image.pinTarget.reason : '', reason);
        if (error) assert.match(image?.referenceError ?? '', error);
      });
      if (testCase.pinned !== undefined) assert.equal(pinAll(testCase.text, D), testCase.pinned);
      if (testCase.unpinned !== undefined) assert.equal(unpinAll(testCase.text), testCase.unpinned);
    });
  }
});
