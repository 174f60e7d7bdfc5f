// Dockerode clients for an endpoint, and the probe that tells which engine answers.

import * as https from 'node:https';
import type Dockerode from 'dockerode';
import { type EngineEndpoint } from './connection';
import { EngineError } from './errors';

/** Engines older than this lack fields and filters the views rely on (Docker 17.06). */
export const MIN_API_VERSION = '1.30';
const REQUEST_TIMEOUT_MS = 60_000;

export interface EngineInfo {
  /** "Docker Engine" or "Podman". */
  product: string;
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
}

export interface DockerClients {
  /** For request/response calls: a stalled engine times out. */
  calls: Dockerode;
  /** For long-lived streams (events, pull, push): no idle timeout. */
  streams: Dockerode;
}

/**
 * dockerode is loaded here, on first use, not at activation: requiring it (with ssh2 and
 * grpc) costs tens of milliseconds that a window opening without the view should not pay.
 */
export async function createDockerClients(endpoint: EngineEndpoint): Promise<DockerClients> {
  const { default: Dockerode } = await import('dockerode');
  return {
    calls: new Dockerode({ ...dockerodeOptions(endpoint), timeout: REQUEST_TIMEOUT_MS }),
    streams: new Dockerode(dockerodeOptions(endpoint)),
  };
}

function dockerodeOptions(endpoint: EngineEndpoint): Dockerode.DockerOptions {
  switch (endpoint.kind) {
    case 'unix':
    case 'npipe':
      return { socketPath: endpoint.socketPath };
    case 'tcp': {
      const tls = endpoint.tls;
      if (!tls) return { host: endpoint.host, port: endpoint.port, protocol: 'http' };
      return {
        host: endpoint.host,
        port: endpoint.port,
        protocol: 'https',
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        // DOCKER_TLS without DOCKER_TLS_VERIFY, or a context with SkipTLSVerify: encrypt, don't verify.
        agent: tls.verify ? undefined : new https.Agent({ rejectUnauthorized: false, ca: tls.ca, cert: tls.cert, key: tls.key }),
      } as Dockerode.DockerOptions;
    }
    case 'ssh':
      return {
        protocol: 'ssh',
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        sshOptions: { agent: process.env.SSH_AUTH_SOCK },
      };
  }
}

interface VersionResponse {
  Version?: string;
  ApiVersion?: string;
  Os?: string;
  Arch?: string;
  Components?: Array<{ Name?: string; Version?: string }>;
}

/** GET /version: which engine this is, refusing engines too old to serve the views. */
export async function probeEngine(docker: Dockerode, endpoint: EngineEndpoint): Promise<EngineInfo> {
  const version = (await docker.version()) as VersionResponse;
  const podman = version.Components?.find((component) => /podman/i.test(component.Name ?? ''));
  const info: EngineInfo = {
    product: podman ? 'Podman' : 'Docker Engine',
    version: podman?.Version ?? version.Version ?? 'unknown',
    apiVersion: version.ApiVersion ?? '0',
    os: version.Os ?? 'unknown',
    arch: version.Arch ?? 'unknown',
  };
  if (compareApiVersions(info.apiVersion, MIN_API_VERSION) < 0) {
    throw new EngineError(
      'too-old',
      `${info.product} ${info.version} at ${endpoint.url} speaks API ${info.apiVersion}; Layerlens needs API ${MIN_API_VERSION} or newer (Docker 17.06+). Upgrade the engine, or point layerlens.dockerHost at a newer one.`,
    );
  }
  return info;
}

export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const pb = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

export function describeEngine(info: EngineInfo): string {
  return `${info.product} ${info.version}`;
}
