// A unix-socket proxy in front of a test engine that counts connections: proves when the
// extension talks to the engine, and when it does not. It can stop and start listening
// along with the engine, so clients see what a stopped engine looks like (no socket).
import * as fs from 'node:fs';
import * as net from 'node:net';
import { pipeToSocket } from '../env/pipe';

export interface CountingProxy {
  socketPath: string;
  dockerHost: string;
  connections(): number;
  /** Closes the listener and every open connection, and removes the socket file. */
  stopListening(): Promise<void>;
  startListening(): Promise<void>;
  close(): Promise<void>;
}

export async function startCountingProxy(socketPath: string, targetSocketPath: string): Promise<CountingProxy> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;

  const listen = async (): Promise<void> => {
    const created = net.createServer((client) => {
      count++;
      pipeToSocket(client, targetSocketPath, sockets);
    });
    fs.rmSync(socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(socketPath, resolve);
    });
    server = created;
  };

  const stopListening = async (): Promise<void> => {
    const current = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (current) await new Promise((resolve) => current.close(resolve));
    fs.rmSync(socketPath, { force: true });
  };

  await listen();
  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    connections: () => count,
    stopListening,
    startListening: listen,
    close: stopListening,
  };
}
