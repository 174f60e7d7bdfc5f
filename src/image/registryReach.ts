// Why a registry could not be reached, in the words every part uses (the registry client, pull
// and push, pinning): a reason and the next step. A name that does not resolve is "no network or
// DNS" for a registry known to exist (a public one, one the user configured, one that answered in
// this session) and a likely typo otherwise: offline, both look the same to the resolver.

import { type ConnectionFailure, portProblem } from '../util/connectionFailure';

/** Public registries, by host name or domain suffix (`.pkg.dev` covers `europe-docker.pkg.dev`). */
const WELL_KNOWN_HOSTS = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
  'hub.docker.com',
  'ghcr.io',
  'docker.pkg.github.com',
  'quay.io',
  'gcr.io',
  'k8s.gcr.io',
  'registry.k8s.io',
  'mcr.microsoft.com',
  'public.ecr.aws',
  'registry.gitlab.com',
  'nvcr.io',
  'cgr.dev',
  'registry.access.redhat.com',
  'registry.redhat.io',
  'docker.elastic.co',
]);
const WELL_KNOWN_SUFFIXES = ['.gcr.io', '.pkg.dev', '.amazonaws.com', '.azurecr.io', '.icr.io', '.ocir.io'];

/** `Registry.Example.com:5000` -> `registry.example.com`; `[::1]:5000` -> `[::1]`. */
export function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  return lower.split(':')[0] ?? lower;
}

/** The port written in a host (`127.0.0.1:1` -> 1), if any. */
export function hostPort(host: string): number | undefined {
  const port = /:(\d+)$/.exec(host.trim())?.[1];
  return port === undefined ? undefined : Number(port);
}

export function isWellKnownRegistry(host: string): boolean {
  const name = hostName(host);
  return WELL_KNOWN_HOSTS.has(name) || WELL_KNOWN_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** The registries known to exist: well-known ones, the configured ones, and those that answered in this session. */
export class KnownRegistries {
  private readonly answered = new Set<string>();

  /** `configured` may throw (a broken Docker config): then only the others count. */
  constructor(private readonly configured: () => Iterable<string> = () => []) {}

  /** The registry answered (any HTTP status): its name resolved then. */
  noteAnswered(host: string): void {
    this.answered.add(host.trim().toLowerCase());
  }

  isKnown(host: string): boolean {
    const lower = host.trim().toLowerCase();
    if (isWellKnownRegistry(lower) || this.answered.has(lower)) return true;
    try {
      for (const entry of this.configured()) if (entry.trim().toLowerCase() === lower) return true;
    } catch {
      // An unreadable Docker config names no registry.
    }
    return false;
  }
}

export interface ReachWords {
  /** After "Cannot reach docker.io: ", without a full stop. */
  reason: string;
  /** A whole sentence. */
  next: string;
}

export interface ReachOptions {
  /** The registry is known to exist (KnownRegistries.isKnown). */
  known: boolean;
  /** What to do again once online: "Pin", "Pull", "Push" (default "Try"). */
  again?: string;
}

/** The reason and the next step for a failure to connect to `host`. */
export function describeReachFailure(host: string, failure: ConnectionFailure, options: ReachOptions): ReachWords {
  const again = options.again ?? 'Try';
  const offline = { reason: 'no network or DNS', next: `${again} again when online (or check the DNS and proxy settings).` };
  switch (failure.kind) {
    case 'blocked-port': {
      const port = hostPort(host);
      const reason = (port !== undefined ? portProblem(port) : undefined) ?? 'its port is one Node\'s fetch refuses to connect to (a blocked port)';
      return { reason, next: 'Use the registry\'s real port.' };
    }
    case 'refused':
      return { reason: 'connection refused', next: `Check that the registry at ${host} is running and the port is right.` };
    case 'unknown-host':
      return options.known ? offline : { reason: `the host name ${hostName(host)} does not resolve`, next: 'Check the registry address.' };
    case 'no-dns':
      return offline;
    case 'unreachable':
      return { reason: `no network route to ${host}`, next: `Check the network connection, then ${again.toLowerCase()} again.` };
    case 'timeout':
      return { reason: `${host} did not answer in time`, next: 'Check the network, or try again later.' };
    case 'reset':
      return { reason: `${host} closed the connection`, next: 'Check that the address is the registry\'s (and whether it speaks TLS), then try again.' };
  }
}
