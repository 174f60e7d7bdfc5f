import * as net from 'node:net';
import { onCleanup } from './cleanup';

/** Joins a client connection to the unix socket at targetSocketPath, both ways; tracks both in `open`. */
export function pipeToSocket(client: net.Socket, targetSocketPath: string, open: Set<net.Socket>): void {
  const upstream = net.connect(targetSocketPath);
  for (const socket of [client, upstream]) {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
  }
  client.pipe(upstream).pipe(client);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
}

/**
 * Listens on a free loopback port; `close` ends every open connection and the server, and
 * runs at process exit if a test forgets to.
 */
export async function listenOnLoopback(server: net.Server, open: Set<net.Socket>): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  let unregister = (): void => undefined;
  const close = async (): Promise<void> => {
    unregister();
    for (const socket of open) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  unregister = onCleanup(close);
  return { port, close };
}
