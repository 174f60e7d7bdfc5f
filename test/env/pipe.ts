import * as net from 'node:net';

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
