#!/usr/bin/env python3
"""An independent reading of a `docker save` archive, with Python's tarfile (not Layerlens's code):
the layers in manifest order, each with the sha256 of its tar and every entry's header.

    python3 saveReading.py IMAGE.tar > reading.json
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


def main(path):
    with tarfile.open(path, mode='r:') as archive:
        manifest = json.load(archive.extractfile('manifest.json'))[0]
        config = json.load(archive.extractfile(manifest['Config']))
        layers = [read_layer(archive.extractfile(name).read()) for name in manifest['Layers']]
    json.dump({'diffIds': config['rootfs']['diff_ids'], 'layers': layers}, sys.stdout)


main(sys.argv[1])
