import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  configuredRegistries,
  type CredentialInputs,
  type ResolvedCredential,
  CREDENTIALS_NOT_FOUND,
  CredentialError,
  CredentialHelperError,
  DOCKER_HUB_SERVER_ADDRESS,
  credentialServerAddress,
  describeCredential,
  engineAuthHeader,
  findAuthsKey,
  hostOfConfigKey,
  resolveDockerCredential,
  runCredentialHelper,
} from '../../../src/dockerConfig/credentials';

const HOME = '/home/dev';
const CONFIG = `${HOME}/.docker/config.json`;

// Every secret the tests use; no error message or description may contain any of them.
const PASSWORD = 'pa:ss:w0rd-s3cret';
const AUTH = b64(`alice:${PASSWORD}`);
const IDENTITY_TOKEN = 'identity-token-s3cret';
const REGISTRY_TOKEN = 'registry-token-s3cret';
const HELPER_SECRET = 'helper-s3cret';
const SECRETS = [PASSWORD, AUTH, IDENTITY_TOKEN, REGISTRY_TOKEN, HELPER_SECRET, 's3cret'];

type HelperAnswer = string | Error | ((serverAddress: string) => string);

interface Setup {
  /** config.json: an object (stringified), raw text, or undefined for no file. */
  config?: unknown;
  env?: Record<string, string | undefined>;
  helpers?: Record<string, HelperAnswer>;
  configPath?: string;
}

interface Harness {
  inputs: CredentialInputs;
  helperCalls: Array<[string, string]>;
  filesRead: string[];
}

function harness(setup: Setup = {}): Harness {
  const helperCalls: Array<[string, string]> = [];
  const filesRead: string[] = [];
  const configPath = setup.configPath ?? CONFIG;
  const text = setup.config === undefined || typeof setup.config === 'string' ? setup.config : JSON.stringify(setup.config);
  const inputs: CredentialInputs = {
    env: setup.env ?? {},
    homeDir: HOME,
    readTextFile: (file) => {
      filesRead.push(file);
      return file === configPath ? text : undefined;
    },
    runHelper: (helper, serverAddress) => {
      helperCalls.push([helper, serverAddress]);
      const answer = setup.helpers?.[helper];
      if (answer === undefined) return Promise.reject(new CredentialHelperError(helper, 'missing', `docker-credential-${helper} was not found on PATH`));
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(typeof answer === 'function' ? answer(serverAddress) : answer);
    },
  };
  return { inputs, helperCalls, filesRead };
}

function helperJson(username: string, secret: string): string {
  return JSON.stringify({ ServerURL: 'ignored', Username: username, Secret: secret });
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

async function resolve(host: string, setup: Setup): Promise<ResolvedCredential | undefined> {
  return resolveDockerCredential(host, harness(setup).inputs);
}

/** Resolves expecting a CredentialError; checks it has no secret and returns its message. */
async function failure(host: string, setup: Setup | Harness): Promise<string> {
  const inputs = 'inputs' in setup ? setup.inputs : harness(setup).inputs;
  let caught: unknown;
  try {
    await resolveDockerCredential(host, inputs);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof CredentialError, `expected a CredentialError, got ${String(caught)}`);
  assertNoSecret(caught.message);
  return caught.message;
}

function assertNoSecret(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `"${text}" contains the secret "${secret}"`);
}

describe('resolveDockerCredential: each source', () => {
  test('credHelpers runs the helper named for the host, with the host as server address', async () => {
    const h = harness({ config: { credHelpers: { 'localhost:5000': 'pass' } }, helpers: { pass: helperJson('alice', HELPER_SECRET) } });
    const credential = await resolveDockerCredential('localhost:5000', h.inputs);
    assert.deepEqual(credential, { source: 'credHelpers', helper: 'pass', serverAddress: 'localhost:5000', username: 'alice', password: HELPER_SECRET });
    assert.deepEqual(h.helperCalls, [['pass', 'localhost:5000']]);
  });

  test('credsStore runs the store helper', async () => {
    const credential = await resolve('ghcr.io', { config: { credsStore: 'secretservice' }, helpers: { secretservice: helperJson('bob', HELPER_SECRET) } });
    assert.deepEqual(credential, { source: 'credsStore', helper: 'secretservice', serverAddress: 'ghcr.io', username: 'bob', password: HELPER_SECRET });
  });

  test('auths decodes the base64 auth', async () => {
    const credential = await resolve('localhost:5000', { config: { auths: { 'localhost:5000': { auth: AUTH } } } });
    assert.deepEqual(credential, { source: 'auths', serverAddress: 'localhost:5000', username: 'alice', password: PASSWORD });
  });

  test('a helper answering Username "<token>" gives an identity token', async () => {
    const credential = await resolve('ghcr.io', { config: { credsStore: 'desktop' }, helpers: { desktop: helperJson('<token>', IDENTITY_TOKEN) } });
    assert.deepEqual(credential, { source: 'credsStore', helper: 'desktop', serverAddress: 'ghcr.io', identityToken: IDENTITY_TOKEN });
  });

  test('a helper without credentials for the server means none, not an error', async () => {
    const credential = await resolve('localhost:5000', { config: { credsStore: 'pass' }, helpers: { pass: CREDENTIALS_NOT_FOUND } });
    assert.equal(credential, undefined);
  });

  test('a helper without credentials does not fall back to auths (as docker)', async () => {
    const config = { credsStore: 'pass', auths: { 'localhost:5000': { auth: AUTH } } };
    assert.equal(await resolve('localhost:5000', { config, helpers: { pass: CREDENTIALS_NOT_FOUND } }), undefined);
  });

  test('a helper answering an empty Username and Secret means none', async () => {
    assert.equal(await resolve('ghcr.io', { config: { credsStore: 'pass' }, helpers: { pass: helperJson('', '') } }), undefined);
  });

  test('the helper\'s ServerURL does not replace the address asked for', async () => {
    const credential = await resolve('ghcr.io', { config: { credsStore: 'pass' }, helpers: { pass: helperJson('u', HELPER_SECRET) } });
    assert.equal(credential?.serverAddress, 'ghcr.io');
  });
});

describe('resolveDockerCredential: precedence', () => {
  const helpers = { own: helperJson('from-own', HELPER_SECRET), store: helperJson('from-store', HELPER_SECRET) };
  const auths = { 'localhost:5000': { auth: b64('from-auths:x') } };
  const cases: Array<{ name: string; config: unknown; source: string; username: string }> = [
    { name: 'credHelpers wins over credsStore and auths', config: { credHelpers: { 'localhost:5000': 'own' }, credsStore: 'store', auths }, source: 'credHelpers', username: 'from-own' },
    { name: 'credsStore wins over auths', config: { credsStore: 'store', auths }, source: 'credsStore', username: 'from-store' },
    { name: 'credHelpers for another host leaves credsStore', config: { credHelpers: { 'ghcr.io': 'own' }, credsStore: 'store', auths }, source: 'credsStore', username: 'from-store' },
    { name: 'auths when there is no helper', config: { auths }, source: 'auths', username: 'from-auths' },
    { name: 'an empty credHelpers entry keeps the host out of credsStore (as docker)', config: { credHelpers: { 'localhost:5000': '' }, credsStore: 'store', auths }, source: 'auths', username: 'from-auths' },
    { name: 'an empty credsStore is no store', config: { credsStore: '', auths }, source: 'auths', username: 'from-auths' },
  ];
  for (const { name, config, source, username } of cases) {
    test(name, async () => {
      const credential = await resolve('localhost:5000', { config, helpers });
      assert.deepEqual([credential?.source, credential?.username], [source, username]);
    });
  }
});

describe('resolveDockerCredential: Docker Hub', () => {
  for (const host of ['docker.io', 'index.docker.io', 'registry-1.docker.io']) {
    test(`${host} uses the server address ${DOCKER_HUB_SERVER_ADDRESS}`, () => {
      assert.equal(credentialServerAddress(host), DOCKER_HUB_SERVER_ADDRESS);
    });
  }

  test('other hosts are their own server address', () => {
    for (const host of ['localhost:5000', 'ghcr.io', '127.0.0.1:5000', '[::1]:5000', 'docker.io.example.com']) {
      assert.equal(credentialServerAddress(host), host);
    }
  });

  test('credHelpers is keyed by the Hub server address and the helper gets it on stdin', async () => {
    const h = harness({ config: { credHelpers: { [DOCKER_HUB_SERVER_ADDRESS]: 'hub' } }, helpers: { hub: helperJson('alice', HELPER_SECRET) } });
    const credential = await resolveDockerCredential('docker.io', h.inputs);
    assert.equal(credential?.source, 'credHelpers');
    assert.equal(credential?.serverAddress, DOCKER_HUB_SERVER_ADDRESS);
    assert.deepEqual(h.helperCalls, [['hub', DOCKER_HUB_SERVER_ADDRESS]]);
  });

  test('credsStore gets the Hub server address', async () => {
    const h = harness({ config: { credsStore: 'desktop' }, helpers: { desktop: helperJson('alice', HELPER_SECRET) } });
    await resolveDockerCredential('docker.io', h.inputs);
    assert.deepEqual(h.helperCalls, [['desktop', DOCKER_HUB_SERVER_ADDRESS]]);
  });

  test('credHelpers["docker.io"] is not the Hub key (docker ignores it too)', async () => {
    const credential = await resolve('docker.io', { config: { credHelpers: { 'docker.io': 'hub' }, auths: { [DOCKER_HUB_SERVER_ADDRESS]: { auth: AUTH } } }, helpers: { hub: helperJson('x', HELPER_SECRET) } });
    assert.equal(credential?.source, 'auths');
  });

  const hubKeys = [DOCKER_HUB_SERVER_ADDRESS, 'index.docker.io', 'docker.io', 'https://index.docker.io/v2/', 'https://docker.io', 'registry-1.docker.io', 'HTTPS://Index.Docker.IO/v1/'];
  for (const key of hubKeys) {
    test(`auths key "${key}" serves docker.io`, async () => {
      const credential = await resolve('docker.io', { config: { auths: { [key]: { auth: AUTH } } } });
      assert.deepEqual(credential, { source: 'auths', serverAddress: key, username: 'alice', password: PASSWORD });
    });
  }

  test('the exact Hub key wins over another spelling', async () => {
    const auths = { 'docker.io': { auth: b64('other:x') }, [DOCKER_HUB_SERVER_ADDRESS]: { auth: AUTH } };
    const credential = await resolve('docker.io', { config: { auths } });
    assert.equal(credential?.username, 'alice');
  });

  test('a Hub key does not serve other registries', async () => {
    assert.equal(await resolve('ghcr.io', { config: { auths: { [DOCKER_HUB_SERVER_ADDRESS]: { auth: AUTH } } } }), undefined);
  });
});

describe('resolveDockerCredential: auths key normalisation', () => {
  const cases: Array<{ host: string; key: string; matches: boolean }> = [
    { host: 'registry.example.com', key: 'registry.example.com', matches: true },
    { host: 'registry.example.com', key: 'https://registry.example.com', matches: true },
    { host: 'registry.example.com', key: 'https://registry.example.com/', matches: true },
    { host: 'registry.example.com', key: 'http://registry.example.com/v2/', matches: true },
    { host: 'registry.example.com', key: 'https://registry.example.com/v1/', matches: true },
    { host: 'registry.example.com', key: 'HTTPS://Registry.Example.com/v2/', matches: true },
    { host: 'registry.example.com', key: 'registry.example.com:443', matches: false },
    { host: 'registry.example.com', key: 'https://registry.example.com.evil.example', matches: false },
    { host: 'registry.example.com', key: 'example.com', matches: false },
    { host: 'localhost:5000', key: 'localhost:5000', matches: true },
    { host: 'localhost:5000', key: 'http://localhost:5000/v2/', matches: true },
    { host: 'localhost:5000', key: 'localhost', matches: false },
    { host: 'localhost:5000', key: 'localhost:5001', matches: false },
    { host: 'localhost', key: 'localhost:5000', matches: false },
    { host: '127.0.0.1:5000', key: 'https://127.0.0.1:5000/v2/', matches: true },
    { host: '127.0.0.1:5000', key: '127.0.0.1', matches: false },
    { host: '[::1]:5000', key: '[::1]:5000', matches: true },
    { host: '[::1]:5000', key: 'http://[::1]:5000/v2/', matches: true },
    { host: '[::1]:5000', key: '[::1]', matches: false },
  ];
  for (const { host, key, matches } of cases) {
    test(`${host} ${matches ? 'matches' : 'does not match'} "${key}"`, async () => {
      const credential = await resolve(host, { config: { auths: { [key]: { auth: AUTH } } } });
      assert.deepEqual(credential, matches ? { source: 'auths', serverAddress: key, username: 'alice', password: PASSWORD } : undefined);
    });
  }

  test('the exact key wins over a normalised one, whatever the order', async () => {
    const auths = { 'https://localhost:5000/v2/': { auth: b64('normalised:x') }, 'localhost:5000': { auth: b64('exact:x') } };
    assert.equal((await resolve('localhost:5000', { config: { auths } }))?.username, 'exact');
  });

  test('hostOfConfigKey strips scheme and path only', () => {
    assert.deepEqual(
      ['https://r.example:5000/v2/x', 'http://r.example', 'r.example/path', '[::1]:5000', 'ftp://r.example'].map(hostOfConfigKey),
      ['r.example:5000', 'r.example', 'r.example', '[::1]:5000', 'ftp:'],
    );
  });

  test('findAuthsKey answers undefined without a match', () => {
    assert.equal(findAuthsKey(['a.example', 'b.example'], 'c.example'), undefined);
  });
});

describe('resolveDockerCredential: auths entries', () => {
  const cases: Array<{ name: string; entry: unknown; expected: Partial<ResolvedCredential> | undefined }> = [
    { name: 'a password holding ":" keeps everything after the first ":"', entry: { auth: b64('alice:a:b::c') }, expected: { username: 'alice', password: 'a:b::c' } },
    { name: 'an empty password', entry: { auth: b64('alice:') }, expected: { username: 'alice', password: '' } },
    { name: 'unpadded base64', entry: { auth: b64('alice:pw1').replace(/=+$/, '') }, expected: { username: 'alice', password: 'pw1' } },
    { name: 'UTF-8 in the password', entry: { auth: b64('alice:pässwörd') }, expected: { username: 'alice', password: 'pässwörd' } },
    { name: 'NULs around the password are trimmed (as docker)', entry: { auth: b64('alice:pw\0\0') }, expected: { username: 'alice', password: 'pw' } },
    { name: 'username and password fields (older configs)', entry: { username: 'bob', password: PASSWORD }, expected: { username: 'bob', password: PASSWORD } },
    { name: 'auth wins over username and password', entry: { auth: AUTH, username: 'bob', password: 'other' }, expected: { username: 'alice', password: PASSWORD } },
    { name: 'an empty auth leaves username and password', entry: { auth: '', username: 'bob', password: PASSWORD }, expected: { username: 'bob', password: PASSWORD } },
    { name: 'an identity token with its user', entry: { auth: b64('alice:'), identitytoken: IDENTITY_TOKEN }, expected: { username: 'alice', password: '', identityToken: IDENTITY_TOKEN } },
    { name: 'an identity token alone', entry: { identitytoken: IDENTITY_TOKEN }, expected: { identityToken: IDENTITY_TOKEN } },
    { name: 'a registry token', entry: { registrytoken: REGISTRY_TOKEN }, expected: { registryToken: REGISTRY_TOKEN } },
    { name: 'null fields are absent', entry: { auth: null, username: 'bob', password: PASSWORD, identitytoken: null }, expected: { username: 'bob', password: PASSWORD } },
    { name: 'an empty entry (left by a credsStore login) is no credential', entry: {}, expected: undefined },
    { name: 'an entry with only an email is no credential', entry: { email: 'a@example.com' }, expected: undefined },
  ];
  for (const { name, entry, expected } of cases) {
    test(name, async () => {
      const credential = await resolve('localhost:5000', { config: { auths: { 'localhost:5000': entry } } });
      assert.deepEqual(credential, expected && { source: 'auths', serverAddress: 'localhost:5000', ...expected });
    });
  }
});

describe('resolveDockerCredential: the config file', () => {
  test('DOCKER_CONFIG is the folder that holds config.json', async () => {
    const h = harness({ env: { DOCKER_CONFIG: '/etc/dockercfg' }, configPath: '/etc/dockercfg/config.json', config: { auths: { 'localhost:5000': { auth: AUTH } } } });
    const credential = await resolveDockerCredential('localhost:5000', h.inputs);
    assert.equal(credential?.username, 'alice');
    assert.deepEqual(h.filesRead, ['/etc/dockercfg/config.json']);
  });

  test('without DOCKER_CONFIG: ~/.docker/config.json', async () => {
    const h = harness({ env: { DOCKER_CONFIG: '' }, config: {} });
    await resolveDockerCredential('localhost:5000', h.inputs);
    assert.deepEqual(h.filesRead, [CONFIG]);
  });

  const none: Array<{ name: string; config: unknown }> = [
    { name: 'no config file', config: undefined },
    { name: 'an empty config file', config: '  \n' },
    { name: 'no auths and no helpers', config: {} },
    { name: 'null sections', config: { auths: null, credHelpers: null, credsStore: null } },
    { name: 'auths for other hosts only', config: { auths: { 'ghcr.io': { auth: AUTH } } } },
  ];
  for (const { name, config } of none) {
    test(`${name}: no credential`, async () => {
      assert.equal(await resolve('localhost:5000', { config }), undefined);
    });
  }

  test('an unreadable file names the path and the cause', async () => {
    const inputs: CredentialInputs = {
      env: {},
      homeDir: HOME,
      readTextFile: () => {
        throw Object.assign(new Error(`EACCES: permission denied, open '${CONFIG}'`), { code: 'EACCES' });
      },
    };
    const message = await failure('localhost:5000', { inputs, helperCalls: [], filesRead: [] });
    assert.match(message, /Cannot read \/home\/dev\/\.docker\/config\.json/);
    assert.match(message, /EACCES/);
    assert.match(message, /permissions/);
  });

  test('an empty host is refused', async () => {
    assert.match(await failure('  ', { config: {} }), /registry host is empty/);
  });
});

describe('resolveDockerCredential: malformed config.json', () => {
  const cases: Array<{ name: string; config: unknown; reason: RegExp; host?: string }> = [
    { name: 'not JSON', config: 'this is not json', reason: /is not valid JSON/ },
    { name: 'not JSON, with a secret JSON.parse would quote', config: `${PASSWORD} ${AUTH}`, reason: /is not valid JSON\. / },
    { name: 'broken JSON after a secret: a place, never the text', config: `{\n  "auths": {\n    "localhost:5000": { "auth": "${AUTH}" },,\n  }\n}`, reason: /not valid JSON \(line 3, column \d+\)/ },
    { name: 'cut-off JSON', config: `{"auths": {"localhost:5000": {"auth": "${AUTH}`, reason: /not valid JSON/ },
    { name: 'a JSON array', config: [], reason: /must hold a JSON object/ },
    { name: 'auths is an array', config: { auths: [AUTH] }, reason: /"auths" must be an object/ },
    { name: 'auths is a string', config: { auths: AUTH }, reason: /"auths" must be an object/ },
    { name: 'credHelpers is not an object', config: { credHelpers: 'pass' }, reason: /"credHelpers" must be an object/ },
    { name: 'a credHelpers value is not a string', config: { credHelpers: { 'localhost:5000': 1 } }, reason: /credHelpers\["localhost:5000"\] must be a helper name/ },
    { name: 'credsStore is not a string', config: { credsStore: ['pass'] }, reason: /"credsStore" must be a helper name/ },
    { name: 'a helper name with a path', config: { credsStore: '../../tmp/evil' }, reason: /"credsStore" in .* names the credential helper "\.\.\/\.\.\/tmp\/evil", which cannot be a program name/ },
    { name: 'a credHelpers name with a path', config: { credHelpers: { 'localhost:5000': '/usr/bin/x' } }, reason: /credHelpers\["localhost:5000"\] in .* cannot be a program name/ },
    { name: 'the auths entry is not an object', config: { auths: { 'localhost:5000': AUTH } }, reason: /auths\["localhost:5000"\] must be an object/ },
    { name: 'auth is not base64', config: { auths: { 'localhost:5000': { auth: `${PASSWORD}!` } } }, reason: /auths\["localhost:5000"\]\.auth is not valid base64/ },
    { name: 'auth has a bad length', config: { auths: { 'localhost:5000': { auth: 'YWxpY2U6c' } } }, reason: /\.auth is not valid base64/ },
    { name: 'auth has padding in the middle', config: { auths: { 'localhost:5000': { auth: 'YQ==YWxpY2U6' } } }, reason: /\.auth is not valid base64/ },
    { name: 'auth has no ":"', config: { auths: { 'localhost:5000': { auth: b64('alice-s3cret-without-a-colon') } } }, reason: /\.auth does not decode to "user:password"/ },
    { name: 'auth has an empty user name', config: { auths: { 'localhost:5000': { auth: b64(`:${PASSWORD}`) } } }, reason: /\.auth decodes to an empty user name/ },
    { name: 'auth is not a string', config: { auths: { 'localhost:5000': { auth: 42 } } }, reason: /\.auth must be a string/ },
    { name: 'password is not a string', config: { auths: { 'localhost:5000': { username: 'a', password: 1234 } } }, reason: /\.password must be a string/ },
    { name: 'identitytoken is not a string', config: { auths: { 'localhost:5000': { identitytoken: { token: IDENTITY_TOKEN } } } }, reason: /\.identitytoken must be a string/ },
    { name: 'a normalised key with a bad entry', config: { auths: { 'https://localhost:5000/v2/': { auth: 'not base64!' } } }, reason: /auths\["https:\/\/localhost:5000\/v2\/"\]\.auth is not valid base64/ },
  ];
  for (const { name, config, reason, host = 'localhost:5000' } of cases) {
    test(name, async () => {
      const message = await failure(host, { config });
      assert.match(message, reason);
      assert.ok(message.includes(CONFIG), `"${message}" does not name ${CONFIG}`);
      assert.match(message, /(Fix the file|Run "docker login localhost:5000"|Write the helper's name only)/, 'a next step');
    });
  }

  test('a bad entry for another registry does not block this one', async () => {
    const auths = { 'ghcr.io': { auth: 'not base64!' }, 'localhost:5000': { auth: AUTH } };
    assert.equal((await resolve('localhost:5000', { config: { auths } }))?.username, 'alice');
  });

  test('the Hub next step is plain docker login', async () => {
    assert.match(await failure('docker.io', { config: { auths: { [DOCKER_HUB_SERVER_ADDRESS]: { auth: '!!' } } } }), /Run "docker login" to write/);
  });
});

describe('resolveDockerCredential: helper failures', () => {
  const store = { config: { credsStore: 'pass' } };
  const own = { config: { credHelpers: { 'localhost:5000': 'pass' } } };
  const cases: Array<{ name: string; setup: Setup; expected: RegExp[] }> = [
    {
      name: 'credsStore helper not on PATH',
      setup: { ...store, helpers: {} },
      expected: [/^Cannot get the credentials for localhost:5000 from docker-credential-pass \("credsStore" in \/home\/dev\/\.docker\/config\.json\)/, /docker-credential-pass was not found on PATH/, /Install docker-credential-pass and put it on PATH, or remove "credsStore" from \/home\/dev\/\.docker\/config\.json\.$/],
    },
    {
      name: 'credHelpers helper not on PATH',
      setup: { ...own, helpers: {} },
      expected: [/credHelpers\["localhost:5000"\] in \/home\/dev\/\.docker\/config\.json/, /remove credHelpers\["localhost:5000"\] from \/home\/dev\/\.docker\/config\.json\.$/],
    },
    {
      name: 'the helper exits with an error',
      setup: { ...store, helpers: { pass: new CredentialHelperError('pass', 'exit', 'it exited with status 2: gpg: decryption failed') } },
      expected: [/it exited with status 2: gpg: decryption failed\./, /run "docker login localhost:5000" again/],
    },
    {
      name: 'the helper times out',
      setup: { ...store, helpers: { pass: new CredentialHelperError('pass', 'timeout', 'it did not answer within 10 s') } },
      expected: [/did not answer within 10 s/, /Unlock the keychain/],
    },
    {
      name: 'an injected runHelper throws something else',
      setup: { ...store, helpers: { pass: new Error('spawn EPERM') } },
      expected: [/: spawn EPERM\. Check the helper, or remove "credsStore"/],
    },
    {
      name: 'the helper prints something that is not JSON (holding a secret)',
      setup: { ...store, helpers: { pass: `oops {"Username":"alice","Secret":"${HELPER_SECRET}"` } },
      expected: [/it printed something that is not JSON \(\d+ bytes\)/, /Check that docker-credential-pass is a docker credential helper/],
    },
    {
      name: 'the helper prints JSON without Secret',
      setup: { ...store, helpers: { pass: JSON.stringify({ ServerURL: 'localhost:5000', Username: 'alice' }) } },
      expected: [/it printed JSON without a "Secret"/],
    },
    {
      name: 'the helper prints a Secret that is not a string',
      setup: { ...store, helpers: { pass: JSON.stringify({ Username: 'alice', Secret: 12345 }) } },
      expected: [/without a "Secret"/],
    },
    {
      name: 'the helper prints an empty Secret for a user',
      setup: { ...store, helpers: { pass: helperJson('alice', '') } },
      expected: [/an empty "Secret"/],
    },
    {
      name: 'the helper prints a Username that is not a string',
      setup: { ...store, helpers: { pass: JSON.stringify({ Username: 7, Secret: HELPER_SECRET }) } },
      expected: [/"Username" that is not a string/],
    },
    {
      name: 'the helper prints a JSON array',
      setup: { ...store, helpers: { pass: JSON.stringify([HELPER_SECRET]) } },
      expected: [/JSON that is not an object/],
    },
  ];
  for (const { name, setup, expected } of cases) {
    test(name, async () => {
      const message = await failure('localhost:5000', setup);
      for (const pattern of expected) assert.match(message, pattern);
    });
  }

  test('the Hub: the message names docker.io and plain docker login', async () => {
    const message = await failure('docker.io', { config: { credsStore: 'desktop' }, helpers: { desktop: new CredentialHelperError('desktop', 'exit', 'it exited with status 1: boom') } });
    assert.match(message, /credentials for docker\.io from docker-credential-desktop/);
    assert.match(message, /run "docker login" again/);
  });
});

describe('runCredentialHelper: refused names', () => {
  for (const name of ['', '../evil', 'a/b', 'a\\b']) {
    test(`"${name}" is refused before anything runs`, async () => {
      await assert.rejects(runCredentialHelper(name, 'localhost:5000', { PATH: '/nonexistent' }), (error: unknown) => error instanceof CredentialError && /is not a credential helper name/.test(error.message));
    });
  }
});

describe('engineAuthHeader', () => {
  function decode(header: string): unknown {
    return JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  }

  test('username and password', () => {
    const header = engineAuthHeader({ username: 'alice', password: PASSWORD }, 'localhost:5000');
    assert.deepEqual(decode(header), { username: 'alice', password: PASSWORD, serveraddress: 'localhost:5000' });
  });

  test('an identity token goes alone, without user or password', () => {
    const header = engineAuthHeader({ username: 'alice', password: '', identityToken: IDENTITY_TOKEN }, DOCKER_HUB_SERVER_ADDRESS);
    assert.deepEqual(decode(header), { identitytoken: IDENTITY_TOKEN, serveraddress: DOCKER_HUB_SERVER_ADDRESS });
  });

  test('a registry token', () => {
    assert.deepEqual(decode(engineAuthHeader({ registryToken: REGISTRY_TOKEN }, 'ghcr.io')), { registrytoken: REGISTRY_TOKEN, serveraddress: 'ghcr.io' });
  });

  test('base64url with padding, as Go\'s base64.URLEncoding', () => {
    // ">>>" and "???" encode to "+" and "/" in standard base64: the header must not have them.
    const credential = { username: 'a', password: '>>>???>' };
    const standard = Buffer.from(JSON.stringify({ ...credential, serveraddress: 'r.example' })).toString('base64');
    assert.match(standard, /[+/]/, 'the test payload must exercise + and /');
    assert.match(standard, /=$/, 'the test payload must need padding');
    const header = engineAuthHeader(credential, 'r.example');
    assert.match(header, /^[A-Za-z0-9_-]+={1,2}$/);
    assert.equal(header.length % 4, 0);
    assert.equal(header, standard.replace(/\+/g, '-').replace(/\//g, '_'));
  });

  test('a resolved credential goes straight in', async () => {
    const credential = await resolve('localhost:5000', { config: { auths: { 'localhost:5000': { auth: AUTH } } } });
    assert.ok(credential);
    assert.deepEqual(decode(engineAuthHeader(credential, credential.serverAddress)), { username: 'alice', password: PASSWORD, serveraddress: 'localhost:5000' });
  });
});

describe('describeCredential', () => {
  const cases: Array<{ credential: ResolvedCredential; expected: string }> = [
    { credential: { source: 'credHelpers', helper: 'pass', serverAddress: 'localhost:5000', username: 'alice', password: HELPER_SECRET }, expected: 'credentials for localhost:5000 from credHelpers (docker-credential-pass)' },
    { credential: { source: 'credsStore', helper: 'desktop', serverAddress: DOCKER_HUB_SERVER_ADDRESS, identityToken: IDENTITY_TOKEN }, expected: `credentials for ${DOCKER_HUB_SERVER_ADDRESS} from credsStore (docker-credential-desktop)` },
    { credential: { source: 'auths', serverAddress: 'https://ghcr.io/v2/', username: 'alice', password: PASSWORD, registryToken: REGISTRY_TOKEN }, expected: 'credentials for https://ghcr.io/v2/ from auths' },
  ];
  for (const { credential, expected } of cases) {
    test(expected, () => {
      const text = describeCredential(credential);
      assert.equal(text, expected);
      assertNoSecret(text);
    });
  }
});

describe('configuredRegistries', () => {
  test('auths and credHelpers keys as reference hosts, Docker Hub as docker.io, each once', () => {
    const config = JSON.stringify({
      auths: { 'https://index.docker.io/v1/': {}, 'registry.example.com:5000': { auth: '' }, 'https://ghcr.io': {} },
      credHelpers: { 'ghcr.io': 'gh', '123.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
    });
    const hosts = configuredRegistries({ env: {}, homeDir: '/home/u', readTextFile: (file) => (file === '/home/u/.docker/config.json' ? config : undefined) });
    assert.deepEqual(hosts, ['123.dkr.ecr.us-east-1.amazonaws.com', 'docker.io', 'ghcr.io', 'registry.example.com:5000']);
  });
  test('no config file: none', () => {
    assert.deepEqual(configuredRegistries({ env: {}, homeDir: '/home/u', readTextFile: () => undefined }), []);
  });
});
