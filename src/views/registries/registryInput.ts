// What people type to add a registry. No vscode import: unit-tested as it is.

import { isLoopbackHost } from '../../registry/client';

const HOST = /^[a-zA-Z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/;

/** `https://registry.example.com:5000/` -> host and whether it speaks plain HTTP. */
export function parseRegistryInput(text: string): { host: string; insecure: boolean } | string {
  const trimmed = text.trim();
  const scheme = /^(https?):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  const host = trimmed.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!HOST.test(host)) return 'Write a registry host with an optional port, such as registry.example.com:5000 (http:// for a plain-HTTP registry).';
  return { host: host.toLowerCase(), insecure: scheme === 'http' && !isLoopbackHost(host) };
}
