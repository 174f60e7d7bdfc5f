// Heap held by one image's layer contents at 200,000 entries (BENCH_ENTRIES): the archive read
// (engine/imageArchive.ts) and the contents model (layers/layerContents.ts) kept alive, measured
// after a full GC against the heap before. The archive is written by Python's tarfile: five
// layers, files overwritten and deleted in the later ones, so the model has hidden versions.
// Target: under 150 MB of extension-host heap. Run with --expose-gc (the script re-runs itself).

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readImageArchive } from '../src/engine/imageArchive';
import { analyzeLayers } from '../src/layers/layerContents';
import { makeTempDir } from '../test/env/cleanup';
import { ms, report } from './stats';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 200_000);

const WRITER = `
import hashlib, io, json, sys, tarfile
out, total = sys.argv[1], int(sys.argv[2])
per = total // 5
layers = []
for n in range(5):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w') as tar:
        for i in range(per):
            # Layers 2-5 rewrite a tenth of layer 1's files and delete another tenth.
            if n == 0 or i % 10 == 0:
                name = f'app/{i // 1000}/file-{i}.txt' if n == 0 or i % 20 == 0 else f'app/{i // 1000}/.wh.file-{i}.txt'
            else:
                name = f'layer{n}/{i // 1000}/new-{i}.txt'
            data = b'' if '.wh.' in name else b'x' * (64 + i % 512)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    layers.append(buffer.getvalue())
ids = ['sha256:' + hashlib.sha256(layer).hexdigest() for layer in layers]
config = json.dumps({'rootfs': {'type': 'layers', 'diff_ids': ids}}).encode()
manifest = json.dumps([{'Config': 'config.json', 'Layers': [f'l{n}/layer.tar' for n in range(5)]}]).encode()
with tarfile.open(out, 'w') as archive:
    for name, data in [(f'l{n}/layer.tar', layer) for n, layer in enumerate(layers)] + [('config.json', config), ('manifest.json', manifest)]:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
`;

async function measure(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const file = path.join(makeTempDir(), 'contents.tar');
  execFileSync('python3', ['-c', WRITER, file, String(ENTRIES)]);
  gc();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const reading = await readImageArchive(fs.createReadStream(file), 'bench');
  const contents = analyzeLayers(reading.layers);
  const elapsed = performance.now() - started;
  gc();
  const extraMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  const entries = reading.layers.reduce((sum, layer) => sum + layer.entries.length, 0);
  console.log(`check: ${entries} entries in ${reading.layers.length} layers, ${contents.visible.size} visible paths, ${contents.hiddenBytes} hidden bytes; read and analysed in ${ms(elapsed)}`);
  report(`heap held at ${entries} entries (archive read + contents model)`, `${extraMb.toFixed(1)} MB`, extraMb / 150, '< 150 MB', extraMb < 150);
  // Keep both alive until measured.
  if (!contents.layers.length || !reading.layers.length) throw new Error('nothing read');
}

if ((globalThis as { gc?: unknown }).gc) {
  measure().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename], { stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}
