// How a Dockerfile step recognises its own history entry, for the instructions whose text
// the builders rewrite: RUN (shell, exec form, heredocs), CMD/ENTRYPOINT and HEALTHCHECK
// (Go's %q lists), and the exec (JSON) form. Pure text logic; no `vscode` import.

import { type Instruction } from 'dockerfile-ast';
import { parseGoStringList, SHELL_START, type HistoryInstruction } from './historyText';
import { normalize } from './stepValues';

/** The exec (JSON) form's strings; undefined for the shell form. (dockerfile-ast's getJSONValue drops spaces.) */
export function jsonStrings(argumentsContent: string): string[] | undefined {
  const content = argumentsContent.trim();
  if (!content.startsWith('[') || !content.endsWith(']')) return undefined;
  try {
    const parsed = JSON.parse(content) as unknown;
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? (parsed) : undefined;
  } catch {
    return undefined;
  }
}


const normalizedBodies = new WeakMap<HistoryInstruction, string>();

/** An entry's body with white-space runs as one space; computed once per entry. */
export function normalizedBody(entry: HistoryInstruction): string {
  let body = normalizedBodies.get(entry);
  if (body === undefined) {
    body = normalize(entry.body);
    normalizedBodies.set(entry, body);
  }
  return body;
}

export function runMatcher(instruction: Instruction, content: string, shell: string[] | undefined): (entry: HistoryInstruction) => boolean {
  const exec = jsonStrings(content);
  if (exec) {
    const expected = normalize(exec.join(' '));
    return (entry) => normalizedBody(entry) === expected;
  }
  const heredocs = content.includes('<<') ? ((instruction as Instruction & { getHeredocs?: () => Array<{ getName(): string }> }).getHeredocs?.() ?? []) : [];
  const heredoc = heredocs[0];
  if (heredoc && heredocs.length === 1 && /^<<-?(["']?)\w+\1\s*\n/.test(content)) {
    // `RUN <<EOT` alone: BuildKit runs the body with the shell, or a body with `#!` as a script.
    const body = content.replace(/^[^\n]*\n/, '').replace(/\n[^\n]*$/, '');
    if (body.startsWith('#!')) {
      const script = `/dev/pipes/${heredoc.getName()}`;
      return (entry) => normalizedBody(entry) === script;
    }
    return shellMatcher(normalize(body), shell);
  }
  return shellMatcher(normalize(content), shell);
}

function shellMatcher(command: string, shell: string[] | undefined): (entry: HistoryInstruction) => boolean {
  if (shell) {
    const expected = normalize(`${shell.join(' ')} ${command}`);
    return (entry) => normalizedBody(entry) === expected;
  }
  // No SHELL in the file: the default, or one the base image set; some tools (kaniko) record no shell.
  const suffix = ` ${command}`;
  return (entry) => {
    const body = normalizedBody(entry);
    if (body === command) return true;
    if (!body.endsWith(suffix)) return false;
    return isShellPrefix(body.slice(0, body.length - command.length));
  };
}

/** A whole shell prefix: the shell, its options and the one that takes the command, nothing after. */
const SHELL_PREFIX = new RegExp(`${SHELL_START.source}$`);

function isShellPrefix(prefix: string): boolean {
  return SHELL_PREFIX.test(prefix);
}

export function commandMatcher(content: string, shell: string[] | undefined): (entry: HistoryInstruction) => boolean {
  const exec = jsonStrings(content);
  const command = normalize(content);
  return (entry) => {
    const recorded = parseGoStringList(entry.body)?.map(normalize);
    if (!recorded) return false;
    if (exec) return sameTokens(recorded, exec.map(normalize));
    if (shell) return sameTokens(recorded, [...shell.map(normalize), command]);
    return recorded.length >= 2 && recorded[recorded.length - 1] === command && isShellPrefix(`${recorded.slice(0, -1).join(' ')} `);
  };
}

export function healthcheckTest(command: string): string[] {
  const exec = jsonStrings(command);
  return exec ? ['CMD', ...exec] : ['CMD-SHELL', command];
}

export function sameTokens(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((token, index) => normalize(token) === normalize(b[index]!));
}
