// TLS for tests of remote engines: a throwaway CA, a server certificate for 127.0.0.1 and a
// client certificate (made with openssl), and a TLS front for an engine's unix socket that
// requires the client certificate, as `dockerd --tlsverify` does.
import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { makeTempDir, onCleanup, removeTempDir } from './cleanup';
import { listenOnLoopback, pipeToSocket } from './pipe';
import { runCommand } from './processes';

export interface TlsMaterial {
  /** A folder with ca.pem, cert.pem and key.pem for the client: what DOCKER_CERT_PATH names. */
  clientCertPath: string;
  ca: string;
  serverCert: string;
  serverKey: string;
}

export async function createTlsMaterial(): Promise<TlsMaterial> {
  const dir = makeTempDir();
  onCleanup(() => Promise.resolve(removeTempDir(dir)));
  const file = (name: string): string => path.join(dir, name);
  const openssl = (args: string[]): Promise<string> => runCommand('openssl', args, { cwd: dir });
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca-key.pem'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=layerlens-test-ca']);
  fs.writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  fs.writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subject] of [['server', '/CN=127.0.0.1'], ['client', '/CN=layerlens-client']] as const) {
    await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file(`${name}-key.pem`), '-out', file(`${name}.csr`), '-subj', subject]);
    await openssl(['x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca-key.pem'), '-CAcreateserial', '-out', file(`${name}.pem`), '-days', '2', '-extfile', file(`${name}.ext`)]);
  }
  const clientCertPath = path.join(dir, 'client');
  fs.mkdirSync(clientCertPath);
  fs.copyFileSync(file('ca.pem'), path.join(clientCertPath, 'ca.pem'));
  fs.copyFileSync(file('client.pem'), path.join(clientCertPath, 'cert.pem'));
  fs.copyFileSync(file('client-key.pem'), path.join(clientCertPath, 'key.pem'));
  return { clientCertPath, ca: fs.readFileSync(file('ca.pem'), 'utf8'), serverCert: fs.readFileSync(file('server.pem'), 'utf8'), serverKey: fs.readFileSync(file('server-key.pem'), 'utf8') };
}

export interface TlsFront {
  port: number;
  /** tcp://127.0.0.1:PORT */
  dockerHost: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port with TLS, requires a client certificate from the CA, and forwards to the socket. */
export async function startTlsFront(material: TlsMaterial, targetSocketPath: string): Promise<TlsFront> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: material.serverCert, key: material.serverKey, ca: material.ca, requestCert: true, rejectUnauthorized: true }, (client) =>
    pipeToSocket(client, targetSocketPath, sockets),
  );
  server.on('tlsClientError', () => undefined);
  const { port, close } = await listenOnLoopback(server, sockets);
  return { port, dockerHost: `tcp://127.0.0.1:${port}`, close };
}
