// The Layers panel's messages: what each side accepts (type and fields checked, anything else
// refused with a reason), the HTML shell's CSP, and the request a lens passes to Show Layers.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentSecurityPolicy, createNonce, layersPanelHtml } from '../../../../src/views/layers/html';
import { panelDataProblem, parseHostMessage, parseWebviewMessage, type PanelData, type PanelRow } from '../../../../src/views/layers/protocol';
import { isLayersRequest } from '../../../../src/views/layers/request';

function row(overrides: Partial<PanelRow> = {}): PanelRow {
  return {
    index: 0,
    kind: 'layer',
    keyword: 'RUN',
    text: 'RUN make',
    raw: '/bin/sh -c make',
    comment: '',
    size: 1000,
    sizeText: '1.0 kB',
    scale: 1,
    largest: true,
    sharedCount: 0,
    sharedNames: [],
    inBase: false,
    padding: false,
    ...overrides,
  };
}

function data(overrides: Partial<PanelData> = {}): PanelData {
  return {
    image: { name: 'app:1', id: 'sha256:abc', tags: ['app:1'], digests: [], layerCount: 1, historyCount: 1 },
    rows: [row()],
    notes: [],
    ...overrides,
  };
}

describe('webview -> host messages', () => {
  test('ready, openLine and painted are accepted with their fields, and nothing more is kept', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(parseWebviewMessage({ type: 'openLine', row: 3, path: '/etc/passwd' }), { ok: true, message: { type: 'openLine', row: 3 } });
    assert.deepEqual(parseWebviewMessage({ type: 'painted', seq: 2, at: 1.5e12, rows: 12, renderMs: 3.2 }), { ok: true, message: { type: 'painted', seq: 2, at: 1.5e12, rows: 12, renderMs: 3.2 } });
  });

  for (const [name, value] of [
    ['a string', 'openLine'],
    ['null', null],
    ['an array', [{ type: 'ready' }]],
    ['no type', { row: 1 }],
    ['an unknown type', { type: 'runCommand', command: 'rm -rf /' }],
    ['a row that is a string', { type: 'openLine', row: '1' }],
    ['a negative row', { type: 'openLine', row: -1 }],
    ['a fractional row', { type: 'openLine', row: 1.5 }],
    ['an infinite row', { type: 'openLine', row: Infinity }],
    ['a huge row', { type: 'openLine', row: 2 ** 60 }],
    ['a row missing', { type: 'openLine' }],
    ['painted without a time', { type: 'painted', seq: 1, rows: 1, renderMs: 1 }],
    ['painted without a show number', { type: 'painted', at: 1, rows: 1, renderMs: 1 }],
    ['painted with NaN', { type: 'painted', seq: 1, at: NaN, rows: 1, renderMs: 1 }],
    ['painted with a negative render time', { type: 'painted', seq: 1, at: 1, rows: 1, renderMs: -1 }],
  ] as const) {
    test(`refused: ${name}`, () => {
      const parsed = parseWebviewMessage(value);
      assert.equal(parsed.ok, false);
      assert.ok(!parsed.ok && parsed.reason.length > 0);
    });
  }

  test('an unknown type is named in the reason (cut short), for the log', () => {
    const parsed = parseWebviewMessage({ type: 'x'.repeat(500) });
    assert.ok(!parsed.ok);
    assert.ok(!parsed.ok && parsed.reason.length < 80, parsed.ok ? '' : parsed.reason);
  });
});

describe('host -> webview messages', () => {
  test('show with complete data, highlight and error are accepted', () => {
    assert.equal(parseHostMessage({ type: 'show', data: data(), seq: 1 }).ok, true);
    assert.equal(parseHostMessage({ type: 'show', data: data() }).ok, false, 'a show without its number');
    assert.equal(parseHostMessage({ type: 'show', seq: 2, data: data({ base: { name: 'busybox:1', rowCount: 1, layerCount: 1, sizeText: '1 MB' }, dockerfile: { label: 'Dockerfile', matchedSteps: 3, stepCount: 4 } }) }).ok, true);
    assert.deepEqual(parseHostMessage({ type: 'highlight', rows: [0, 2] }), { ok: true, message: { type: 'highlight', rows: [0, 2] } });
    assert.deepEqual(parseHostMessage({ type: 'error', message: 'no engine' }), { ok: true, message: { type: 'error', message: 'no engine' } });
  });

  test('markup in the data is still just data: the check looks at types, the webview writes text', () => {
    const hostile = data({ rows: [row({ text: '<img src=x onerror=alert(1)>', raw: '<script>window.__pwned=1</script>' })] });
    assert.equal(parseHostMessage({ type: 'show', data: hostile, seq: 1 }).ok, true);
  });

  for (const [name, broken] of [
    ['no image', { ...data(), image: undefined }],
    ['tags not strings', data({ image: { ...data().image, tags: [1 as unknown as string] } })],
    ['rows not a list', { ...data(), rows: {} }],
    ['a row with an unknown kind', data({ rows: [row({ kind: 'script' as 'layer' })] })],
    ['a row with an object for text', data({ rows: [row({ text: { toString: () => 'x' } as unknown as string })] })],
    ['a bar longer than the panel', data({ rows: [row({ scale: 1.5 })] })],
    ['a line range upside down', data({ rows: [row({ line: { start: 5, end: 2 } })] })],
    ['shared names not strings', data({ rows: [row({ sharedNames: [{}] as unknown as string[] })] })],
    ['notes missing', { ...data(), notes: undefined }],
    ['a base without a name', data({ base: { rowCount: 1 } as unknown as PanelData['base'] })],
  ] as const) {
    test(`show refused: ${name}`, () => {
      assert.ok(panelDataProblem(broken));
      assert.equal(parseHostMessage({ type: 'show', data: broken, seq: 1 }).ok, false);
    });
  }

  test('highlight needs row indexes; error needs a message; unknown types are refused', () => {
    assert.equal(parseHostMessage({ type: 'highlight', rows: ['1'] }).ok, false);
    assert.equal(parseHostMessage({ type: 'highlight' }).ok, false);
    assert.equal(parseHostMessage({ type: 'error', message: 42 }).ok, false);
    assert.equal(parseHostMessage({ type: 'eval', code: 'alert(1)' }).ok, false);
  });
});

describe('the panel HTML', () => {
  test('CSP exactly: nothing by default, the script by nonce, styles, fonts and images from the webview source', () => {
    assert.equal(
      contentSecurityPolicy('https://*.vscode-cdn.net', 'abc'),
      "default-src 'none'; script-src 'nonce-abc'; style-src https://*.vscode-cdn.net; font-src https://*.vscode-cdn.net; img-src https://*.vscode-cdn.net data:",
    );
  });

  test('one script, carrying the nonce; no inline script or style; no data in the page', () => {
    const html = layersPanelHtml({ cspSource: 'vscode-webview://x', scriptUri: 'https://file+.vscode-resource/dist/webview.js', styleUris: ['https://r/a.css', 'https://r/b.css'], nonce: 'N0nce' });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script async nonce="N0nce" src="https:\/\/file\+\.vscode-resource\/dist\/webview\.js"><\/script>/);
    assert.doesNotMatch(html, /<style|style=/);
    assert.match(html, /content="default-src 'none'; script-src 'nonce-N0nce'; style-src vscode-webview:\/\/x; font-src vscode-webview:\/\/x; img-src vscode-webview:\/\/x data:"/);
    assert.equal(html.match(/<link rel="stylesheet"/g)?.length, 2);
  });

  test('nonces are fresh and long enough', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    assert.equal(nonces.size, 100);
    for (const nonce of nonces) assert.ok(Buffer.from(nonce, 'base64').length >= 16);
  });
});

describe('Show Layers requests (lens arguments)', () => {
  test('accepted with the fields a lens sets; anything else is treated as a tree node or the palette', () => {
    assert.equal(isLayersRequest({ kind: 'layersRequest', imageId: 'sha256:a', engineName: 'sha256:a', displayName: 'app:1' }), true);
    assert.equal(isLayersRequest({ kind: 'layersRequest', imageId: 'sha256:a', engineName: 'sha256:a', displayName: 'app:1', dockerfile: 'file:///w/Dockerfile', line: 3 }), true);
    assert.equal(isLayersRequest({ kind: 'layersRequest', imageId: 'sha256:a', engineName: 'sha256:a', displayName: 'app:1', line: -1 }), false);
    assert.equal(isLayersRequest({ kind: 'layersRequest', imageId: 'sha256:a', displayName: 'app:1' }), false);
    assert.equal(isLayersRequest(undefined), false);
    assert.equal(isLayersRequest({ kind: 'tag' }), false);
  });
});
