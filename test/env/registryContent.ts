// Content for registry tests and benchmarks, pushed over the distribution API: one tiny image
// (a config blob, no layers) and the same manifest under many tags, quickly.
import { OCI_MANIFEST, sha256 } from './ociIndex';
import { mapWithConcurrency } from './manyImages';
import { registryAuthHeader } from './registryAuth';
import { type TestRegistry } from './registry';

export interface TinyImage {
  manifest: Buffer;
  digest: string;
  auth: Record<string, string>;
}

/** A tiny image pushed as repository:tag; returns the manifest bytes, its digest and the auth used. */
export async function pushTinyImage(registry: TestRegistry, repository: string, tag: string): Promise<TinyImage> {
  const auth = await registryAuthHeader(registry, `repository:${repository}:pull,push`);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2024-02-02T00:00:00Z', rootfs: { type: 'layers', diff_ids: [] } }));
  const start = await fetch(`${registry.url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: auth });
  await start.arrayBuffer();
  if (start.status !== 202) throw new Error(`starting an upload to ${repository} answered ${start.status}`);
  const upload = new URL(start.headers.get('location') ?? '', registry.url);
  upload.searchParams.set('digest', sha256(config));
  const put = await fetch(upload, { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(config) });
  await put.arrayBuffer();
  if (put.status !== 201) throw new Error(`uploading the config to ${repository} answered ${put.status}`);
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length }, layers: [] }),
  );
  await putManifest(registry, repository, tag, manifest, auth);
  return { manifest, digest: sha256(manifest), auth };
}

export async function putManifest(registry: TestRegistry, repository: string, tag: string, manifest: Buffer, auth: Record<string, string>): Promise<void> {
  const response = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, { method: 'PUT', headers: { ...auth, 'Content-Type': OCI_MANIFEST }, body: new Uint8Array(manifest) });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`PUT ${repository}:${tag} answered ${response.status}: ${text}`);
}

/** The tiny image under `count` tags (t0, t1, ...), 16 PUTs at a time. */
export async function pushManyTags(registry: TestRegistry, repository: string, count: number): Promise<TinyImage> {
  const image = await pushTinyImage(registry, repository, 't0');
  const tags = Array.from({ length: count - 1 }, (_, i) => `t${i + 1}`);
  await mapWithConcurrency(tags, 16, (tag) => putManifest(registry, repository, tag, image.manifest, image.auth));
  return image;
}
