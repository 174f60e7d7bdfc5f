// COMMANDS against package.json and src/: the table and contributes.commands name the same
// ids, every menu entry, keybinding and welcome link names a contributed command, and no file
// of src/ spells a command id itself. Each check returns its problems, so the same checks are
// also run on a doctored copy to show that a disagreement fails.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { COMMANDS } from '../../../src/views/commandIds';

const root = path.resolve(__dirname, '../../..');
const TABLE_FILE = path.join('src', 'views', 'commandIds.ts');

interface Contributions {
  commands?: { command: string }[];
  menus?: Record<string, { command?: string; alt?: string; submenu?: string }[]>;
  keybindings?: { command: string }[];
  viewsWelcome?: { contents: string }[];
}

const contributions = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: Contributions }).contributes;
const tableIds: readonly string[] = Object.values(COMMANDS);

function contributedIds(contributes: Contributions): string[] {
  return (contributes.commands ?? []).map((entry) => entry.command);
}

function duplicates(ids: readonly string[]): string[] {
  return ids.filter((id, index) => ids.indexOf(id) !== index);
}

function tableProblems(table: readonly string[], contributes: Contributions): string[] {
  const contributed = contributedIds(contributes);
  return [
    ...table.filter((id) => !contributed.includes(id)).map((id) => `${id} is in COMMANDS but not in contributes.commands`),
    ...contributed.filter((id) => !table.includes(id)).map((id) => `${id} is in contributes.commands but not in COMMANDS`),
    ...duplicates(table).map((id) => `${id} is in COMMANDS twice`),
    ...duplicates(contributed).map((id) => `${id} is in contributes.commands twice`),
  ];
}

/** Menus, keybindings and `command:` links in welcome views that name no contributed command. */
function referenceProblems(contributes: Contributions): string[] {
  const contributed = new Set(contributedIds(contributes));
  const named: { where: string; id: string }[] = [];
  for (const [menu, entries] of Object.entries(contributes.menus ?? {})) {
    for (const entry of entries) {
      if (entry.command !== undefined) named.push({ where: `menus.${menu}`, id: entry.command });
      if (entry.alt !== undefined) named.push({ where: `menus.${menu} (alt)`, id: entry.alt });
    }
  }
  for (const binding of contributes.keybindings ?? []) named.push({ where: 'keybindings', id: binding.command.replace(/^-/, '') });
  for (const welcome of contributes.viewsWelcome ?? []) {
    for (const [, id] of welcome.contents.matchAll(/\(command:([^)?\s]+)/g)) named.push({ where: 'viewsWelcome', id: id! });
  }
  return named.filter(({ id }) => !contributed.has(id)).map(({ where, id }) => `${where} names ${id}, which is not in contributes.commands`);
}

/**
 * Literals in src/ that spell a command id: any `'layerlens.…'` equal to a known id, and any
 * `'layerlens.…'` where a command goes (registerCommand, executeCommand, `command:`), which
 * catches a misspelt id that matches nothing. Settings, view ids and context keys share the
 * prefix, so other literals are left alone.
 */
function literalProblems(files: ReadonlyMap<string, string>, knownIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    text.split('\n').forEach((line, index) => {
      const where = `${file}:${index + 1}`;
      for (const [, , id] of line.matchAll(/(['"`])(layerlens\.[\w.-]+)\1/g)) {
        if (knownIds.has(id!)) problems.push(`${where} spells ${id}: use COMMANDS`);
      }
      const commandPosition = /(?:(?:registerCommand|executeCommand)\((?:\s*\w+\s*,)?|\bcommand:)\s*(['"`])(layerlens\.[\w.-]+)\1/g;
      for (const [, , id] of line.matchAll(commandPosition)) {
        if (!knownIds.has(id!)) problems.push(`${where} names the command ${id}, which is neither in COMMANDS nor contributed`);
      }
    });
  }
  return problems;
}

function sourceFiles(): Map<string, string> {
  const src = path.join(root, 'src');
  const files = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  return new Map(files.map((file) => path.join('src', file)).filter((file) => file !== TABLE_FILE).map((file) => [file, fs.readFileSync(path.join(root, file), 'utf8')]));
}

describe('command ids', () => {
  test('COMMANDS and contributes.commands name the same ids, each once', () => {
    assert.ok(tableIds.length > 0);
    assert.deepEqual(tableProblems(tableIds, contributions), []);
  });

  test('every menu entry, keybinding and welcome link names a contributed command', () => {
    assert.deepEqual(referenceProblems(contributions), []);
  });

  test('src/ names commands only through COMMANDS', () => {
    const files = sourceFiles();
    assert.ok(files.size > 10, 'the scan found the source files');
    assert.deepEqual(literalProblems(files, new Set([...tableIds, ...contributedIds(contributions)])), []);
  });

  test('the checks fail when the table, package.json or src/ disagree', () => {
    const consistent: Contributions = { commands: tableIds.map((command) => ({ command })) };
    const misspelt = tableIds.map((id) => (id === COMMANDS.pullImage ? 'layerlens.image.pul' : id));
    assert.deepEqual(tableProblems(misspelt, consistent), [
      'layerlens.image.pul is in COMMANDS but not in contributes.commands',
      'layerlens.image.pull is in contributes.commands but not in COMMANDS',
    ]);

    const staleMenu: Contributions = { ...consistent, menus: { 'view/title': [{ command: 'layerlens.images.gone' }] }, keybindings: [{ command: 'layerlens.image.typo' }] };
    assert.deepEqual(referenceProblems(staleMenu), [
      'menus.view/title names layerlens.images.gone, which is not in contributes.commands',
      'keybindings names layerlens.image.typo, which is not in contributes.commands',
    ]);

    const known = new Set(tableIds);
    const files = new Map([
      ['a.ts', `registerCommand(ctx, 'layerlens.image.pull', pull);`],
      ['b.ts', `item.command = { command: 'layerlens.registries.loadMor', title: 'Load More' };`],
      ['c.ts', `getConfiguration('layerlens.dockerfile'); const key = 'layerlens.registries.added';`],
    ]);
    assert.deepEqual(literalProblems(files, known), [
      'a.ts:1 spells layerlens.image.pull: use COMMANDS',
      'b.ts:1 names the command layerlens.registries.loadMor, which is neither in COMMANDS nor contributed',
    ]);
  });
});
