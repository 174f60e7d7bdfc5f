// Pattern substitutions (`#`, `##`, `%`, `%%`, `/`, `//`) against BuildKit's own tables in
// moby/buildkit frontend/dockerfile/shell/lex_test.go: TestProcessWithMatches (inputs, values
// and results copied as they are there), TestConvertShellPatternToRegex and TestReversePattern.
// They are the independent reading: the expected values are BuildKit's, not this code's.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGlob, reversePattern } from '../../../src/dockerfile/globs';
import { expandWord, Scope } from '../../../src/dockerfile/variables';
import { lexWord } from '../../../src/dockerfile/words';

/** The word expanded with these ARG values: its text, `error: ...`, or `unresolved: NAMES`. */
function expand(word: string, values: Record<string, string>, escape = '\\'): string {
  const scope = new Scope();
  for (const [name, text] of Object.entries(values)) {
    scope.declare({ name, line: 0, value: { text, origins: Array.from({ length: text.length }, (_, i) => 10_000 + i), unresolved: [], reads: [] } });
  }
  const lexed = lexWord([...word].map((ch, offset) => ({ ch, offset })), escape);
  if (lexed.error !== undefined) return `error: ${lexed.error}`;
  const expansion = expandWord(word, lexed.pieces, scope);
  if (expansion.error !== undefined) return `error: ${expansion.error}`;
  return expansion.unresolved.length > 0 ? `unresolved: ${expansion.unresolved.join(' ')}` : expansion.text;
}

describe("BuildKit's TestProcessWithMatches", () => {
  const cases: [input: string, values: Record<string, string>, expected: string][] = [
    ['${FOO#()[]{\\}^$.\\*\\?|\\\\}', { FOO: '()[]{}^$.*?|\\x' }, 'x'],
    ['${FOO%%\\**}', { FOO: 'xx**' }, 'xx'],
    ['${FOO#*x*y}', { FOO: 'xxyy' }, 'y'],
    ['${FOO#*}', { FOO: 'xxyy' }, 'xxyy'],
    ['${FOO#$BAR}', { FOO: 'xxyy', BAR: 'x' }, 'xyy'],
    ['${FOO#$BAR}', { FOO: 'xxyy', BAR: '' }, 'xxyy'],
    ['${FOO#}', { FOO: 'xxyy' }, 'xxyy'],
    ['${FOO##*x}', { FOO: 'xxyy' }, 'yy'],
    ['${FOO##}', { FOO: 'xxyy' }, 'xxyy'],
    ['${FOO#?\\?}', { FOO: '???y' }, '?y'],
    ['${ABC:-.}${FOO%x}${ABC:-.}', { FOO: 'xxyy' }, '.xxyy.'],
    ['${FOO%%\\**\\*}', { FOO: 'a***yy*' }, 'a'],
    ['${FOO%}', { FOO: 'xxyy' }, 'xxyy'],
    ['${FOO%%$BAR}', { FOO: 'xxyy', BAR: '' }, 'xxyy'],
    ['${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}', { FOO: '/foo*/*/*.txt', NEEDLE: '\\*/' }, '/foo.*/*.txt - /foo..*.txt'],
    ['${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}', { FOO: '/tmp/tmp/bar.txt', NEEDLE: '/tmp' }, '/tmp/bar.txt - /bar.txt'],
    ['${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}', { FOO: '/a/foo/b/c.txt', NEEDLE: '/?/', REPLACEMENT: '/' }, '/foo/b/c.txt - /foo/c.txt'],
    ['${FOO/$NEEDLE/$REPLACEMENT}', { FOO: 'http://google.de', NEEDLE: 'http://', REPLACEMENT: 'https://' }, 'https://google.de'],
    // The replacement keeps its backslashes.
    ['${FOO//\\//\\/}', { FOO: '/tmp/foo.txt' }, '\\/tmp\\/foo.txt'],
    ['${FOO/$BAR/ww}', { FOO: 'xxyy', BAR: '' }, 'wwxxyy'],
    ['${FOO///}', { FOO: 'xxyy' }, 'xxyy'],
  ];
  for (const [input, values, expected] of cases) {
    test(`${input} with ${JSON.stringify(values)}`, () => assert.equal(expand(input, values), expected));
  }

  test('errors: the colon forms of the pattern operators, and // without its second slash', () => {
    for (const input of ['${FOO:#}', '${FOO:##}', '${FOO:%}', '${FOO:%%}', '${FOO//ww}', '${FOO//}']) {
      assert.match(expand(input, { FOO: 'xxyy' }), /^error: /, input);
    }
  });
});

describe("BuildKit's TestConvertShellPatternToRegex and TestReversePattern", () => {
  test('valid patterns, their escapes literal', () => {
    for (const pattern of ['*', '?', '\\*', '(()[]{\\}^$.\\*\\?|\\\\']) assert.equal(parseGlob(pattern).error, undefined, pattern);
  });

  test('invalid patterns: a lone backslash, an escape of another character, an odd run of backslashes', () => {
    for (const pattern of ['\\', '\\x', '\\\\\\']) assert.notEqual(parseGlob(pattern).error, undefined, pattern);
  });

  test('reversed with each escape pair kept in order', () => {
    const cases: [string, string][] = [['a\\*c', 'c\\*a'], ['\\\\\\ab', 'b\\a\\\\'], ['ab\\', '\\ba'], ['👽\\🚀🖖', '🖖\\🚀👽'], ['\\\\b', 'b\\\\']];
    for (const [pattern, reversed] of cases) assert.equal(reversePattern(pattern), reversed, pattern);
  });
});

describe('escapes in patterns, as BuildKit keeps them raw', () => {
  test('an escaped star or question mark is literal; a bare one is a wildcard', () => {
    assert.equal(expand('${V%\\*}', { V: '1.2*' }), '1.2');
    assert.equal(expand('${V%.*}', { V: '1.2*' }), '1');
    assert.equal(expand('${V%.\\*}', { V: '1.2.3' }), '1.2.3');
    assert.equal(expand('${V#\\?}', { V: 'a?' }), 'a?');
    assert.equal(expand('${V//\\?/x}', { V: 'a?b?' }), 'axbx');
  });

  test('\\\\ is one literal backslash; \\} and \\/ are the bare characters', () => {
    assert.equal(expand('${V#a\\\\}', { V: 'a\\b' }), 'b');
    assert.equal(expand('${V%\\}}', { V: 'a}' }), 'a');
    assert.equal(expand('${V/\\//-}', { V: 'a/b/c' }), 'a-b/c');
  });

  test('any other escape in a pattern stops the build, and says which', () => {
    assert.equal(expand('${V#\\v}', { V: 'v3.20' }), "error: BuildKit rejects the pattern \"\\v\" in ${V#\\v} (invalid escape '\\v'); in a pattern, escape only *, ?, \\, } and /");
    assert.match(expand('${V%%3\\.*}', { V: 'v3.20' }), /invalid escape '\\\.'/);
    assert.match(expand('${V/\\a/b}', { V: 'abc' }), /invalid escape '\\a'/);
    assert.match(expand('${V//x/y\\}', { V: 'abc' }), /^error: a "\}" is missing$/);
  });

  test('a bad pattern fails whatever the value: unset, unknown, or in a default not taken', () => {
    assert.match(expand('${V#\\v}', {}), /invalid escape/);
    assert.match(expand('${TARGETARCH#\\v}', {}), /invalid escape/);
    assert.match(expand('${X:-${V#\\v}}', { X: 'set', V: 'v1' }), /invalid escape/);
  });

  test('escapes from a value or in single quotes are pattern escapes too', () => {
    assert.equal(expand('${V%$P}', { V: 'ab*', P: '\\*' }), 'ab');
    assert.equal(expand("${V%'\\*'}", { V: 'ab*' }), 'ab');
    assert.match(expand("${V#'\\v'}", { V: 'v1' }), /invalid escape '\\v'/);
  });

  test('in double quotes an escape before another character is written twice', () => {
    // `"\*"` reaches the pattern as `\\*`: a literal backslash, then a wildcard.
    assert.equal(expand('${V#"\\*"}', { V: '\\abc' }), 'abc');
    assert.equal(expand('${V#"\\\\"}', { V: '\\abc' }), 'abc');
    assert.match(expand('${V#"\\$"}', { V: '$abc' }), /invalid escape '\\\$'/);
  });

  test('the replacement keeps its escapes', () => {
    assert.equal(expand('${V/a/\\x}', { V: 'abc' }), '\\xbc');
    assert.equal(expand('${V//b/\\\\}', { V: 'abcb' }), 'a\\\\c\\\\');
  });

  test('with the backtick escape, the backtick stays in the pattern as a plain character and \\ still escapes', () => {
    assert.equal(expand('${V%`*}', { V: 'a`bc' }, '`'), 'a');
    assert.equal(expand('${V%\\*}', { V: 'a*' }, '`'), 'a');
  });
});

describe('the rest of Go regexp semantics', () => {
  test('a doubled operator taken from the expanded word, as BuildKit reads word[0]', () => {
    assert.equal(expand("${V#'#'*x}", { V: 'xxyy' }), 'yy');
    assert.equal(expand("${V%'%'y*}", { V: 'xxyy' }), 'xx');
  });

  test('${X/a} runs on to the next slash, as BuildKit reads it', () => {
    assert.match(expand('${V/a}', { V: 'abc' }), /^error: a "\/" is missing$/);
    assert.equal(expand('${V/a}/b}', { V: 'a}' }), 'b');
  });

  test('$ in the text of // is Go template text: $$, $0 and unknown names', () => {
    assert.equal(expand("${V//x/'[$0]'}", { V: 'xxyy' }), '[x][x]yy');
    assert.equal(expand("${V//x/'$$'}", { V: 'xy' }), '$y');
    assert.equal(expand("${V//x/'$1$name${0}$'}", { V: 'xy' }), 'x$y');
    assert.equal(expand("${V/x/'[$0]'}", { V: 'xxyy' }), '[$0]xyy');
  });

  test('an empty pattern matches between every character for //', () => {
    assert.equal(expand('${V///-}', { V: 'ab' }), '-a-b-');
    assert.equal(expand('${V//$E/-}', { V: '', E: '' }), '-');
  });

  test('a wildcard takes a whole code point and never a line break', () => {
    assert.equal(expand('${V#?}', { V: '🖖x' }), 'x');
    assert.equal(expand('${V%?}', { V: 'x🖖' }), 'x');
    assert.equal(expand('${V#*}', { V: 'a\nb' }), 'a\nb');
    assert.equal(expand('${V##*}', { V: 'a\nb' }), '\nb');
  });

  test('brackets are plain text: BuildKit has no bracket expressions', () => {
    assert.equal(expand('${V#[a-z]}', { V: 'abc' }), 'abc');
    assert.equal(expand('${V#[a-z]}', { V: '[a-z]bc' }), 'bc');
  });
});
