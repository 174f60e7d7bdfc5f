// Docker contexts as `docker context create` stores them: contexts/meta/<sha256 of the
// name>/meta.json for the endpoint, contexts/tls/<same>/docker/ for its TLS material.

import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { dockerConfigDir, type DockerConfigInputs } from './configFile';

export interface ContextPaths {
  metaPath: string;
  /** Holds ca.pem, cert.pem and key.pem when the context has TLS material. */
  tlsDir: string;
}

export function contextPaths(inputs: Pick<DockerConfigInputs, 'env' | 'homeDir'>, name: string): ContextPaths {
  const id = createHash('sha256').update(name).digest('hex');
  const contexts = path.join(dockerConfigDir(inputs), 'contexts');
  return { metaPath: path.join(contexts, 'meta', id, 'meta.json'), tlsDir: path.join(contexts, 'tls', id, 'docker') };
}

/** The docker endpoint of a context's meta.json; throws JSON.parse's error on bad JSON. */
export function parseContextMeta(text: string): { host: unknown; skipTlsVerify: boolean } {
  const meta = JSON.parse(text) as { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } } | null;
  return { host: meta?.Endpoints?.docker?.Host, skipTlsVerify: meta?.Endpoints?.docker?.SkipTLSVerify === true };
}
