// Pushes a multi-platform OCI image index straight through the distribution API: the 20.10
// engine cannot push manifest lists, and no base image can be pulled here.
import * as crypto from 'node:crypto';
import * as zlib from 'node:zlib';
import { type TestRegistry } from './registry';
import { registryAuthHeader } from './registryAuth';
import { createTar } from './tarball';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const CREATED = '2024-01-01T00:00:00Z';

export interface PlatformManifest {
  platform: string;
  digest: string;
  size: number;
}

export interface IndexFixture {
  /** e.g. "127.0.0.1:40123/multi/platform:1" */
  reference: string;
  repository: string;
  tag: string;
  /** Digest of the index, from the registry's Docker-Content-Digest header. */
  digest: string;
  mediaType: string;
  /** "os/architecture" of each image in the index, in index order. */
  platforms: string[];
  manifests: PlatformManifest[];
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

const PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
];

export async function pushMultiPlatformIndex(
  registry: TestRegistry,
  repository = 'multi/platform',
  tag = '1',
): Promise<IndexFixture> {
  const auth = await registryAuthHeader(registry, `repository:${repository}:pull,push`);
  const client = new DistributionClient(registry, repository, auth);
  const manifests: PlatformManifest[] = [];
  const indexEntries: object[] = [];
  for (const platform of PLATFORMS) {
    const name = `${platform.os}/${platform.architecture}`;
    const manifest = await client.pushImage(name, platform);
    manifests.push({ platform: name, digest: manifest.digest, size: manifest.size });
    indexEntries.push({ ...manifest, platform });
  }
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: indexEntries }));
  const digest = await client.putManifest(tag, OCI_INDEX, index);
  return {
    reference: `${registry.host}/${repository}:${tag}`,
    repository,
    tag,
    digest,
    mediaType: OCI_INDEX,
    platforms: manifests.map((m) => m.platform),
    manifests,
  };
}

class DistributionClient {
  constructor(
    private readonly registry: TestRegistry,
    private readonly repository: string,
    private readonly auth: Record<string, string>,
  ) {}

  /** One tiny layer whose only file names the platform, so each platform's image differs. */
  async pushImage(name: string, platform: { os: string; architecture: string }): Promise<Descriptor> {
    const tar = createTar([{ path: 'platform.txt', type: 'file', content: `${name}\n` }]);
    const layer = zlib.gzipSync(tar);
    const config = Buffer.from(
      JSON.stringify({
        ...platform,
        created: CREATED,
        config: { Env: ['PATH=/bin'], Cmd: ['cat', '/platform.txt'], Labels: { 'org.layerlens.fixture': 'multi-platform' } },
        rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
        history: [{ created: CREATED, created_by: 'COPY platform.txt / # layerlens fixture' }],
      }),
    );
    const layerDescriptor = await this.uploadBlob(layer, OCI_LAYER_GZIP);
    const configDescriptor = await this.uploadBlob(config, OCI_CONFIG);
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDescriptor, layers: [layerDescriptor] }),
    );
    const digest = await this.putManifest(sha256(manifest), OCI_MANIFEST, manifest);
    return { mediaType: OCI_MANIFEST, digest, size: manifest.length };
  }

  /** Monolithic upload: POST opens the session, a single PUT with ?digest= completes it. */
  async uploadBlob(data: Buffer, mediaType: string): Promise<Descriptor> {
    const digest = sha256(data);
    const start = await this.send('POST', `${this.base()}/blobs/uploads/`, {});
    const location = start.headers.get('location');
    if (start.status !== 202 || !location) {
      throw new Error(`starting a blob upload to ${this.registry.host}/${this.repository} answered ${start.status}: ${await start.text()}`);
    }
    await start.arrayBuffer();
    const uploadUrl = new URL(location, this.registry.url);
    uploadUrl.searchParams.set('digest', digest);
    const put = await this.send('PUT', uploadUrl.href, { 'Content-Type': 'application/octet-stream' }, data);
    if (put.status !== 201) {
      throw new Error(`uploading blob ${digest} to ${this.registry.host}/${this.repository} answered ${put.status}: ${await put.text()}`);
    }
    await put.arrayBuffer();
    return { mediaType, digest, size: data.length };
  }

  async putManifest(reference: string, mediaType: string, body: Buffer): Promise<string> {
    const response = await this.send('PUT', `${this.base()}/manifests/${reference}`, { 'Content-Type': mediaType }, body);
    const text = await response.text();
    if (response.status !== 201) {
      throw new Error(`pushing manifest ${this.repository}:${reference} to ${this.registry.host} answered ${response.status}: ${text}`);
    }
    const digest = response.headers.get('docker-content-digest');
    if (digest !== sha256(body)) {
      throw new Error(`registry reported digest ${digest} for ${this.repository}:${reference}, expected ${sha256(body)}`);
    }
    return digest;
  }

  private base(): string {
    return `${this.registry.url}/v2/${this.repository}`;
  }

  private send(method: string, url: string, headers: Record<string, string>, body?: Buffer): Promise<Response> {
    // A copy typed as Uint8Array<ArrayBuffer>: the DOM fetch types do not take a Node Buffer.
    return fetch(url, { method, headers: { ...this.auth, ...headers }, body: body && new Uint8Array(body) });
  }
}

export function sha256(data: Buffer): string {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}
