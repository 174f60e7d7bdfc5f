// The base image every fixture builds on. Nothing can be pulled here, so it is made from the
// static busybox binary (Debian's busybox-static) and `docker import`ed.
import * as fs from 'node:fs';
import { type TestEngine } from './engine';
import { createTar, type TarEntry } from './tarball';

export const BASE_IMAGE = 'layerlens-test/busybox:1';
const BUSYBOX = '/bin/busybox';
// The applets fixture Dockerfiles and tests may run; each is a symlink to busybox.
const APPLETS = [
  'sh', 'ash', 'cat', 'chmod', 'cp', 'date', 'dd', 'echo', 'env', 'false', 'find', 'grep', 'gzip', 'head',
  'id', 'ln', 'ls', 'mkdir', 'mv', 'printf', 'pwd', 'rm', 'sed', 'sha256sum', 'sleep', 'tar', 'touch',
  'true', 'uname', 'wc',
];

export function busyboxRootfsTar(): Buffer {
  if (!fs.existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: apt-get install -y busybox-static`);
  const entries: TarEntry[] = [
    { path: 'bin', type: 'dir' },
    { path: 'bin/busybox', type: 'file', content: fs.readFileSync(BUSYBOX), mode: 0o755 },
    ...APPLETS.map((name): TarEntry => ({ path: `bin/${name}`, type: 'symlink', linkTarget: 'busybox' })),
    { path: 'etc', type: 'dir' },
    { path: 'etc/passwd', type: 'file', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' },
    { path: 'etc/group', type: 'file', content: 'root:x:0:\nnogroup:x:65534:\n' },
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
  ];
  return createTar(entries);
}

/** Imports the busybox rootfs as `ref` and returns the image ID. */
export async function importBusyboxBase(engine: TestEngine, ref = BASE_IMAGE): Promise<string> {
  return engine.docker(
    ['import', '--change', 'ENV PATH=/bin', '--change', 'CMD ["sh"]', '--message', 'layerlens test base: static busybox', '-', ref],
    { input: busyboxRootfsTar() },
  );
}
