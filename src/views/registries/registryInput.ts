// What people type to add a registry. No vscode import: unit-tested as it is.

import { hostPort } from '../../image/registryReach';
import { isLoopbackHost } from '../../registry/client';
import { portProblem } from '../../util/connectionFailure';

const HOST = /^[a-zA-Z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/;

/** `https://registry.example.com:5000/` -> host and whether it speaks plain HTTP; else why not, with the next step. */
export function parseRegistryInput(text: string): { host: string; insecure: boolean } | string {
  const trimmed = text.trim();
  const scheme = /^(https?):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  const host = trimmed.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!HOST.test(host)) return 'Write a registry host with an optional port, such as registry.example.com:5000 (http:// for a plain-HTTP registry).';
  const port = hostPort(host);
  const problem = port === undefined ? undefined : portProblem(port);
  if (problem !== undefined) return `${host}: ${problem}; use the registry's real port.`;
  return { host: host.toLowerCase(), insecure: scheme === 'http' && !isLoopbackHost(host) };
}
