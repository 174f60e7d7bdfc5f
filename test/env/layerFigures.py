#!/usr/bin/env python3
"""An independent computation of the layer contents figures of a `docker save` archive, read with
Python's tarfile (saveReading.py), for holding Layerlens's layers/layerContents.ts and
layers/diveEfficiency.ts against. Nothing here comes from Layerlens's code:

- `layers`: per layer, what it adds, modifies and removes (counts, bytes and the paths), its size
  and its hidden bytes, by a plain overlay simulation written from the semantics layerContents.ts
  documents: a layer applies first every removal against the layers below (a whiteout `.wh.name`
  removes `name` and everything under it, `.wh..wh..opq` everything under its directory, a
  non-directory written over a directory everything under it), then every write; a path the
  same layer writes is never removed by it (it is modified); a tar holding a path twice keeps
  the kind of the first write. Hidden bytes: the sizes of the versions a layer wrote that a later
  write or removal hid. Everything under a path means every path with `path/` as a prefix.
- `dive`: efficiency, wasted bytes, user wasted fraction and inefficient paths by a literal port
  of dive's Go (github.com/wagoodman/dive: dive/filetree/efficiency.go, file_tree.go,
  file_node.go, file_info.go; dive/image/docker/image_archive.go; dive/image/image.go).

    python3 layerFigures.py IMAGE.tar > figures.json
"""
import json
import os
import posixpath
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import saveReading  # noqa: E402

WHITEOUT = '.wh.'
META = '.wh..wh..'
OPAQUE = '.wh..wh..opq'


# ---- (a) the overlay simulation ---------------------------------------------------------------

def base_name(path):
    return path.rsplit('/', 1)[-1]


def parent_of(path):
    return path.rsplit('/', 1)[0] if '/' in path else ''


def join(parent, name):
    return name if parent == '' else parent + '/' + name


class Visible(dict):
    """path -> (layer, size, type), with how many visible paths sit under each path (any depth)."""

    def __init__(self):
        super().__init__()
        self.below = {}

    def __setitem__(self, path, version):
        if path not in self:
            for ancestor in ancestors(path):
                self.below[ancestor] = self.below.get(ancestor, 0) + 1
        super().__setitem__(path, version)

    def pop(self, path):
        for ancestor in ancestors(path):
            self.below[ancestor] -= 1
        return super().pop(path)

    def under(self, root, with_root):
        """Every visible path under root (and root itself when with_root)."""
        found = [root] if with_root and root in self else []
        if self.below.get(root, 0) > 0:
            prefix = '' if root == '' else root + '/'
            found += [path for path in self if path.startswith(prefix) and path != root]
        return found


def ancestors(path):
    while '/' in path:
        path = path.rsplit('/', 1)[0]
        yield path
    yield ''


def simulate(layers):
    visible = Visible()
    hidden = [0] * len(layers)
    out = []
    for index, layer in enumerate(layers):
        entries = layer['entries']
        is_marker = [base_name(e['path']).startswith(WHITEOUT) for e in entries]
        written = {e['path'] for e, marker in zip(entries, is_marker) if not marker}
        added, modified, removed, unmatched = [], [], [], []

        def remove(root, with_root):
            candidates = visible.under(root, with_root)
            for path in candidates:
                if path in written:
                    continue
                writer, size, _ = visible.pop(path)
                hidden[writer] += size
                removed.append({'path': path, 'writtenBy': writer, 'size': size})
            return len(candidates) > 0

        # Every removal, against the layers below, in tar order.
        for entry, marker in zip(entries, is_marker):
            path, name = entry['path'], base_name(entry['path'])
            if not marker:
                if entry['type'] != 'directory' and visible.under(path, False):
                    remove(path, False)
            elif name == OPAQUE:
                remove(parent_of(path), False)
            elif not name.startswith(META):
                target = join(parent_of(path), name[len(WHITEOUT):])
                if not remove(target, True):
                    unmatched.append(target)

        # Then every write; each write tallied with its own size.
        kind_of_first = {}
        tally = {'added': [0, 0], 'modified': [0, 0]}
        for entry, marker in zip(entries, is_marker):
            if marker:
                continue
            path = entry['path']
            before = visible.get(path)
            if path not in kind_of_first:
                kind_of_first[path] = 'modified' if before is not None and before[0] < index else 'added'
            if before is not None:
                hidden[before[0]] += before[1]
            visible[path] = (index, entry['size'], entry['type'])
            kind = kind_of_first[path]
            (modified if kind == 'modified' else added).append(path)
            tally[kind][0] += 1
            tally[kind][1] += entry['size']

        out.append({
            'index': index,
            'diffId': layer['diffId'],
            'added': added,
            'modified': modified,
            'removed': removed,
            'unmatchedWhiteouts': unmatched,
            'tally': {
                'added': {'count': tally['added'][0], 'bytes': tally['added'][1]},
                'modified': {'count': tally['modified'][0], 'bytes': tally['modified'][1]},
                'removed': {'count': len(removed), 'bytes': sum(r['size'] for r in removed)},
            },
            'sizeBytes': sum(e['size'] for e in entries),
        })
    for layer in out:
        layer['hiddenBytes'] = hidden[layer['index']]
    return {
        'layers': out,
        'visible': {path: writer for path, (writer, _, _) in visible.items()},
        'visibleBytes': sum(size for _, size, _ in visible.values()),
        'hiddenBytes': sum(hidden),
    }


# ---- (b) dive, ported from its Go ---------------------------------------------------------------

class FileInfo:
    """filetree.FileInfo: what the efficiency needs of it (Size, IsDir). FileInfo{} is (0, False)."""
    __slots__ = ('size', 'is_dir')

    def __init__(self, size=0, is_dir=False):
        self.size = size
        self.is_dir = is_dir


class FileNode:
    __slots__ = ('tree', 'parent', 'name', 'info', 'children')

    def __init__(self, parent, name, info):
        self.parent = parent
        self.name = name
        self.info = FileInfo(info.size, info.is_dir)
        self.children = {}
        self.tree = parent.tree if parent is not None else None

    def add_child(self, name, info):
        if name.startswith(META):
            return None
        child = FileNode(self, name, info)
        if name in self.children:
            self.children[name].info = FileInfo(info.size, info.is_dir)
        else:
            self.children[name] = child
        return child

    def remove(self):
        if self is self.tree.root:
            raise DiveError('cannot remove the tree root')
        for child in list(self.children.values()):
            child.remove()
        del self.parent.children[self.name]

    def copy(self, parent):
        node = FileNode(parent, self.name, self.info)
        for name, child in self.children.items():
            node.children[name] = child.copy(node)
        return node

    def visit_depth_child_first(self, visitor, evaluator):
        # Go's sort.Strings orders by bytes; for str, code points give the same order as UTF-8 bytes.
        for name in sorted(self.children):
            self.children[name].visit_depth_child_first(visitor, evaluator)
        if self is self.tree.root:
            return
        if evaluator is None or evaluator(self):
            visitor(self)

    def is_whiteout(self):
        return self.name.startswith(WHITEOUT)

    def is_leaf(self):
        return len(self.children) == 0

    def path(self):
        names = []
        node = self
        while node.parent is not None:
            name = node.name
            if node is self and name.startswith(WHITEOUT):
                name = name[len(WHITEOUT):]
            names.insert(0, name)
            node = node.parent
        return ('/' + '/'.join(names)).replace('//', '/')


class DiveError(Exception):
    pass


class FileTree:
    def __init__(self):
        self.root = FileNode(None, '', FileInfo())
        self.root.tree = self
        self.file_size = 0

    def copy(self):
        tree = FileTree()
        tree.file_size = self.file_size
        tree.root = self.root.copy(None)

        def retree(node):
            node.tree = tree
            for child in node.children.values():
                retree(child)
        retree(tree.root)
        return tree

    def get_node(self, path):
        node = self.root
        for name in path.strip('/').split('/'):
            if name == '':
                continue
            if name not in node.children:
                raise DiveError('path does not exist: ' + path)
            node = node.children[name]
        return node

    def add_path(self, filepath, data):
        filepath = go_clean(filepath)
        if filepath == '.':
            raise DiveError("cannot add relative path '%s'" % filepath)
        names = filepath.strip('/').split('/')
        node = self.root
        for idx, name in enumerate(names):
            if name == '':
                continue
            if name in node.children:
                node = node.children[name]
            else:
                if name.startswith(META):
                    return
                node = node.add_child(name, FileInfo())
                if node is None:
                    raise DiveError('could not add child node')
            if idx == len(names) - 1:
                node.info = FileInfo(data.size, data.is_dir)

    def remove_path(self, path):
        self.get_node(path).remove()

    def stack(self, upper):
        def graft(node):
            try:
                if node.is_whiteout():
                    self.remove_path(node.path())
                else:
                    self.add_path(node.path(), node.info)
            except DiveError:
                pass  # dive collects these as failed paths and goes on
        upper.root.visit_depth_child_first(graft, None)


def go_clean(name):
    """Go's path.Clean: posixpath.normpath, except that it keeps a leading '//' and Clean does not."""
    if name == '':
        return '.'
    cleaned = posixpath.normpath(name)
    return '/' + cleaned.lstrip('/') if cleaned.startswith('//') else cleaned


def stack_tree_range(trees, start, stop):
    tree = trees[0].copy()
    for idx in range(start, stop + 1):
        tree.stack(trees[idx])
    return tree


def layer_tree(data):
    """image_archive.go processLayerTar + getFileList: every header, its Size and IsDir, in tar order."""
    import io
    import tarfile
    tree = FileTree()
    with tarfile.open(fileobj=io.BytesIO(data), mode='r:') as layer:
        for info in layer:
            name = go_clean(info.name)
            if name == '.':
                continue
            element = FileInfo(info.size, info.isdir())
            tree.file_size += element.size
            tree.add_path(name, element)
    return tree


def efficiency(trees):
    """efficiency.go Efficiency, with its error path kept: a whiteout whose path is not in the stack of
    the layers below ends that layer's visit (the rest of its leaves unseen, the -1 in the minimum)."""
    efficiency_map = {}
    inefficient = []
    visit_errors = []
    stacked_cache = {}

    for current, tree in enumerate(trees):
        def visitor(node, current=current):
            path = node.path()
            if path not in efficiency_map:
                efficiency_map[path] = {'path': path, 'nodes': 0, 'cumulative': 0, 'min': -1}
            data = efficiency_map[path]
            size = 0
            if node.is_whiteout():
                # StackTreeRange(trees, 0, current-1) is the same tree for every whiteout of a layer.
                if current not in stacked_cache:
                    stacked_cache[current] = stack_tree_range(trees, 0, current - 1)
                previous = stacked_cache[current].get_node(node.path())
                if previous.info.is_dir:
                    sizes = []
                    previous.visit_depth_child_first(lambda n: sizes.append(n.info.size), None)
                    size = sum(sizes)
            else:
                size = node.info.size
            data['cumulative'] += size
            if data['min'] < 0 or size < data['min']:
                data['min'] = size
            data['nodes'] += 1
            if data['nodes'] == 2:
                inefficient.append(data)
        try:
            tree.root.visit_depth_child_first(visitor, lambda node: node.is_leaf())
        except DiveError as error:
            visit_errors.append({'layer': current, 'error': str(error)})

    minimum = sum(d['min'] for d in efficiency_map.values())
    discovered = sum(d['cumulative'] for d in efficiency_map.values())
    score = 1.0 if discovered == 0 else minimum / discovered
    return score, inefficient, visit_errors


def dive(tars):
    trees = [layer_tree(data) for data in tars]
    score, inefficient, visit_errors = efficiency(trees)
    user_size = sum(tree.file_size for idx, tree in enumerate(trees) if idx != 0)
    wasted = sum(d['cumulative'] for d in inefficient)
    paths = sorted(({'path': d['path'].lstrip('/'), 'count': d['nodes'], 'cumulativeSize': d['cumulative']} for d in inefficient),
                   key=lambda p: (-p['cumulativeSize'], p['path']))
    return {
        'efficiency': score,
        'wastedBytes': wasted,
        'userWastedFraction': (wasted / user_size) if user_size else None,
        'inefficientPaths': paths,
        'layerSizes': [tree.file_size for tree in trees],
        'visitErrors': visit_errors,
    }


def main(path):
    diff_ids, tars = saveReading.layer_tars(path)
    layers = [saveReading.read_layer(data) for data in tars]
    figures = simulate(layers)
    figures['diffIds'] = diff_ids
    figures['dive'] = dive(tars)
    json.dump(figures, sys.stdout)


if __name__ == '__main__':
    main(sys.argv[1])
