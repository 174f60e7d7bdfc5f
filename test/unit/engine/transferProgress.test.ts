import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeTransferFailure } from '../../../src/engine/transfer';
import { parseProgressLine, Throttle, TransferProgressTracker } from '../../../src/engine/transferProgress';
import { parseReference } from '../../../src/image/reference';
import { networkError } from '../../../src/registry/httpErrors';

const PULL_STREAM = [
  '{"status":"Pulling from library/nginx","id":"1.27"}',
  '{"status":"Already exists","progressDetail":{},"id":"aaaaaaaaaaaa"}',
  '{"status":"Pulling fs layer","progressDetail":{},"id":"bbbbbbbbbbbb"}',
  '{"status":"Pulling fs layer","progressDetail":{},"id":"cccccccccccc"}',
  '{"status":"Waiting","progressDetail":{},"id":"cccccccccccc"}',
  '{"status":"Downloading","progressDetail":{"current":1000,"total":4000},"progress":"[==>  ]","id":"bbbbbbbbbbbb"}',
  '{"status":"Downloading","progressDetail":{"current":3000,"total":4000},"id":"bbbbbbbbbbbb"}',
  '{"status":"Verifying Checksum","progressDetail":{},"id":"bbbbbbbbbbbb"}',
  '{"status":"Download complete","progressDetail":{},"id":"bbbbbbbbbbbb"}',
  '{"status":"Extracting","progressDetail":{"current":500,"total":9000},"id":"bbbbbbbbbbbb"}',
  '{"status":"Pull complete","progressDetail":{},"id":"bbbbbbbbbbbb"}',
  '{"status":"Downloading","progressDetail":{"current":10,"total":100},"id":"cccccccccccc"}',
];

function track(lines: string[]): TransferProgressTracker {
  const tracker = new TransferProgressTracker();
  for (const line of lines) tracker.apply(parseProgressLine(line)!);
  return tracker;
}

describe('TransferProgressTracker', () => {
  test('a pull in the middle: layers, their statuses, bytes downloaded (not extracted)', () => {
    const snapshot = track(PULL_STREAM).snapshot();
    assert.deepEqual(snapshot.layers.map((layer) => [layer.id, layer.status, layer.done]), [
      ['aaaaaaaaaaaa', 'Already exists', true],
      ['bbbbbbbbbbbb', 'Pull complete', true],
      ['cccccccccccc', 'Downloading', false],
    ]);
    assert.equal(snapshot.layersDone, 2);
    assert.equal(snapshot.bytesMoved, 4010);
    assert.equal(snapshot.bytesTotal, 4100);
    assert.equal(snapshot.lastStatus, '1.27: Pulling from library/nginx');
  });

  test('the end of a pull: digest and status', () => {
    const tracker = track([...PULL_STREAM, '{"status":"Digest: sha256:' + 'd'.repeat(64) + '"}', '{"status":"Status: Downloaded newer image for nginx:1.27"}']);
    assert.equal(tracker.outcome.digest, 'sha256:' + 'd'.repeat(64));
    assert.equal(tracker.outcome.status, 'Downloaded newer image for nginx:1.27');
    assert.equal(tracker.outcome.error, undefined);
  });

  test('a push: Mounted from, Layer already exists, Pushed; the aux line gives digest and size', () => {
    const tracker = track([
      '{"status":"The push refers to repository [localhost:5000/app]"}',
      '{"status":"Preparing","progressDetail":{},"id":"111111111111"}',
      '{"status":"Preparing","progressDetail":{},"id":"222222222222"}',
      '{"status":"Preparing","progressDetail":{},"id":"333333333333"}',
      '{"status":"Pushing","progressDetail":{"current":512,"total":2048},"id":"111111111111"}',
      '{"status":"Pushed","progressDetail":{},"id":"111111111111"}',
      '{"status":"Layer already exists","progressDetail":{},"id":"222222222222"}',
      '{"status":"Mounted from library/busybox","progressDetail":{},"id":"333333333333"}',
      '{"status":"1: digest: sha256:' + 'e'.repeat(64) + ' size: 739"}',
      '{"progressDetail":{},"aux":{"Tag":"1","Digest":"sha256:' + 'e'.repeat(64) + '","Size":739}}',
    ]);
    const snapshot = tracker.snapshot();
    assert.equal(snapshot.layersDone, 3);
    assert.equal(snapshot.bytesMoved, 2048);
    assert.deepEqual([tracker.outcome.digest, tracker.outcome.size], ['sha256:' + 'e'.repeat(64), 739]);
  });

  test('a running count past the announced size is shown as all of it', () => {
    const snapshot = track(['{"status":"Pushing","progressDetail":{"current":3300,"total":3000},"id":"111111111111"}']).snapshot();
    assert.deepEqual([snapshot.bytesMoved, snapshot.bytesTotal], [3000, 3000]);
  });

  test('an error line inside the stream is a failure, not a success', () => {
    const tracker = track([...PULL_STREAM, '{"errorDetail":{"message":"unexpected EOF"},"error":"unexpected EOF"}']);
    assert.equal(tracker.outcome.error, 'unexpected EOF');
  });

  test('lines that are not JSON objects are ignored', () => {
    for (const line of ['', 'garbage', '42', 'null']) assert.equal(parseProgressLine(line), undefined);
  });
});

describe('Throttle', () => {
  test('the first value at once, then at most one per interval, and the last one on flush', async () => {
    const seen: number[] = [];
    const throttle = new Throttle<number>((value) => seen.push(value), 50);
    for (let i = 1; i <= 100; i++) throttle.push(i);
    assert.deepEqual(seen, [1]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.deepEqual(seen, [1, 100]);
    throttle.push(101);
    throttle.flush();
    assert.deepEqual(seen, [1, 100, 101]);
    throttle.dispose();
  });
});

describe('describeTransferFailure', () => {
  const ref = parseReference('registry.example.com:5000/team/app:1.2');
  const cases: Array<[string, string, RegExp]> = [
    ['Get "https://registry.example.com:5000/v2/": dial tcp: lookup registry.example.com: no such host', 'unknown-host', /: the host name registry\.example\.com does not resolve\. Check the registry address\.$/],
    ['Get "https://registry.example.com:5000/v2/": dial tcp: lookup registry.example.com: Temporary failure in name resolution', 'offline', /: no network or DNS\. Pull again when online/],
    ['Get "http://registry.example.com:5000/v2/": dial tcp 10.0.0.1:5000: connect: connection refused', 'refused', /connection refused\. Check that the registry/],
    ['Head "https://r/v2/team/app/manifests/1.2": unauthorized: authentication required', 'auth', /\(401\)\. Log in to registry\.example\.com:5000/],
    ['pull access denied for team/app, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied', 'denied', /access denied.*Log in/],
    ['manifest for registry.example.com:5000/team/app:1.2 not found: manifest unknown: manifest unknown', 'not-found', /has no tag "1\.2" in team\/app \(404\)/],
    ['toomanyrequests: You have reached your pull rate limit. Retry-After: 60 seconds.', 'rate-limited', /limiting requests \(429\); retry after 60 seconds/],
    ['Get "https://registry.example.com:5000/v2/": x509: certificate signed by unknown authority', 'tls', /TLS failed.*certs\.d\/registry\.example\.com:5000\/ca\.crt/],
    ['Get "https://registry.example.com:5000/v2/": http: server gave HTTP response to HTTPS client', 'insecure', /insecure-registries/],
    ['Get "https://registry.example.com:5000/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers) i/o timeout', 'timeout', /did not answer in time/],
    ['something else entirely', 'other', /: something else entirely$/],
  ];
  for (const [engineText, problem, message] of cases) {
    test(problem, () => {
      const error = describeTransferFailure('pull', ref, engineText);
      assert.equal(error.problem, problem);
      assert.match(error.message, /^Cannot pull registry\.example\.com:5000\/team\/app:1\.2 from registry\.example\.com:5000: /);
      assert.match(error.message, message);
      assert.equal(error.engineText, engineText);
    });
  }
  test('push of a name with no local image', () => {
    const error = describeTransferFailure('push', ref, 'An image does not exist locally with the tag: registry.example.com:5000/team/app', 404);
    assert.equal(error.problem, 'no-such-image');
    assert.match(error.message, /Tag an image as registry\.example\.com:5000\/team\/app:1\.2 first/);
  });
});

describe('connection failures: one classification for the Registries view and pull / push', () => {
  const nodeFailure = (message: string, code: string): TypeError => new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
  /** What follows the failure's first ": " up to the end, without the registry client's parenthesis. */
  const words = (message: string): string => message.slice(message.indexOf(': ') + 2).replace(/ \([^)]*\)\./, '.');

  test('connection refused reads the same from the registry client and from a push', () => {
    const tree = networkError({ registry: '127.0.0.1:5999', action: 'list the repositories of' }, 'http://127.0.0.1:5999/v2/_catalog', nodeFailure('connect ECONNREFUSED 127.0.0.1:5999', 'ECONNREFUSED'), 1000);
    const push = describeTransferFailure('push', parseReference('127.0.0.1:5999/app:1'), 'Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused');
    assert.equal(words(tree.message), 'connection refused. Check that the registry at 127.0.0.1:5999 is running and the port is right.');
    assert.equal(words(push.message), words(tree.message));
  });

  test('a name that does not resolve reads the same from both, for a known and an unknown registry', () => {
    for (const [host, known] of [['registry.example.com', false], ['registry.example.com', true], ['docker.io', undefined]] as const) {
      const tree = networkError({ registry: host, action: 'reach' }, `https://${host}/v2/`, nodeFailure(`getaddrinfo ENOTFOUND ${host}`, 'ENOTFOUND'), 1000, known);
      const pull = describeTransferFailure('pull', parseReference(`${host}/team/app:1`), `Get "https://${host}/v2/": dial tcp: lookup ${host}: no such host`, undefined, known === undefined ? {} : { known });
      assert.equal(words(pull.message).split('. ')[0], words(tree.message).split('. ')[0], `${host} ${known}`);
    }
  });
});

describe('offline is not a bad address', () => {
  const offlineText = 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host';
  test('a well-known registry that does not resolve: no network or DNS', () => {
    const error = describeTransferFailure('pull', parseReference('nginx:latest'), offlineText);
    assert.equal(error.problem, 'offline');
    assert.equal(error.message, 'Cannot pull nginx:latest from docker.io: no network or DNS. Pull again when online (or check the DNS and proxy settings).');
  });
  test('a registry known to exist (configured, or it answered before): no network or DNS', () => {
    const error = describeTransferFailure('push', parseReference('registry.example.com/team/app:1'), 'dial tcp: lookup registry.example.com: no such host', undefined, { known: true });
    assert.match(error.message, /^Cannot push registry\.example\.com\/team\/app:1 to registry\.example\.com: no network or DNS\. Push again when online/);
  });
  test('an unknown registry that does not resolve: check the address', () => {
    const error = describeTransferFailure('pull', parseReference('registry.exampel.com/team/app:1'), 'dial tcp: lookup registry.exampel.com: no such host');
    assert.equal(error.problem, 'unknown-host');
    assert.match(error.message, /: the host name registry\.exampel\.com does not resolve\. Check the registry address\.$/);
  });
});
