import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { type EndpointInputs, EndpointError, parseDockerHost, resolveEngineEndpoint } from '../../../src/engine/connection';

const HOME = '/home/dev';

function inputs(overrides: Partial<EndpointInputs> & { files?: Record<string, string> } = {}): EndpointInputs {
  const files = overrides.files ?? {};
  return {
    setting: overrides.setting ?? '',
    env: overrides.env ?? {},
    homeDir: overrides.homeDir ?? HOME,
    platform: overrides.platform ?? 'linux',
    readTextFile: overrides.readTextFile ?? ((file: string) => files[file]),
  };
}

function contextFiles(name: string, meta: unknown, configDir = `${HOME}/.docker`): Record<string, string> {
  const id = createHash('sha256').update(name).digest('hex');
  return { [path.join(configDir, 'contexts', 'meta', id, 'meta.json')]: typeof meta === 'string' ? meta : JSON.stringify(meta) };
}

describe('resolveEngineEndpoint: precedence', () => {
  const context = contextFiles('remote', { Name: 'remote', Endpoints: { docker: { Host: 'tcp://ctx.example:2375' } } });
  const config = { [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'remote' }) };

  test('the setting wins over everything', () => {
    const endpoint = resolveEngineEndpoint(inputs({ setting: 'unix:///from/setting.sock', env: { DOCKER_HOST: 'unix:///from/env.sock', DOCKER_CONTEXT: 'remote' }, files: { ...context, ...config } }));
    assert.equal(endpoint.source, 'setting');
    assert.equal(endpoint.kind === 'unix' && endpoint.socketPath, '/from/setting.sock');
  });

  test('DOCKER_HOST wins over contexts', () => {
    const endpoint = resolveEngineEndpoint(inputs({ env: { DOCKER_HOST: 'unix:///from/env.sock', DOCKER_CONTEXT: 'remote' }, files: { ...context, ...config } }));
    assert.equal(endpoint.source, 'DOCKER_HOST');
    assert.equal(endpoint.url, 'unix:///from/env.sock');
  });

  test('DOCKER_CONTEXT wins over currentContext', () => {
    const other = contextFiles('other', { Endpoints: { docker: { Host: 'unix:///other.sock' } } });
    const endpoint = resolveEngineEndpoint(inputs({ env: { DOCKER_CONTEXT: 'other' }, files: { ...context, ...other, ...config } }));
    assert.equal(endpoint.source, 'DOCKER_CONTEXT');
    assert.equal(endpoint.context, 'other');
    assert.equal(endpoint.url, 'unix:///other.sock');
  });

  test('currentContext in config.json', () => {
    const endpoint = resolveEngineEndpoint(inputs({ files: { ...context, ...config } }));
    assert.equal(endpoint.source, 'currentContext');
    assert.deepEqual(endpoint.kind === 'tcp' && [endpoint.host, endpoint.port, endpoint.tls], ['ctx.example', 2375, undefined]);
  });

  test('DOCKER_CONFIG moves config.json and the contexts', () => {
    const files = { ...contextFiles('remote', { Endpoints: { docker: { Host: 'unix:///cfg.sock' } } }, '/etc/dockercfg'), '/etc/dockercfg/config.json': '{"currentContext":"remote"}' };
    const endpoint = resolveEngineEndpoint(inputs({ env: { DOCKER_CONFIG: '/etc/dockercfg' }, files }));
    assert.equal(endpoint.url, 'unix:///cfg.sock');
  });

  test('the default socket when nothing is set', () => {
    const endpoint = resolveEngineEndpoint(inputs());
    assert.deepEqual([endpoint.source, endpoint.url], ['default', 'unix:///var/run/docker.sock']);
  });

  test('the default named pipe on Windows', () => {
    const endpoint = resolveEngineEndpoint(inputs({ platform: 'win32' }));
    assert.equal(endpoint.kind, 'npipe');
  });

  test('the "default" context is the default socket', () => {
    const endpoint = resolveEngineEndpoint(inputs({ env: { DOCKER_CONTEXT: 'default' } }));
    assert.equal(endpoint.url, 'unix:///var/run/docker.sock');
  });

  test('blank values are skipped', () => {
    const endpoint = resolveEngineEndpoint(inputs({ setting: '  ', env: { DOCKER_HOST: '', DOCKER_CONTEXT: ' ' }, files: { [`${HOME}/.docker/config.json`]: '{"currentContext":""}' } }));
    assert.equal(endpoint.source, 'default');
  });

  test('an empty config.json is fine', () => {
    assert.equal(resolveEngineEndpoint(inputs({ files: { [`${HOME}/.docker/config.json`]: '' } })).source, 'default');
  });
});

describe('resolveEngineEndpoint: TLS', () => {
  const certs = { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' };

  test('DOCKER_TLS_VERIFY with DOCKER_CERT_PATH reads the three files and defaults to port 2376', () => {
    const endpoint = resolveEngineEndpoint(inputs({ env: { DOCKER_HOST: 'tcp://engine.local', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files: certs }));
    assert.ok(endpoint.kind === 'tcp');
    assert.equal(endpoint.port, 2376);
    assert.deepEqual(endpoint.tls, { verify: true, certPath: '/certs', ca: 'CA', cert: 'CERT', key: 'KEY' });
  });

  test('DOCKER_TLS without VERIFY encrypts without verifying', () => {
    const endpoint = resolveEngineEndpoint(inputs({ env: { DOCKER_HOST: 'tcp://engine.local:2376', DOCKER_TLS: '1', DOCKER_CERT_PATH: '/certs' }, files: certs }));
    assert.ok(endpoint.kind === 'tcp' && endpoint.tls && !endpoint.tls.verify);
  });

  test('DOCKER_TLS_VERIFY with no ca.pem says where it looked', () => {
    assert.throws(
      () => resolveEngineEndpoint(inputs({ env: { DOCKER_HOST: 'tcp://engine.local', DOCKER_TLS_VERIFY: '1' } })),
      (error: Error) => error instanceof EndpointError && error.message.includes('/home/dev/.docker/ca.pem') && error.message.includes('DOCKER_CERT_PATH'),
    );
  });

  test('a cert without its key is refused', () => {
    assert.throws(
      () => resolveEngineEndpoint(inputs({ env: { DOCKER_HOST: 'tcp://e:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files: { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT' } })),
      /cert\.pem but no key\.pem/,
    );
  });

  test('an unreadable cert file names the file', () => {
    const readTextFile = (file: string): string | undefined => {
      if (file.endsWith('key.pem')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return 'x';
    };
    assert.throws(() => resolveEngineEndpoint(inputs({ env: { DOCKER_HOST: 'tcp://e', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/c' }, readTextFile })), /\/c\/key\.pem.*permission denied/);
  });

  test('a context with TLS material and SkipTLSVerify', () => {
    const id = createHash('sha256').update('secure').digest('hex');
    const tlsDir = `${HOME}/.docker/contexts/tls/${id}/docker`;
    const files = {
      ...contextFiles('secure', { Endpoints: { docker: { Host: 'tcp://secure.example:2376', SkipTLSVerify: true } } }),
      [`${tlsDir}/ca.pem`]: 'CA',
      [`${tlsDir}/cert.pem`]: 'CERT',
      [`${tlsDir}/key.pem`]: 'KEY',
    };
    const endpoint = resolveEngineEndpoint(inputs({ env: { DOCKER_CONTEXT: 'secure' }, files }));
    assert.ok(endpoint.kind === 'tcp' && endpoint.tls);
    assert.equal(endpoint.tls.verify, false);
    assert.equal(endpoint.tls.ca, 'CA');
  });
});

describe('resolveEngineEndpoint: bad values', () => {
  test('an unknown context names the context, the file and the next step', () => {
    assert.throws(
      () => resolveEngineEndpoint(inputs({ env: { DOCKER_CONTEXT: 'nope' } })),
      (error: Error) => /Docker context "nope" \(from DOCKER_CONTEXT\) does not exist/.test(error.message) && /docker context ls/.test(error.message) && /unset DOCKER_CONTEXT/.test(error.message),
    );
  });

  test('an unknown currentContext suggests "docker context use default"', () => {
    assert.throws(() => resolveEngineEndpoint(inputs({ files: { [`${HOME}/.docker/config.json`]: '{"currentContext":"gone"}' } })), /docker context use default/);
  });

  test('malformed config.json names the file', () => {
    assert.throws(() => resolveEngineEndpoint(inputs({ files: { [`${HOME}/.docker/config.json`]: '{ "currentContext": ' } })), /config\.json: it is not valid JSON/);
  });

  test('malformed config.json: the position, never the file text (it holds secrets)', () => {
    const text = '{\n  "auths": { "x": { "auth": "c2VjcmV0LXZhbHVl" } },\n  oops\n}';
    assert.throws(
      () => resolveEngineEndpoint(inputs({ files: { [`${HOME}/.docker/config.json`]: text } })),
      (error: Error) => /not valid JSON \(line 3, column \d+\)/.test(error.message) && !error.message.includes('c2VjcmV0'),
    );
  });

  test('a non-string currentContext', () => {
    assert.throws(() => resolveEngineEndpoint(inputs({ files: { [`${HOME}/.docker/config.json`]: '{"currentContext": 7}' } })), /"currentContext" must be a string/);
  });

  test('a damaged context meta.json', () => {
    assert.throws(() => resolveEngineEndpoint(inputs({ env: { DOCKER_CONTEXT: 'broken' }, files: contextFiles('broken', '{nope') })), /Docker context "broken" is damaged/);
  });

  test('a context without a docker endpoint', () => {
    assert.throws(() => resolveEngineEndpoint(inputs({ env: { DOCKER_CONTEXT: 'k8s' }, files: contextFiles('k8s', { Endpoints: { kubernetes: {} } }) })), /has no docker endpoint/);
  });

  test('an unreadable config.json', () => {
    const readTextFile = (): string => {
      throw new Error('EACCES: permission denied');
    };
    assert.throws(() => resolveEngineEndpoint(inputs({ readTextFile })), /Cannot read .*config\.json.*permission denied/);
  });
});

describe('parseDockerHost', () => {
  const ok: Array<[string, Record<string, unknown>]> = [
    ['unix:///var/run/docker.sock', { kind: 'unix', socketPath: '/var/run/docker.sock' }],
    ['unix:///run/user/1000/podman/podman.sock', { kind: 'unix', socketPath: '/run/user/1000/podman/podman.sock' }],
    ['/var/run/docker.sock', { kind: 'unix', socketPath: '/var/run/docker.sock', url: 'unix:///var/run/docker.sock' }],
    ['tcp://10.0.0.5:2375', { kind: 'tcp', host: '10.0.0.5', port: 2375 }],
    ['tcp://engine.local', { kind: 'tcp', host: 'engine.local', port: 2375 }],
    ['tcp://[::1]:2375', { kind: 'tcp', host: '::1', port: 2375 }],
    ['TCP://Engine:1234', { kind: 'tcp', host: 'engine', port: 1234 }],
    ['https://engine.local', { kind: 'tcp', host: 'engine.local', port: 2376 }],
    ['ssh://me@build-box', { kind: 'ssh', host: 'build-box', port: 22, username: 'me' }],
    ['ssh://build-box:2222', { kind: 'ssh', host: 'build-box', port: 2222, username: undefined }],
    ['npipe:////./pipe/docker_engine', { kind: 'npipe', socketPath: '//./pipe/docker_engine' }],
  ];
  for (const [value, expected] of ok) {
    test(`accepts ${value}`, () => {
      const endpoint = parseDockerHost(value, 'DOCKER_HOST') as unknown as Record<string, unknown>;
      for (const [key, want] of Object.entries(expected)) assert.deepEqual(endpoint[key], want, key);
    });
  }

  const bad: Array<[string, RegExp]> = [
    ['docker.sock', /has no scheme/],
    ['ftp://host', /scheme "ftp" is not supported/],
    ['unix://relative.sock', /absolute path/],
    ['tcp://', /host is missing|malformed/],
    ['tcp://host:notaport', /malformed/],
    ['tcp://user:secret@host:2375', /credentials do not belong/],
    ['ssh://me:hunter2@host', /password does not belong/],
    ['npipe://pipe', /named pipe/],
  ];
  for (const [value, reason] of bad) {
    test(`refuses ${value} with a reason and the accepted forms`, () => {
      assert.throws(
        () => parseDockerHost(value, 'setting'),
        (error: Error) => error instanceof EndpointError && reason.test(error.message) && error.message.includes('layerlens.dockerHost') && error.message.includes('unix:///'),
      );
    });
  }

  test('a refused value never echoes a password', () => {
    for (const value of ['ssh://me:hunter2@host', 'tcp://me:hunter2@host:2375']) {
      assert.throws(() => parseDockerHost(value, 'setting'), (error: Error) => !error.message.includes('hunter2') && error.message.includes(':***@host'));
    }
  });
});
