// An image with many layers for the Layers panel's benchmark, made the way BuildKit would have
// built it from a generated Dockerfile, and loaded in one `docker load` request instead of a
// 120-step build: the base is the fixture busybox layer (so the panel finds "from
// layerlens-test/busybox:1"), then RUN steps that each write a file, with ENV steps between
// them, and BuildKit's history text, so the Dockerfile written next to it matches line by line.
import * as crypto from 'node:crypto';
import { BASE_IMAGE, busyboxRootfsTar } from './busyboxBase';
import { type TestEngine } from './engine';
import { engineRequest } from './engineApi';
import { createTar, type TarEntry } from './tarball';

export interface ManyLayerImage {
  ref: string;
  id: string;
  /** The Dockerfile the history matches. */
  dockerfile: string;
  layerCount: number;
  historyCount: number;
  /** 1-based line of the RUN that made the largest layer. */
  largestLine: number;
}

const BUILDKIT = 'buildkit.dockerfile.v0';

/** `layers` in total, the busybox base's included; an ENV (no layer) after every third RUN. */
export async function createManyLayerImage(engine: TestEngine, layers = 120, ref = 'layerlens-bench/layers:120'): Promise<ManyLayerImage> {
  const baseHistory = await engine.api<Array<{ Created: number; CreatedBy: string; Comment: string }>>('GET', `/images/${encodeURIComponent(BASE_IMAGE)}/history`);
  const created = (second: number): string => new Date(Date.UTC(2024, 0, 1) + second * 1000).toISOString();
  const history: Array<Record<string, unknown>> = [...baseHistory].reverse().map((entry) => ({ created: new Date(entry.Created * 1000).toISOString(), created_by: entry.CreatedBy, comment: entry.Comment }));
  const lines = [`FROM ${BASE_IMAGE}`];
  const tars: Buffer[] = [busyboxRootfsTar()];
  // Larger than the busybox layer, and near the top: vfs copies every layer below the next one.
  const largest = layers - 2;
  let largestLine = 0;
  for (let step = 1; step < layers; step++) {
    const bytes = step === largest ? 3_000_000 : 1000 * ((step % 10) + 1);
    const command = `mkdir -p /data && head -c ${bytes} /dev/zero > /data/step-${step}.bin`;
    lines.push(`RUN ${command}`);
    if (step === largest) largestLine = lines.length;
    history.push({ created: created(step * 2), created_by: `RUN /bin/sh -c ${command} # buildkit`, comment: BUILDKIT });
    const entries: TarEntry[] = [{ path: 'data', type: 'dir' }, { path: `data/step-${step}.bin`, type: 'file', content: Buffer.alloc(bytes) }];
    tars.push(createTar(entries));
    if (step % 3 === 0) {
      lines.push(`ENV STEP_${step}=done`);
      history.push({ created: created(step * 2 + 1), created_by: `ENV STEP_${step}=done`, comment: BUILDKIT, empty_layer: true });
    }
  }
  lines.push('CMD ["sh"]');
  history.push({ created: created(layers * 2), created_by: 'CMD ["sh"]', comment: BUILDKIT, empty_layer: true });

  const diffIds = tars.map((tar) => `sha256:${crypto.createHash('sha256').update(tar).digest('hex')}`);
  const config = {
    architecture: 'amd64',
    os: 'linux',
    created: created(layers * 2),
    config: { Env: ['PATH=/bin'], Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history,
  };
  const archive: TarEntry[] = tars.map((tar, index) => ({ path: `layer-${index}.tar`, type: 'file', content: tar }));
  archive.push({ path: 'config.json', type: 'file', content: JSON.stringify(config) });
  archive.push({ path: 'manifest.json', type: 'file', content: JSON.stringify([{ Config: 'config.json', RepoTags: [ref], Layers: tars.map((_tar, index) => `layer-${index}.tar`) }]) });
  const response = await engineRequest(engine.socketPath, 'POST', '/images/load?quiet=1', { body: createTar(archive), headers: { 'Content-Type': 'application/x-tar' }, timeoutMs: 300_000 });
  const text = response.body.toString('utf8');
  if (response.status !== 200 || text.includes('"error"')) throw new Error(`loading ${ref} answered ${response.status}: ${text.trim().slice(0, 2000)}`);
  const image = await engine.api<{ Id: string; RootFS: { Layers: string[] } }>('GET', `/images/${encodeURIComponent(ref)}/json`);
  if (image.RootFS.Layers.length !== layers) throw new Error(`${ref} has ${image.RootFS.Layers.length} layers, not ${layers}`);
  return { ref, id: image.Id, dockerfile: `${lines.join('\n')}\n`, layerCount: layers, historyCount: history.length, largestLine };
}
