// The user's registry credentials, resolved the way the docker CLI resolves them:
// credHelpers[server] > credsStore > auths in $DOCKER_CONFIG/config.json. Pure apart from
// runCredentialHelper: the file read and the helper run come in as inputs.
// No secret (password, token, base64 auth) ever goes into an error message.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dockerConfigFilePath, type DockerConfigInputs } from './configFile';
import { DescribedError, errorText, jsonErrorPosition } from '../util/errors';

export interface RegistryCredential {
  username?: string;
  password?: string;
  identityToken?: string;
  registryToken?: string;
}

export type CredentialSource = 'credHelpers' | 'credsStore' | 'auths';

export interface ResolvedCredential extends RegistryCredential {
  source: CredentialSource;
  /** helper name for the first two */
  helper?: string;
  /** the config key or server address used */
  serverAddress: string;
}

export interface CredentialInputs extends DockerConfigInputs {
  /** runs docker-credential-<helper> get; default: spawn it from PATH (env.PATH) with a timeout */
  runHelper?: (helper: string, serverAddress: string) => Promise<string>;
  /** Timeout of the default runHelper; DEFAULT_HELPER_TIMEOUT_MS when unset. */
  helperTimeoutMs?: number;
}

export class CredentialError extends DescribedError {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

/** How running a helper went wrong; the resolver words the next step from it. */
export type HelperFailure = 'missing' | 'unstartable' | 'exit' | 'timeout' | 'protocol';

export class CredentialHelperError extends CredentialError {
  constructor(
    readonly helper: string,
    readonly failure: HelperFailure,
    /** Why, as a clause ("it exited with status 2: ..."); never holds a secret. */
    readonly reason: string,
  ) {
    super(`${helperProgram(helper)} get failed: ${reason}. Fix or reinstall ${helperProgram(helper)}, or remove it from your docker config.json.`);
    this.name = 'CredentialHelperError';
  }
}

export const DOCKER_HUB_SERVER_ADDRESS = 'https://index.docker.io/v1/';
export const DEFAULT_HELPER_TIMEOUT_MS = 10_000;
/** What helpers print (exit status 1) when they hold nothing for a server. */
export const CREDENTIALS_NOT_FOUND = 'credentials not found in native keychain';

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const IDENTITY_TOKEN_USERNAME = '<token>';
const MAX_HELPER_OUTPUT_BYTES = 1024 * 1024;
const MAX_QUOTED_MESSAGE = 300;

/** 'docker.io' -> 'https://index.docker.io/v1/', others unchanged */
export function credentialServerAddress(host: string): string {
  return isDockerHub(host) ? DOCKER_HUB_SERVER_ADDRESS : host;
}

export async function resolveDockerCredential(host: string, inputs: CredentialInputs): Promise<ResolvedCredential | undefined> {
  const registry = host.trim();
  if (registry === '') throw new CredentialError('Cannot look up registry credentials: the registry host is empty. Pass a host such as docker.io or localhost:5000.');
  const config = readDockerConfig(inputs);
  if (!config) return undefined;
  const serverAddress = credentialServerAddress(registry);
  const helper = chooseHelper(config, serverAddress);
  if (helper) return credentialFromHelper(helper, { registry, serverAddress, config, inputs });
  return credentialFromAuths(config, registry, serverAddress);
}

/** Spawns `docker-credential-<helper> get` (found on env.PATH), server address on stdin, 10 s timeout, parses the JSON. */
export function runCredentialHelper(
  helper: string,
  serverAddress: string,
  env: Readonly<Record<string, string | undefined>>,
  options: { timeoutMs?: number } = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    // Inside the executor, so a bad name rejects like every other failure.
    const program = helperProgram(helper);
    const child = spawn(program, ['get'], { env: definedEnv(env), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outputBytes = 0;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const fail = (failure: HelperFailure, reason: string): void => settle(() => reject(new CredentialHelperError(helper, failure, reason)));
    const timer = setTimeout(() => {
      stopHelper(child);
      fail('timeout', `it did not answer within ${formatSeconds(timeoutMs)} (it may be waiting for a passphrase or a locked keychain)`);
    }, timeoutMs);
    const collect = (into: Buffer[]) => (chunk: Buffer): void => {
      into.push(chunk);
      outputBytes += chunk.length;
      if (outputBytes <= MAX_HELPER_OUTPUT_BYTES) return;
      stopHelper(child);
      fail('protocol', 'it printed more than 1 MiB');
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') fail('missing', `${program} was not found on PATH`);
      else fail('unstartable', `${program} could not be started (${error.code ?? error.message})`);
    });
    child.on('close', (code, signal) => {
      const out = Buffer.concat(stdout).toString('utf8');
      const err = Buffer.concat(stderr).toString('utf8');
      if (code === 0) return settle(() => resolve(out));
      if (isCredentialsNotFound(out) || isCredentialsNotFound(err)) return settle(() => resolve(CREDENTIALS_NOT_FOUND));
      fail('exit', exitReason(code, signal, err.trim() || out.trim()));
    });
    // A helper may exit before reading stdin; its exit status says what happened, not the EPIPE.
    child.stdin.on('error', () => undefined);
    // docker writes the bare server address, no newline: some helpers do not trim.
    child.stdin.end(serverAddress);
  });
}

/** The X-Registry-Auth header value the Docker Engine API takes: base64url of JSON {username,password,serveraddress} or {identitytoken,serveraddress}. */
export function engineAuthHeader(credential: RegistryCredential, serverAddress: string): string {
  const body = credential.identityToken
    ? { identitytoken: credential.identityToken, serveraddress: serverAddress }
    : credential.registryToken
      ? { registrytoken: credential.registryToken, serveraddress: serverAddress }
      : { username: credential.username ?? '', password: credential.password ?? '', serveraddress: serverAddress };
  return paddedBase64Url(JSON.stringify(body));
}

/** For logs: "credentials for localhost:5000 from credHelpers (docker-credential-pass)" — never the secret. */
export function describeCredential(credential: ResolvedCredential): string {
  const helper = credential.helper ? ` (${helperProgram(credential.helper)})` : '';
  return `credentials for ${credential.serverAddress} from ${credential.source}${helper}`;
}

// --- config.json -------------------------------------------------------------------------

interface DockerConfig {
  filePath: string;
  credHelpers: Record<string, string>;
  credsStore?: string;
  auths: Record<string, unknown>;
}

function readDockerConfig(inputs: CredentialInputs): DockerConfig | undefined {
  const filePath = dockerConfigFilePath(inputs);
  let text: string | undefined;
  try {
    text = inputs.readTextFile(filePath);
  } catch (error) {
    throw new CredentialError(`Cannot read ${filePath} (the docker config that holds your registry credentials): ${errorText(error)}. Check the file's permissions.`);
  }
  if (text === undefined || text.trim() === '') return undefined;
  return parseDockerConfig(text, filePath);
}

function parseDockerConfig(text: string, filePath: string): DockerConfig {
  const malformed = (reason: string): never => {
    throw new CredentialError(`Cannot read the registry credentials in ${filePath}: ${reason}. Fix the file, or move it away and run "docker login" again.`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // JSON.parse may quote the text it choked on, and that text may be a password: give a place only.
    return malformed(`it is not valid JSON${jsonErrorPosition(text, error)}`);
  }
  if (!isObject(parsed)) return malformed('it must hold a JSON object');
  const auths = parsed.auths ?? {};
  const credHelpers = parsed.credHelpers ?? {};
  const credsStore = parsed.credsStore ?? undefined;
  if (!isObject(auths)) return malformed('"auths" must be an object of registry entries');
  if (!isObject(credHelpers)) return malformed('"credHelpers" must be an object of registry to helper name');
  if (!isStringRecord(credHelpers)) {
    const bad = Object.keys(credHelpers).find((key) => typeof credHelpers[key] !== 'string');
    return malformed(`credHelpers["${bad}"] must be a helper name (a string)`);
  }
  if (credsStore !== undefined && typeof credsStore !== 'string') return malformed('"credsStore" must be a helper name (a string)');
  return { filePath, auths, credHelpers, credsStore };
}

// --- credential helpers ------------------------------------------------------------------

interface HelperChoice {
  helper: string;
  source: 'credHelpers' | 'credsStore';
  /** The config setting that named it, for messages: credsStore or credHelpers["host"]. */
  setting: string;
}

interface LookupContext {
  registry: string;
  serverAddress: string;
  config: DockerConfig;
  inputs: CredentialInputs;
}

function chooseHelper(config: DockerConfig, serverAddress: string): HelperChoice | undefined {
  const own = config.credHelpers[serverAddress];
  // docker reads an empty credHelpers entry as "this registry stays in auths", even with a credsStore.
  if (own !== undefined) return own.trim() === '' ? undefined : checkedChoice(config, own.trim(), 'credHelpers', `credHelpers["${serverAddress}"]`);
  const store = config.credsStore?.trim();
  return store ? checkedChoice(config, store, 'credsStore', '"credsStore"') : undefined;
}

function checkedChoice(config: DockerConfig, helper: string, source: HelperChoice['source'], setting: string): HelperChoice {
  if (!isHelperName(helper)) {
    throw new CredentialError(`${setting} in ${config.filePath} names the credential helper "${helper}", which cannot be a program name (it holds a path separator). Write the helper's name only, as in "pass" for docker-credential-pass.`);
  }
  return { helper, source, setting };
}

async function credentialFromHelper(choice: HelperChoice, context: LookupContext): Promise<ResolvedCredential | undefined> {
  const { inputs, serverAddress } = context;
  const run = inputs.runHelper ?? ((helper: string, address: string) => runCredentialHelper(helper, address, inputs.env, { timeoutMs: inputs.helperTimeoutMs }));
  let output: string;
  try {
    output = await run(choice.helper, serverAddress);
  } catch (error) {
    throw helperError(choice, context, error);
  }
  if (isCredentialsNotFound(output)) return undefined;
  const credential = parseHelperOutput(output, choice, context);
  return credential && { ...credential, source: choice.source, helper: choice.helper, serverAddress };
}

/** The helper protocol's answer: {"ServerURL", "Username", "Secret"}; Username "<token>" marks an identity token. */
function parseHelperOutput(output: string, choice: HelperChoice, context: LookupContext): RegistryCredential | undefined {
  const fail = (reason: string): never => {
    throw helperError(choice, context, new CredentialHelperError(choice.helper, 'protocol', reason));
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    // Never quoted: a half-broken answer may still hold the secret.
    return fail(`it printed something that is not JSON (${Buffer.byteLength(output)} bytes)`);
  }
  if (!isObject(parsed)) return fail('it printed JSON that is not an object');
  const username = parsed.Username ?? '';
  const secret = parsed.Secret;
  if (typeof username !== 'string') return fail('it printed a "Username" that is not a string');
  if (typeof secret !== 'string') return fail('it printed JSON without a "Secret"');
  // An empty pair is how docker's own client ends up anonymous: no credentials, not a fault.
  if (secret === '' && username === '') return undefined;
  if (secret === '') return fail('it printed an empty "Secret"');
  return username === IDENTITY_TOKEN_USERNAME ? { identityToken: secret } : { username, password: secret };
}

function helperError(choice: HelperChoice, context: LookupContext, error: unknown): CredentialError {
  const program = helperProgram(choice.helper);
  const failure = error instanceof CredentialHelperError ? error.failure : undefined;
  const reason = error instanceof CredentialHelperError ? error.reason : errorText(error);
  const remove = `remove ${choice.setting} from ${context.config.filePath}`;
  const nextStep: Record<HelperFailure, string> = {
    missing: `Install ${program} and put it on PATH, or ${remove}`,
    unstartable: `Check that ${program} is an executable file, or ${remove}`,
    exit: `Check the helper (for example run "${loginCommand(context.registry)}" again), or ${remove}`,
    timeout: `Unlock the keychain or password store it uses and try again, or ${remove}`,
    protocol: `Check that ${program} is a docker credential helper and up to date, or ${remove}`,
  };
  const next = failure ? nextStep[failure] : `Check the helper, or ${remove}`;
  return new CredentialError(`Cannot get the credentials for ${context.registry} from ${program} (${choice.setting} in ${context.config.filePath}): ${reason}. ${next}.`);
}

function exitReason(code: number | null, signal: NodeJS.Signals | null, message: string): string {
  const how = code === null ? `it was killed by ${signal ?? 'a signal'}` : `it exited with status ${code}`;
  return message === '' ? `${how} and printed nothing` : `${how}: ${quotableHelperMessage(message)}`;
}

/** A helper's own error message, short; withheld when it looks like credentials rather than an error. */
function quotableHelperMessage(message: string): string {
  if (/"Secret"\s*:/i.test(message)) return '(its output looks like credentials, so it is not shown)';
  const oneLine = message.replace(/\s+/g, ' ');
  return oneLine.length > MAX_QUOTED_MESSAGE ? `${oneLine.slice(0, MAX_QUOTED_MESSAGE - 3)}...` : oneLine;
}

function isCredentialsNotFound(output: string): boolean {
  return output.trim().toLowerCase() === CREDENTIALS_NOT_FOUND;
}

function stopHelper(child: ChildProcessWithoutNullStreams): void {
  child.kill('SIGKILL');
  // A grandchild (a shell script's sleep, gpg) can hold the pipes open; do not wait for it.
  child.stdin.destroy();
  child.stdout.destroy();
  child.stderr.destroy();
}

function helperProgram(helper: string): string {
  if (!isHelperName(helper)) throw new CredentialError(`"${helper}" is not a credential helper name: it must not be empty or hold a path separator. Use the name only, as in "pass" for docker-credential-pass.`);
  return `docker-credential-${helper}`;
}

function isHelperName(helper: string): boolean {
  return helper !== '' && !/[/\\]/.test(helper);
}

// --- auths ---------------------------------------------------------------------------------

function credentialFromAuths(config: DockerConfig, registry: string, serverAddress: string): ResolvedCredential | undefined {
  const key = findAuthsKey(Object.keys(config.auths), serverAddress);
  if (key === undefined) return undefined;
  const credential = parseAuthsEntry(config.auths[key], key, registry, config.filePath);
  return credential && { ...credential, source: 'auths', serverAddress: key };
}

/** The exact key first, as docker does; then the first key naming the same host[:port] once scheme and path are gone. */
export function findAuthsKey(keys: readonly string[], serverAddress: string): string | undefined {
  if (keys.includes(serverAddress)) return serverAddress;
  const wanted = canonicalHost(hostOfConfigKey(serverAddress));
  return keys.find((key) => canonicalHost(hostOfConfigKey(key)) === wanted);
}

/** `https://registry.example.com/v2/` -> `registry.example.com` (docker's ConvertToHostname). */
export function hostOfConfigKey(key: string): string {
  const withoutScheme = key.trim().replace(/^https?:\/\//i, '');
  return withoutScheme.split('/')[0] ?? '';
}

function parseAuthsEntry(entry: unknown, key: string, registry: string, filePath: string): RegistryCredential | undefined {
  const malformed = (reason: string): never => {
    throw new CredentialError(`Cannot use the credentials for ${registry} in ${filePath}: auths["${key}"]${reason}. Run "${loginCommand(registry)}" to write the entry again, or fix it by hand.`);
  };
  if (!isObject(entry)) return malformed(' must be an object');
  const field = (name: string): string | undefined => {
    const value = entry[name] ?? undefined;
    if (value === undefined || value === '') return undefined;
    return typeof value === 'string' ? value : malformed(`.${name} must be a string`);
  };
  const auth = field('auth');
  // docker: a non-empty "auth" wins over the older "username"/"password" fields.
  const basic = auth === undefined ? { username: field('username'), password: field('password') } : decodeBasicAuth(auth, malformed);
  const credential = withoutUndefined({ ...basic, identityToken: field('identitytoken'), registryToken: field('registrytoken') });
  return Object.keys(credential).length > 0 ? credential : undefined;
}

function decodeBasicAuth(auth: string, malformed: (reason: string) => never): { username: string; password: string } {
  const text = auth.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 === 1 || (text.includes('=') && text.length % 4 !== 0)) {
    return malformed('.auth is not valid base64');
  }
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return malformed('.auth does not decode to "user:password" (there is no ":")');
  if (colon === 0) return malformed('.auth decodes to an empty user name');
  // Only the first ':' separates: passwords and tokens may hold more. docker trims NULs the same way.
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1).replace(/^\0+|\0+$/g, '') };
}

// --- small things --------------------------------------------------------------------------

function isDockerHub(host: string): boolean {
  return DOCKER_HUB_HOSTS.has(host.trim().toLowerCase());
}

function canonicalHost(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_HOSTS.has(lower) ? 'docker.io' : lower;
}

function loginCommand(registry: string): string {
  return isDockerHub(registry) ? 'docker login' : `docker login ${registry}`;
}

/**
 * Go's base64.URLEncoding, which the engine decodes with: base64url WITH "=" padding. Without the
 * padding the engine's stream decoder drops the last bytes, fails the JSON and pulls anonymously.
 */
function paddedBase64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

function definedEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

function isStringRecord(value: Record<string, unknown>): value is Record<string, string> {
  return Object.values(value).every((item) => typeof item === 'string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The registries your Docker configuration knows (the keys of `auths` and `credHelpers`), as
 * hosts in image references: Docker Hub's key becomes `docker.io`. Sorted, each once.
 */
export function configuredRegistries(inputs: CredentialInputs): string[] {
  const config = readDockerConfig(inputs);
  if (!config) return [];
  const hosts = [...Object.keys(config.auths), ...Object.keys(config.credHelpers)].map((key) => canonicalHost(hostOfConfigKey(key))).filter((host) => host !== '');
  return [...new Set(hosts)].sort();
}
