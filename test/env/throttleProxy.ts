// A loopback TCP proxy that slows what the upstream sends (registry -> engine), and with
// `both` what the client sends too, to a set rate: so a test can cancel a pull in the middle
// of a download, or watch a push's progress.
import * as net from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import { listenOnLoopback } from './pipe';

export interface ThrottleProxy {
  port: number;
  /** 127.0.0.1:PORT, usable as a registry host in image references. */
  host: string;
  /** Bytes sent downstream so far. */
  bytesSent(): number;
  close(): Promise<void>;
}

class RateLimit extends Transform {
  constructor(
    private readonly bytesPerSecond: number,
    private readonly onBytes: (count: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    // Slices of 1/20 s worth, each after its share of time.
    const slice = Math.max(1, Math.floor(this.bytesPerSecond / 20));
    const send = (offset: number): void => {
      if (offset >= chunk.length) return callback();
      const part = chunk.subarray(offset, offset + slice);
      this.push(part);
      this.onBytes(part.length);
      setTimeout(() => send(offset + slice), (part.length / this.bytesPerSecond) * 1000);
    };
    send(0);
  }
}

export async function startThrottleProxy(upstreamPort: number, bytesPerSecond: number, direction: 'down' | 'both' = 'down'): Promise<ThrottleProxy> {
  let sent = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    if (direction === 'both') client.pipe(new RateLimit(bytesPerSecond, () => undefined)).pipe(upstream);
    else client.pipe(upstream);
    upstream.pipe(new RateLimit(bytesPerSecond, (count) => (sent += count))).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.end());
  });
  const { port, close } = await listenOnLoopback(server, sockets);
  return { port, host: `127.0.0.1:${port}`, bytesSent: () => sent, close };
}
