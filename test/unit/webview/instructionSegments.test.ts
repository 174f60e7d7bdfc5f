// Where the Layers panel breaks a long instruction shown whole: before &&, || and |, after ;,
// never inside quotes, and always giving back the text unchanged when joined.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { instructionSegments } from '../../../src/webview/instructionSegments';

describe('instructionSegments', () => {
  test('one command stays whole', () => {
    assert.deepEqual(instructionSegments('RUN apk add --no-cache curl'), ['RUN apk add --no-cache curl']);
    assert.deepEqual(instructionSegments(''), []);
  });

  test('&&, || and | start a piece; ; ends one', () => {
    assert.deepEqual(instructionSegments('RUN apt-get update && apt-get install -y curl || true'), ['RUN apt-get update ', '&& apt-get install -y curl ', '|| true']);
    assert.deepEqual(instructionSegments('RUN set -eux; curl -fsSL https://x | tar -xz -C /opt'), ['RUN set -eux; ', 'curl -fsSL https://x ', '| tar -xz -C /opt']);
  });

  test('operators inside quotes or escaped are text, not breaks', () => {
    assert.deepEqual(instructionSegments(`RUN echo 'a && b; c | d' "e || f" g\\;h`), [`RUN echo 'a && b; c | d' "e || f" g\\;h`]);
    assert.deepEqual(instructionSegments(`RUN echo "it's \\"quoted\\" && still" && done`), [`RUN echo "it's \\"quoted\\" && still" `, '&& done']);
  });

  test('redirections are not pipes', () => {
    assert.deepEqual(instructionSegments('RUN cmd 2>&1 >| out.log'), ['RUN cmd 2>&1 >| out.log']);
  });

  test('a trailing ; or operator leaves no empty piece', () => {
    assert.deepEqual(instructionSegments('RUN a;'), ['RUN a;']);
    assert.deepEqual(instructionSegments('RUN a ;  b'), ['RUN a ;  ', 'b']);
    assert.deepEqual(instructionSegments('&& a'), ['&& a']);
  });

  test('joined, the pieces are the text unchanged', () => {
    const texts = [
      'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gnupg && rm -rf /var/lib/apt/lists/*',
      `RUN echo '<script>' > /x.html && echo "a'b" | cat;   ls || :`,
      'LABEL org.opencontainers.image.title="a && b"',
      'RUN unterminated "quote && more',
    ];
    for (const text of texts) assert.equal(instructionSegments(text).join(''), text);
  });
});
