// Registry authentication as distribution specifies it (docs/spec/auth/token.md, oauth.md): try
// anonymously, and on 401 follow the WWW-Authenticate challenge: Basic with the user's
// credential, or Bearer through the token realm (GET with Basic, or the OAuth2 refresh_token
// grant for an identity token). Tokens are cached per (registry, scope) until shortly before
// they expire. Requests go through http.ts (retries, redirects that keep the credential on the
// token service's origin, a size cap). Pure: fetch, the clock and the credential lookup come in
// as inputs.
// No secret ever goes into an error message.

import { type RegistryCredential } from '../dockerConfig/credentials';
import { RegistryHttp, type HttpOptions } from './http';
import { loginHint, RegistryError, type RegistryErrorDetails, registryErrorBody, type RequestSubject, shorten, subjectText } from './httpErrors';

export interface AuthChallenge {
  /** Lowercased: `bearer`, `basic`, ... */
  scheme: string;
  /** Parameter names lowercased; values unquoted. */
  params: Record<string, string>;
}

export type CredentialGetter = (host: string) => Promise<RegistryCredential | undefined>;

export interface AuthenticatorOptions {
  /** Registry host as in references: `docker.io`, `127.0.0.1:5000`. */
  registry: string;
  getCredential: CredentialGetter;
  /** The registry client's own HTTP path, else one made from `httpOptions`. */
  http?: RegistryHttp;
  httpOptions?: HttpOptions;
  /** Clock in ms (tests). */
  now?: () => number;
}

/** Token lifetime when the token service does not say (the spec's default). */
export const DEFAULT_TOKEN_LIFETIME_S = 60;
/** A token is renewed this long before it expires (at most half its lifetime). */
export const TOKEN_EXPIRY_MARGIN_S = 10;
const OAUTH_CLIENT_ID = 'layerlens';
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

const TOKEN_CHARS = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * Parses a WWW-Authenticate value into its challenges (RFC 7235): `Bearer realm="https://a/t",
 * service="reg",scope="repository:x:pull,push", Basic realm="r"`. Quoted values may hold commas and
 * backslash escapes. A token68 (`Negotiate abc==`) is kept as the parameter `token68`.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  let i = 0;
  const n = header.length;
  const skipSpaces = (): void => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && TOKEN_CHARS.test(header[i] ?? '')) i++;
    return header.slice(start, i);
  };
  while (i < n) {
    skipSpaces();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const token = readToken();
    if (token === '') {
      i++; // not a token character: skip it
      continue;
    }
    skipSpaces();
    if (header[i] === '=' && current) {
      i++;
      skipSpaces();
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++; // closing quote
      } else {
        const start = i;
        while (i < n && header[i] !== ',' && header[i] !== ' ' && header[i] !== '\t') i++;
        value = header.slice(start, i);
      }
      current.params[token.toLowerCase()] = value;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
      // token68: `Negotiate abc==` (the "=" run ends it; no "name=value" follows).
      const token68 = /^([A-Za-z0-9._~+/-]+=*)\s*(?:,|$)/.exec(header.slice(i));
      if (token68?.[1]) {
        current.params.token68 = token68[1];
        i += token68[1].length;
      }
    }
  }
  return challenges;
}

interface CachedToken {
  header: string;
  /** ms since epoch after which the token is not used again */
  renewAt: number;
}

export class RegistryAuthenticator {
  private readonly registry: string;
  private readonly getCredential: CredentialGetter;
  private readonly http: RegistryHttp;
  private readonly now: () => number;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();
  /** Set once the registry asked for Basic: every later request sends it straight away. */
  private basicHeader: string | undefined;

  constructor(options: AuthenticatorOptions) {
    this.registry = options.registry;
    this.getCredential = options.getCredential;
    this.http = options.http ?? new RegistryHttp(options.httpOptions);
    this.now = options.now ?? Date.now;
  }

  /** The Authorization header to send first for `scope`: a cached one, else undefined (anonymous). */
  cachedAuthorization(scope: string): string | undefined {
    if (this.basicHeader !== undefined) return this.basicHeader;
    const cached = this.tokens.get(this.key(scope));
    if (cached === undefined) return undefined;
    if (this.now() >= cached.renewAt) {
      this.tokens.delete(this.key(scope));
      return undefined;
    }
    return cached.header;
  }

  /** Drops what is cached for `scope` (the registry refused it). */
  forget(scope: string): void {
    this.tokens.delete(this.key(scope));
    this.basicHeader = undefined;
  }

  /**
   * After a 401: follows the registry's WWW-Authenticate challenge and returns the Authorization
   * header to retry with. Throws a RegistryError naming the registry and the next step.
   */
  async authorize(scope: string, wwwAuthenticate: string | null, subject?: RequestSubject): Promise<string> {
    const challenges = parseWwwAuthenticate(wwwAuthenticate ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (bearer) return this.bearer(scope, bearer, subject);
    if (basic) return this.basic(subject);
    const offered = challenges.map((c) => c.scheme).join(', ') || 'no challenge';
    throw this.failure(subject, `the registry asked for ${offered}, and only Basic and Bearer (token) authentication are supported. Check the registry address.`, { status: 401, code: 'UNAUTHORIZED' });
  }

  /** "Cannot read the manifest of team/app:1 on registry r: authentication failed: <reason and next step>" */
  private failure(subject: RequestSubject | undefined, text: string, details: Omit<RegistryErrorDetails, 'registry'>): RegistryError {
    const prefix = subject ? `${subjectText(subject)}: authentication failed` : `Cannot authenticate to registry ${this.registry}`;
    return new RegistryError(`${prefix}: ${text}`, { registry: this.registry, repository: subject?.repository, reference: subject?.reference, ...details });
  }

  private key(scope: string): string {
    return `${this.registry} ${scope}`;
  }

  private async basic(subject: RequestSubject | undefined): Promise<string> {
    const credential = await this.getCredential(this.registry);
    if (credential?.username === undefined || credential.password === undefined) {
      throw this.failure(subject, `the registry needs a user name and password, and none is saved for it. Log in with "${loginHint(this.registry)}".`, { status: 401, code: 'UNAUTHORIZED' });
    }
    this.basicHeader = basicAuthorization(credential.username, credential.password);
    return this.basicHeader;
  }

  private bearer(scope: string, challenge: AuthChallenge, subject: RequestSubject | undefined): Promise<string> {
    const key = this.key(scope);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const request = this.fetchToken(scope, challenge, subject)
      .then((token) => {
        this.tokens.set(key, token);
        return token.header;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, request);
    return request;
  }

  private async fetchToken(scope: string, challenge: AuthChallenge, subject: RequestSubject | undefined): Promise<CachedToken> {
    const realm = challenge.params.realm;
    const service = challenge.params.service;
    let realmUrl: URL | undefined;
    try {
      realmUrl = realm ? new URL(realm) : undefined;
    } catch {
      realmUrl = undefined;
    }
    if (!realmUrl || (realmUrl.protocol !== 'https:' && realmUrl.protocol !== 'http:')) {
      throw this.failure(subject, `its Bearer challenge has no usable realm (${realm === undefined ? 'none' : `"${shorten(realm, 100)}"`}). The registry is misconfigured; tell its operator.`, { status: 401, code: 'UNAUTHORIZED' });
    }
    const credential = await this.getCredential(this.registry);
    if (credential?.registryToken) return { header: `Bearer ${credential.registryToken}`, renewAt: Number.POSITIVE_INFINITY };
    const scopes = [scope, ...(challenge.params.scope ? [challenge.params.scope] : [])].filter((s, index, all) => s !== '' && all.indexOf(s) === index);
    const headers: Record<string, string> = { Accept: 'application/json' };
    let authorization: string | undefined;
    let form: string | undefined;
    if (credential?.identityToken) {
      const oauth = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.identityToken, client_id: OAUTH_CLIENT_ID });
      if (service) oauth.set('service', service);
      if (scopes.length > 0) oauth.set('scope', scopes.join(' '));
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      form = oauth.toString();
    } else {
      if (service) realmUrl.searchParams.set('service', service);
      for (const s of scopes) realmUrl.searchParams.append('scope', s);
      if (credential?.username !== undefined && credential.password !== undefined) {
        authorization = basicAuthorization(credential.username, credential.password);
      }
    }
    const tokenSubject: RequestSubject = { registry: this.registry, action: 'reach the token service of' };
    const { response } = await this.http.send({ method: form === undefined ? 'GET' : 'POST', url: realmUrl, subject: tokenSubject, headers, authorization, body: form, secretBody: form !== undefined });
    const text = await this.http.readText(response, MAX_TOKEN_RESPONSE_BYTES, tokenSubject, 'token answer', "the token service is misconfigured; tell the registry's operator");
    if (!response.ok) {
      const { message } = registryErrorBody(text);
      const refused = response.status === 401 || response.status === 403;
      const said = message ? ` (${message})` : '';
      const next = refused
        ? credential
          ? `The saved credentials were refused; log in again with "${loginHint(this.registry)}".`
          : `Log in with "${loginHint(this.registry)}".`
        : 'The token service is failing; try again later.';
      throw this.failure(subject, `its token service ${realmUrl.origin} answered ${response.status}${said}. ${next}`, { status: response.status, code: refused ? 'UNAUTHORIZED' : undefined });
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = {};
    }
    const token = typeof body.token === 'string' && body.token !== '' ? body.token : typeof body.access_token === 'string' && body.access_token !== '' ? body.access_token : undefined;
    if (token === undefined) {
      throw this.failure(subject, `its token service ${realmUrl.origin} answered without a token. The token service is misconfigured; tell its operator.`, { status: response.status, code: 'BAD_RESPONSE' });
    }
    return { header: `Bearer ${token}`, renewAt: this.now() + tokenLifetimeMs(body.expires_in) };
  }
}

/** How long a token is used: expires_in (default 60 s) minus a margin of at most half of it. */
export function tokenLifetimeMs(expiresIn: unknown): number {
  const seconds = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_TOKEN_LIFETIME_S;
  return (seconds - Math.min(TOKEN_EXPIRY_MARGIN_S, seconds / 2)) * 1000;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
