// Which engine to talk to, resolved the way the docker CLI resolves it:
// the layerlens.dockerHost setting > DOCKER_HOST > DOCKER_CONTEXT > currentContext in
// config.json > the default socket. Pure: all file and environment reads come in as inputs.

import * as path from 'node:path';
import { dockerConfigDir, dockerConfigFilePath, type DockerConfigInputs } from '../dockerConfig/configFile';
import { contextPaths, parseContextMeta } from '../dockerConfig/contexts';
import { DescribedError, errorText, jsonErrorPosition } from '../util/errors';

export type EndpointSource = 'setting' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'currentContext' | 'default';

export interface TlsMaterial {
  /** Verify the engine's certificate against `ca` (DOCKER_TLS_VERIFY, or a context without SkipTLSVerify). */
  verify: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  /** Where the material came from, for messages. */
  certPath: string;
}

export type EngineEndpoint =
  | { kind: 'unix' | 'npipe'; url: string; source: EndpointSource; context?: string; socketPath: string }
  | { kind: 'tcp'; url: string; source: EndpointSource; context?: string; host: string; port: number; tls?: TlsMaterial }
  | { kind: 'ssh'; url: string; source: EndpointSource; context?: string; host: string; port: number; username?: string };

export interface EndpointInputs extends DockerConfigInputs {
  /** The layerlens.dockerHost setting ('' when unset). */
  setting?: string;
  platform: NodeJS.Platform;
}

export class EndpointError extends DescribedError {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

const SOURCE_LABELS: Record<EndpointSource, string> = {
  setting: 'the layerlens.dockerHost setting',
  DOCKER_HOST: 'DOCKER_HOST',
  DOCKER_CONTEXT: 'DOCKER_CONTEXT',
  currentContext: 'currentContext in config.json',
  default: 'the default',
};

export function describeSource(source: EndpointSource): string {
  return SOURCE_LABELS[source];
}

export function defaultHost(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';
}

export function resolveEngineEndpoint(inputs: EndpointInputs): EngineEndpoint {
  const setting = nonEmpty(inputs.setting);
  if (setting) return parseDockerHost(setting, 'setting', hostTls(inputs));

  const dockerHost = nonEmpty(inputs.env.DOCKER_HOST);
  if (dockerHost) return parseDockerHost(dockerHost, 'DOCKER_HOST', hostTls(inputs));

  const envContext = nonEmpty(inputs.env.DOCKER_CONTEXT);
  if (envContext) return resolveContext(inputs, envContext, 'DOCKER_CONTEXT');

  const currentContext = readCurrentContext(inputs);
  if (currentContext) return resolveContext(inputs, currentContext, 'currentContext');

  return parseDockerHost(defaultHost(inputs.platform), 'default');
}

/** Parses a host value (`unix:///path`, `tcp://h:p`, `ssh://user@h`, `npipe:////./pipe/x`). */
export function parseDockerHost(value: string, source: EndpointSource, tls?: TlsMaterial, context?: string): EngineEndpoint {
  const raw = value.trim();
  const from = context ? `context "${context}" (${describeSource(source)})` : describeSource(source);
  const fail = (reason: string): never => {
    throw new EndpointError(
      `"${redactPassword(raw)}" from ${from} is not a Docker host: ${reason}. Use unix:///path/to/docker.sock, tcp://host:2376, ssh://user@host or npipe:////./pipe/docker_engine.`,
    );
  };
  // A bare absolute path is taken as a socket: people paste the path they see in `ls`.
  if (raw.startsWith('/')) return { kind: 'unix', url: `unix://${raw}`, source, context, socketPath: raw };

  const scheme = /^([a-z]+):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (!scheme) fail('it has no scheme');
  const rest = raw.slice(`${scheme}://`.length);
  switch (scheme) {
    case 'unix': {
      if (!rest.startsWith('/')) fail('a unix socket needs an absolute path, as in unix:///var/run/docker.sock');
      return { kind: 'unix', url: raw, source, context, socketPath: rest };
    }
    case 'npipe': {
      const pipe = rest.replace(/\//g, '\\');
      if (!pipe.startsWith('\\\\')) fail('a named pipe looks like npipe:////./pipe/docker_engine');
      return { kind: 'npipe', url: raw, source, context, socketPath: rest };
    }
    case 'tcp':
    case 'http':
    case 'https': {
      const url = tryUrl(`http://${rest}`) ?? fail('the host or port is malformed');
      if (!url.hostname) fail('the host is missing');
      if (url.username || url.password) fail('credentials do not belong in a tcp:// host; use TLS certificates');
      const withTls = scheme === 'https' ? (tls ?? { verify: true, certPath: '' }) : tls;
      const port = url.port ? Number(url.port) : withTls ? 2376 : 2375;
      return { kind: 'tcp', url: raw, source, context, host: stripBrackets(url.hostname), port, tls: withTls };
    }
    case 'ssh': {
      const url = tryUrl(raw) ?? fail('the user, host or port is malformed');
      if (!url.hostname) fail('the host is missing');
      if (url.password) fail('a password does not belong in an ssh:// host; use an SSH key or agent');
      const port = url.port ? Number(url.port) : 22;
      return { kind: 'ssh', url: raw, source, context, host: stripBrackets(url.hostname), port, username: url.username ? decodeURIComponent(url.username) : undefined };
    }
    default:
      return fail(`the scheme "${scheme}" is not supported`);
  }
}

/** The endpoint as shown to people: never carries a secret. */
export function describeEndpoint(endpoint: EngineEndpoint): string {
  return endpoint.url;
}

function hostTls(inputs: EndpointInputs): TlsMaterial | undefined {
  const verify = nonEmpty(inputs.env.DOCKER_TLS_VERIFY) !== undefined;
  const tls = verify || nonEmpty(inputs.env.DOCKER_TLS) !== undefined;
  if (!tls) return undefined;
  const certPath = nonEmpty(inputs.env.DOCKER_CERT_PATH) ?? dockerConfigDir(inputs);
  return readTlsMaterial(inputs, certPath, verify, 'DOCKER_CERT_PATH');
}

function readTlsMaterial(inputs: EndpointInputs, certPath: string, verify: boolean, what: string): TlsMaterial {
  const read = (name: string): string | undefined => {
    try {
      return inputs.readTextFile(path.join(certPath, name));
    } catch (error) {
      throw new EndpointError(`Cannot read ${path.join(certPath, name)} (${what}): ${errorText(error)}. Check the file's permissions.`);
    }
  };
  const material: TlsMaterial = { verify, certPath, ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
  if (verify && !material.ca) {
    throw new EndpointError(`TLS verification is on but ${path.join(certPath, 'ca.pem')} does not exist. Put the engine's CA there, or set DOCKER_CERT_PATH to the folder that has ca.pem, cert.pem and key.pem.`);
  }
  if (Boolean(material.cert) !== Boolean(material.key)) {
    throw new EndpointError(`${certPath} has ${material.cert ? 'cert.pem but no key.pem' : 'key.pem but no cert.pem'}; a client certificate needs both.`);
  }
  return material;
}

function readCurrentContext(inputs: EndpointInputs): string | undefined {
  const configPath = dockerConfigFilePath(inputs);
  const text = readOrFail(inputs, configPath, 'the docker config');
  if (text === undefined || text.trim() === '') return undefined;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    // Not JSON.parse's own text: Node quotes the input in it, and config.json holds secrets.
    throw new EndpointError(`Cannot read ${configPath}: it is not valid JSON${jsonErrorPosition(text, error)}. Fix the file, or set layerlens.dockerHost.`);
  }
  const current = (config as { currentContext?: unknown } | null)?.currentContext;
  if (current !== undefined && typeof current !== 'string') {
    throw new EndpointError(`Cannot read ${configPath}: "currentContext" must be a string. Fix the file, or set layerlens.dockerHost.`);
  }
  return nonEmpty(current);
}

function resolveContext(inputs: EndpointInputs, name: string, source: EndpointSource): EngineEndpoint {
  if (name === 'default') return parseDockerHost(defaultHost(inputs.platform), source, undefined, name);
  const { metaPath, tlsDir } = contextPaths(inputs, name);
  const text = readOrFail(inputs, metaPath, `Docker context "${name}"`);
  if (text === undefined) {
    throw new EndpointError(
      `Docker context "${name}" (from ${describeSource(source)}) does not exist: there is no ${metaPath}. Run "docker context ls" to see your contexts, or ${source === 'DOCKER_CONTEXT' ? 'unset DOCKER_CONTEXT' : 'run "docker context use default"'}.`,
    );
  }
  let host: unknown;
  let skipTlsVerify = false;
  try {
    ({ host, skipTlsVerify } = parseContextMeta(text));
  } catch (error) {
    throw new EndpointError(`Docker context "${name}" is damaged: ${metaPath} is not valid JSON (${errorText(error)}). Recreate it with "docker context create".`);
  }
  if (typeof host !== 'string' || host.trim() === '') {
    throw new EndpointError(`Docker context "${name}" has no docker endpoint in ${metaPath}. Recreate it with "docker context create ${name} --docker host=...".`);
  }
  const hasTls = host.startsWith('tcp://') && (readOrFail(inputs, path.join(tlsDir, 'ca.pem'), `context "${name}"`) !== undefined || readOrFail(inputs, path.join(tlsDir, 'cert.pem'), `context "${name}"`) !== undefined);
  const tls = hasTls ? readTlsMaterial(inputs, tlsDir, !skipTlsVerify, `context "${name}"`) : undefined;
  return parseDockerHost(host, source, tls, name);
}

function readOrFail(inputs: EndpointInputs, filePath: string, what: string): string | undefined {
  try {
    return inputs.readTextFile(filePath);
  } catch (error) {
    throw new EndpointError(`Cannot read ${filePath} (${what}): ${errorText(error)}. Check the file's permissions, or set layerlens.dockerHost.`);
  }
}

function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** `ssh://me:secret@host` -> `ssh://me:***@host`: a refused value is quoted back, its password never. */
function redactPassword(value: string): string {
  return value.replace(/^([a-z]+:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
