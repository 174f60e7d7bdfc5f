// Image references, following distribution's reference grammar (github.com/distribution/reference:
// regexp.go, reference.go, normalize.go) and the docker CLI's normalization
// (`nginx` -> `docker.io/library/nginx`, `:latest` added by withDefaultTag). This is the one
// reference parser of the extension: every other module asks it.
//
//   reference  := name [ ":" tag ] [ "@" digest ]
//   name       := [ domain "/" ] path
//   domain     := host [ ":" port ]        host: domain-name | IPv4 | "[" IPv6 "]"; may hold uppercase
//   path       := component [ "/" component ]*   at most 255 characters once normalized
//   component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//   tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//   digest     := sha256:<64 hex> | sha384:<96 hex> | sha512:<128 hex>, lowercase hex (go-digest)
//
// Choices, where the engine leaves room:
// - Leading and trailing white space is trimmed (people paste into input boxes); any other white
//   space is an error.
// - The first path element is a registry only when it is `localhost`, holds a "." or ":", or holds
//   an uppercase letter (splitDockerDomain). A first element with a "." that is not a valid host,
//   such as `a_b.c/x`, is rejected (distribution would take it, domain-less, as a path).
// - A bare 64-character lowercase hex string is rejected, as ParseNormalizedNamed does (`docker pull`,
//   `docker tag`): docker reserves it for image IDs. `docker.io/<64 hex>`, `user/<64 hex>` and
//   `<64 hex>:tag` are names, as in docker.
// - The 255-character limit applies to the normalized path (`library/` included) and not to the
//   registry host, as in distribution/reference v0.6 (distribution/reference#9).

import { DescribedError } from '../util/errors';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const MAX_PATH_LENGTH = 255;
const MAX_TAG_LENGTH = 128;

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const HOST_RE = new RegExp(`^(?:${domainName}|${ipv6})$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_ALGORITHM_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*$/;
const IDENTIFIER_RE = /^[a-f0-9]{64}$/;
/** Hex digits per supported algorithm, as go-digest registers them. */
const DIGEST_HEX_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

export interface ImageReference {
  /** Registry host with optional port, normalized: `docker.io`, `localhost:5000`, `[::1]:5000`. */
  domain: string;
  /** Repository path inside the registry: `library/nginx`, `team/app`. */
  path: string;
  tag?: string;
  digest?: string;
}

export class ImageReferenceError extends DescribedError {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`Invalid image reference "${truncate(input, 80)}": ${reason}.`);
    this.name = 'ImageReferenceError';
  }
}

/** Parses and normalizes a reference as `docker pull` would; throws ImageReferenceError naming the bad part. */
export function parseReference(input: string): ImageReference {
  const fail: Fail = (reason) => {
    throw new ImageReferenceError(input, reason);
  };
  const text = input.trim();
  if (text === '') fail('it is empty; write a name such as nginx:1.27');
  if (/\s/.test(text)) fail('it contains white space; an image reference has none');
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(text);
  if (scheme) fail(`leave out "${scheme[0]}": an image reference has no scheme, as in ghcr.io/org/app:1`);
  if (IDENTIFIER_RE.test(text)) {
    fail('a bare 64-digit hex string is an image ID, not a repository name; write a name such as app:1 or app@sha256:<digest>');
  }

  let name = text;
  let digest: string | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
    if (digest === '') fail('the digest after "@" is missing; write it as sha256: and 64 hex digits');
    if (name === '') fail('the repository name before "@" is missing');
    validateDigest(fail, digest);
  }

  if (name.startsWith('[') && !name.includes('/')) {
    fail(`"${truncate(name)}" is only a registry host; add "/" and a repository path, as in ${truncate(name)}/app`);
  }

  let tag: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (name === '') fail(`the repository name before ":${truncate(tag)}" is missing`);
    validateTag(fail, tag);
  }

  const { domain, path } = splitDomain(fail, name);
  if (path.length > MAX_PATH_LENGTH) {
    fail(`the repository path "${truncate(path)}" is ${path.length} characters long (at most ${MAX_PATH_LENGTH})`);
  }
  const ref: ImageReference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

type Fail = (reason: string) => never;

/** The docker CLI's splitDockerDomain, then distribution's grammar for the host and each path component. */
function splitDomain(fail: Fail, name: string): { domain: string; path: string } {
  let domain = DEFAULT_DOMAIN;
  let path = name;
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const first = name.slice(0, slash);
    if (first === 'localhost' || first.includes('.') || first.includes(':') || first !== first.toLowerCase()) {
      validateHost(fail, first);
      domain = first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first;
      path = name.slice(slash + 1);
    }
  }
  for (const component of path.split('/')) validatePathComponent(fail, component);
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  return { domain, path };
}

function validateHost(fail: Fail, hostAndPort: string): void {
  let host = hostAndPort;
  let port: string | undefined;
  const portColon = host.startsWith('[') ? host.indexOf(':', host.indexOf(']')) : host.indexOf(':');
  if (portColon >= 0) {
    port = host.slice(portColon + 1);
    host = host.slice(0, portColon);
  }
  const quoted = `"${truncate(hostAndPort)}"`;
  if (!host.startsWith('[') && port !== undefined && port.includes(':')) {
    fail(`the registry host ${quoted} looks like an IPv6 address; write it in brackets, as in [::1]:5000`);
  }
  if (!HOST_RE.test(host)) {
    fail(`the registry host ${quoted} is not a valid host name, IPv4 address or [IPv6] address`);
  }
  if (port !== undefined && !/^[0-9]+$/.test(port)) {
    fail(`the registry port "${truncate(port)}" in ${quoted} must be a number`);
  }
}

function validatePathComponent(fail: Fail, component: string): void {
  if (PATH_COMPONENT_RE.test(component)) return;
  if (component === '') fail('the repository path has an empty component ("//", or a "/" at the start or end)');
  const quoted = `the path component "${truncate(component)}"`;
  if (component !== component.toLowerCase()) fail(`${quoted} must be lowercase`);
  const bad = /[^a-z0-9._-]/u.exec(component);
  if (bad) fail(`${quoted} contains "${bad[0]}"; use only a-z, 0-9, ".", "_" and "-"`);
  if (!/^[a-z0-9]/.test(component)) fail(`${quoted} must start with a letter or digit`);
  if (!/[a-z0-9]$/.test(component)) fail(`${quoted} must end with a letter or digit`);
  const run = /[._-]{2,}/g;
  for (let match = run.exec(component); match; match = run.exec(component)) {
    const separator = match[0];
    if (separator !== '__' && !/^-+$/.test(separator)) {
      fail(`${quoted} has "${separator}" between letters; only ".", "_", "__" or a run of "-" may separate them`);
    }
  }
  fail(`${quoted} may hold only a-z, 0-9 and single separators ".", "_", "__" or "-" between them`);
}

function validateTag(fail: Fail, tag: string): void {
  if (TAG_RE.test(tag)) return;
  if (tag === '') fail('the tag after ":" is missing; write a tag such as :latest, or leave out the ":"');
  const quoted = `the tag "${truncate(tag)}"`;
  if (tag.length > MAX_TAG_LENGTH) fail(`${quoted} is ${tag.length} characters long (at most ${MAX_TAG_LENGTH})`);
  const bad = /[^\w.-]/u.exec(tag);
  if (bad) fail(`${quoted} contains "${bad[0]}"; a tag holds only letters, digits, "_", "." and "-"`);
  fail(`${quoted} must start with a letter, digit or "_"`);
}

function validateDigest(fail: Fail, digest: string): void {
  const quoted = `the digest "${truncate(digest)}"`;
  const colon = digest.indexOf(':');
  const algorithm = colon >= 0 ? digest.slice(0, colon) : '';
  if (colon < 0 || !DIGEST_ALGORITHM_RE.test(algorithm)) {
    fail(`${quoted} is not algorithm:hex, such as sha256: and 64 hex digits`);
  }
  const hex = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTHS.get(algorithm);
  if (length === undefined) {
    fail(`${quoted} uses the algorithm "${truncate(algorithm)}"; the engine knows only sha256, sha384 and sha512`);
  }
  if (!/^[0-9a-fA-F]+$/.test(hex)) fail(`${quoted} must be ${algorithm}: and ${length} hex digits (0-9, a-f)`);
  if (hex.length !== length) fail(`${quoted} has ${hex.length} hex digits; ${algorithm} needs exactly ${length}`);
  if (hex !== hex.toLowerCase()) fail(`${quoted} must be in lowercase hex`);
}

function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** `docker.io/library/nginx` */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/**
 * `nginx`, `user/app`, `localhost:5000/app`: the short form the docker CLI shows. As in distribution's
 * familiarizeName, `library/` is dropped only from single-component names: `library/foo/bar` stays.
 */
export function familiarRepositoryName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryName(ref);
  if (ref.path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
    if (!rest.includes('/')) return rest;
  }
  return ref.path;
}

/** The full form: `docker.io/library/nginx:1.27@sha256:...`. */
export function formatReference(ref: ImageReference): string {
  return repositoryName(ref) + suffix(ref);
}

/** The familiar form: `nginx:1.27`. */
export function formatFamiliarReference(ref: ImageReference): string {
  return familiarRepositoryName(ref) + suffix(ref);
}

function suffix(ref: ImageReference): string {
  return (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** Adds `latest` when a reference has neither tag nor digest, as `docker pull` does. */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: 'latest' } : ref;
}
