#!/usr/bin/env python3
"""Rewrites a `docker save` archive in the other layouts Layerlens must read, with Python's
tarfile, gzip and the zstd CLI (not Layerlens's code):

    python3 ociFromSave.py SAVE.tar OUT.tar oci       # OCI layout: index.json only; layers gzip and zstd by turns
    python3 ociFromSave.py SAVE.tar OUT.tar docker25  # Docker 25+: blobs/sha256 plain, manifest.json and index.json after them

In both, the blobs come first and the JSON that says which blob is which comes last, as
Docker 25 writes them.
"""
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile


def digest(data):
    return 'sha256:' + hashlib.sha256(data).hexdigest()


def add(out, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    out.addfile(info, io.BytesIO(data))


def main(src, dst, layout):
    with tarfile.open(src) as archive:
        manifest = json.load(archive.extractfile('manifest.json'))[0]
        config = archive.extractfile(manifest['Config']).read()
        layers = [archive.extractfile(name).read() for name in manifest['Layers']]
    blobs = []
    descriptors = []
    for index, layer in enumerate(layers):
        if layout == 'oci':
            if index % 2 == 0:
                data, media = gzip.compress(layer), 'application/vnd.oci.image.layer.v1.tar+gzip'
            else:
                data = subprocess.run(['zstd', '-q', '-c'], input=layer, stdout=subprocess.PIPE, check=True).stdout
                media = 'application/vnd.oci.image.layer.v1.tar+zstd'
        else:
            data, media = layer, 'application/vnd.oci.image.layer.v1.tar'
        blobs.append(data)
        descriptors.append({'mediaType': media, 'digest': digest(data), 'size': len(data)})
    image_manifest = json.dumps({
        'schemaVersion': 2,
        'mediaType': 'application/vnd.oci.image.manifest.v1+json',
        'config': {'mediaType': 'application/vnd.oci.image.config.v1+json', 'digest': digest(config), 'size': len(config)},
        'layers': descriptors,
    }).encode()
    index = json.dumps({
        'schemaVersion': 2,
        'mediaType': 'application/vnd.oci.image.index.v1+json',
        'manifests': [{'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'digest': digest(image_manifest), 'size': len(image_manifest)}],
    }).encode()
    with tarfile.open(dst, 'w') as out:
        for data in blobs + [config, image_manifest]:
            add(out, 'blobs/sha256/' + digest(data)[len('sha256:'):], data)
        add(out, 'oci-layout', b'{"imageLayoutVersion": "1.0.0"}')
        add(out, 'index.json', index)
        if layout == 'docker25':
            docker_manifest = [{'Config': 'blobs/sha256/' + digest(config)[7:], 'RepoTags': manifest.get('RepoTags'), 'Layers': ['blobs/sha256/' + d['digest'][7:] for d in descriptors]}]
            add(out, 'manifest.json', json.dumps(docker_manifest).encode())


main(sys.argv[1], sys.argv[2], sys.argv[3])
