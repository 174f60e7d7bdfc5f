// A tiny ustar writer: enough for image rootfs tarballs and registry layers built in memory.
export interface TarEntry {
  /** Relative path without a leading "/", e.g. "bin/sh"; at most 99 bytes. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  content?: Buffer | string;
  linkTarget?: string;
  mode?: number;
}

const BLOCK = 512;
// A fixed mtime keeps the bytes, and so layer digests, identical from run to run.
const FIXED_MTIME = 1_700_000_000;

export function createTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.type === 'file' ? Buffer.from(entry.content ?? '') : Buffer.alloc(0);
    parts.push(header(entry, content.length), content, Buffer.alloc(padding(content.length)));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function header(entry: TarEntry, size: number): Buffer {
  const name = entry.type === 'dir' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  if (Buffer.byteLength(name) > 99) throw new Error(`tar path too long for ustar without prefix: ${name}`);
  const block = Buffer.alloc(BLOCK);
  const defaultMode = entry.type === 'dir' ? 0o755 : entry.type === 'symlink' ? 0o777 : 0o644;
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, entry.mode ?? defaultMode);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, FIXED_MTIME);
  block.fill(' ', 148, 156); // checksum is computed with its own field as spaces
  block.write(entry.type === 'dir' ? '5' : entry.type === 'symlink' ? '2' : '0', 156, 1, 'ascii');
  if (entry.linkTarget) block.write(entry.linkTarget, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'binary');
  block.write('root', 265, 32, 'ascii');
  block.write('root', 297, 32, 'ascii');
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
