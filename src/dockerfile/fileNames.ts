// The one rule for "is this a Dockerfile", by its base name (case-insensitive, as Windows and
// macOS file systems are, and as `docker build -f` takes any name): `Dockerfile`,
// `Containerfile`, `*.Dockerfile`, `Dockerfile.*` and the same for Containerfile, but never
// `<name>.dockerignore`, which BuildKit reads next to a Dockerfile as its ignore file.
// VS Code's globs are case-sensitive and cannot exclude, so DOCKERFILE_GLOB is a wider net
// spelled out in both cases; what it catches is decided here.

const KINDS = ['dockerfile', 'containerfile'] as const;
const IGNORE_SUFFIX = '.dockerignore';

function baseName(fileName: string): string {
  return (fileName.split(/[\\/]/).pop() ?? '').toLowerCase();
}

export function isDockerfileName(fileName: string): boolean {
  const name = baseName(fileName);
  if (name.endsWith(IGNORE_SUFFIX)) return false;
  return KINDS.some((kind) => name === kind || name.startsWith(`${kind}.`) || (name.endsWith(`.${kind}`) && name.length > kind.length + 1));
}

/**
 * A document is a Dockerfile when its name says so, or when VS Code (or the user) set its
 * language to dockerfile; an ignore file is not one whatever its language.
 */
export function isDockerfileDocument(languageId: string, fileName: string): boolean {
  if (baseName(fileName).endsWith(IGNORE_SUFFIX)) return false;
  return languageId === 'dockerfile' || isDockerfileName(fileName);
}

/** `[Dd][Oo]...`: a glob piece that matches the word in any case. */
function anyCase(word: string): string {
  return [...word].map((char) => (char.toLowerCase() === char.toUpperCase() ? char : `[${char.toUpperCase()}${char.toLowerCase()}]`)).join('');
}

/** Every name isDockerfileName accepts, in any case (and a few it refuses, filtered by it). */
export const DOCKERFILE_GLOB = `**/{${KINDS.flatMap((kind) => [anyCase(kind), `*.${anyCase(kind)}`, `${anyCase(kind)}.*`]).join(',')}}`;
