// Image references, following distribution's reference grammar and the docker CLI's
// normalization (`nginx` -> `docker.io/library/nginx:latest`). This is the one reference
// parser of the extension: every other module asks it.

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const MAX_NAME_LENGTH = 255;

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_RE = new RegExp(`^(?:${domainName}|${ipv6})(?::[0-9]+)?$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const SHA256_RE = /^sha256:[a-f0-9]{64}$/;

export interface ImageReference {
  /** Registry host with optional port, normalized: `docker.io`, `localhost:5000`, `[::1]:5000`. */
  domain: string;
  /** Repository path inside the registry: `library/nginx`, `team/app`. */
  path: string;
  tag?: string;
  digest?: string;
}

export class ReferenceError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`Invalid image reference "${input}": ${reason}.`);
    this.name = 'ReferenceError';
  }
}

/** Parses and normalizes a reference as `docker pull` would; throws ReferenceError naming the bad part. */
export function parseReference(input: string): ImageReference {
  const text = input.trim();
  if (text === '') throw new ReferenceError(input, 'it is empty; write a name such as nginx:1.27');
  if (/\s/.test(text)) throw new ReferenceError(input, 'it contains white space');

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    validateDigest(input, digest);
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG_RE.test(tag)) {
      const why = tag.length > 128 ? `is ${tag.length} characters long (at most 128)` : 'may hold only letters, digits, "_", "." and "-", and must not start with "." or "-"';
      throw new ReferenceError(input, `the tag "${truncate(tag)}" ${why}`);
    }
  }

  if (rest === '') throw new ReferenceError(input, 'the repository name is missing');
  const { domain, path } = splitDomain(input, rest);
  if (domain.length + 1 + path.length > MAX_NAME_LENGTH) {
    throw new ReferenceError(input, `the repository name is longer than ${MAX_NAME_LENGTH} characters`);
  }
  return { domain, path, tag, digest };
}

function splitDomain(input: string, name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  let domain = DEFAULT_DOMAIN;
  let path = name;
  if (slash >= 0) {
    const first = name.slice(0, slash);
    // The docker CLI's rule: the first component is a registry only when it looks like a host.
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      if (!DOMAIN_RE.test(first)) throw new ReferenceError(input, `"${first}" is not a valid registry host[:port]`);
      domain = first;
      path = name.slice(slash + 1);
    }
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  for (const component of path.split('/')) {
    if (component === '') throw new ReferenceError(input, 'the repository path has an empty component ("//" or a leading or trailing "/")');
    if (!PATH_COMPONENT_RE.test(component)) {
      const why = component !== component.toLowerCase() ? 'must be lowercase' : 'may hold only a-z, 0-9 and single separators ".", "_", "__" or "-" between them';
      throw new ReferenceError(input, `the path component "${truncate(component)}" ${why}`);
    }
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  return { domain, path };
}

function validateDigest(input: string, digest: string): void {
  if (!DIGEST_RE.test(digest)) {
    throw new ReferenceError(input, `the digest "${truncate(digest)}" is not algorithm:hex (such as sha256: and 64 hex digits)`);
  }
  if (digest.startsWith('sha256:') && !SHA256_RE.test(digest)) {
    throw new ReferenceError(input, `the digest "${truncate(digest)}" must be sha256: and exactly 64 lowercase hex digits`);
  }
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `docker.io/library/nginx` */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** `nginx`, `user/app`, `localhost:5000/app`: the short form the docker CLI shows. */
export function familiarRepositoryName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryName(ref);
  return ref.path.startsWith(OFFICIAL_REPO_PREFIX) ? ref.path.slice(OFFICIAL_REPO_PREFIX.length) : ref.path;
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
