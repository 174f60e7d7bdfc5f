#!/usr/bin/env python3
"""An independent reading of a `docker save` archive, with Python's tarfile (not Layerlens's code):
the layers in manifest order, each with the sha256 of its tar and every entry's header.

    python3 saveReading.py IMAGE.tar > reading.json

Also a module: test/env/layerFigures.py imports layer_tars, read_layer and read_archive.
"""
import hashlib
import io
import json
import sys
import tarfile


def normalize(name):
    while name.startswith('./'):
        name = name[2:]
    return name.strip('/')


def entry_type(info):
    if info.isreg():
        return 'file'
    if info.isdir():
        return 'directory'
    if info.issym():
        return 'symlink'
    if info.islnk():
        return 'hardlink'
    return 'other'


def read_layer(data):
    entries = []
    with tarfile.open(fileobj=io.BytesIO(data), mode='r:') as layer:
        for info in layer:
            path = normalize(info.name)
            if not path:
                continue
            kind = entry_type(info)
            entry = {'path': path, 'type': kind, 'size': info.size if kind == 'file' else 0, 'mode': info.mode, 'uid': info.uid, 'gid': info.gid}
            if info.linkname:
                entry['linkTarget'] = info.linkname
            entries.append(entry)
    return {'diffId': 'sha256:' + hashlib.sha256(data).hexdigest(), 'entries': entries}


def layer_tars(path):
    """The image config's diff_ids and each layer's tar bytes, in manifest order."""
    with tarfile.open(path, mode='r:') as archive:
        manifest = json.load(archive.extractfile('manifest.json'))[0]
        config = json.load(archive.extractfile(manifest['Config']))
        return config['rootfs']['diff_ids'], [archive.extractfile(name).read() for name in manifest['Layers']]


def read_archive(path):
    diff_ids, tars = layer_tars(path)
    return {'diffIds': diff_ids, 'layers': [read_layer(data) for data in tars]}


def main(path):
    json.dump(read_archive(path), sys.stdout)


if __name__ == '__main__':
    main(sys.argv[1])
