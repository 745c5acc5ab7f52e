# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Check a copy of a torrent's data against the .torrent, piece by piece, as qBittorrent's own check would.

Build once, seed everywhere: a seeder receives the builder's .torrent and must not seed its own copy of the data
unless that copy is the data the .torrent was made from. qBittorrent checks a received torrent one at a time (about
a second each, even for a few KiB); when the module can see the copy (the rules of ``source_check`` and
``path_map``) it hashes it here instead and adds the torrent with ``skip_checking``.

* v1 and hybrid torrents: the SHA-1 of every piece over the files in the order of the info dictionary's ``files``
  (BEP 3); padding files (``attr`` ``p``, BEP 47) count as zeros and are not read.
* v2-only torrents: every file's ``pieces root`` (BEP 52), the root of a SHA-256 merkle tree over the file's 16 KiB
  blocks, the leaves beyond the end of the file zero.
* Every file must be there with the size the .torrent gives; a file of length 0 may be missing (qBittorrent creates
  it). A path component that could leave the torrent's directory (``..``, ``/``, empty) fails the check.

``check_copy(meta, save_dir)`` returns None when the copy matches, else the problem in words (naming the file and
the path); it raises nothing for a bad copy (unreadable files are problems too).

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import hashlib
import os
import traceback
import typing as t

BENCODE_IMPORT_ERROR = None
try:
    from fastbencode import bdecode
except ImportError:
    BENCODE_IMPORT_ERROR = traceback.format_exc()

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta

BLOCK = 16384  # BEP 52 leaf size
READ_SIZE = 1 << 20
ZERO_LEAF = b"\x00" * 32


def _text(value):
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def _is_padding(entry, path):
    attr = entry.get(b"attr", b"")
    if isinstance(attr, bytes) and b"p" in attr:
        return True
    return (len(path) > 1 and path[0] in (b".pad", b".____padding_file")) or path[-1].startswith(b"_____padding_file_")


def _safe(parts):
    """The path components as str, or None when one could leave the torrent's directory."""
    out = []
    for part in parts:
        text = _text(part)
        if not isinstance(text, str) or text in ("", ".", "..") or "/" in text or "\x00" in text:
            return None
        out.append(text)
    return out


class _Layout:
    """The files of a torrent where qBittorrent looks for them under ``save_dir`` (content layout Original)."""

    def __init__(self, meta, save_dir):
        decoded = bdecode(meta.data)
        self.top = decoded
        self.info = decoded[b"info"]
        self.meta = meta
        self.save_dir = save_dir

    def root(self):
        name = _safe([self.meta.name.encode("utf-8", "surrogateescape")])
        return None if name is None else os.path.join(self.save_dir, name[0])

    def v1_files(self):
        """[(relative name, local path or None for padding, length)] in piece order; None when a path is unsafe."""
        info = self.info
        root = self.root()
        if root is None:
            return None
        if b"files" not in info:
            return [(self.meta.name, root, info[b"length"])]
        files = []
        for entry in info[b"files"]:
            path = entry.get(b"path.utf-8", entry.get(b"path"))
            if _is_padding(entry, path):
                files.append((None, None, entry[b"length"]))
                continue
            parts = _safe(path)
            if parts is None:
                return None
            files.append(("/".join(parts), os.path.join(root, *parts), entry[b"length"]))
        return files

    def v2_files(self):
        """[(relative name, local path, length, pieces root)] of the file tree; None when a path is unsafe."""
        root_file = self.meta.v2_root_file
        base = self.save_dir if root_file is not None else self.root()
        if base is None:
            return None
        files = []
        todo = [((), self.info[b"file tree"])]
        while todo:
            prefix, node = todo.pop()
            for key in sorted(node):
                child = node[key]
                leaf = child.get(b"")
                if isinstance(leaf, dict):
                    attr = leaf.get(b"attr", b"")
                    if isinstance(attr, bytes) and b"p" in attr:
                        continue
                    parts = _safe(prefix + (key,))
                    if parts is None:
                        return None
                    files.append(("/".join(parts), os.path.join(base, *parts), leaf[b"length"],
                                  leaf.get(b"pieces root")))
                elif key:
                    todo.append((prefix + (key,), child))
        return sorted(files)


def _size_problem(name, path, length):
    """Why the file at ``path`` cannot hold ``length`` bytes, or None."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        if length == 0:
            return None  # qBittorrent creates empty files itself
        return "file %s is missing at %s (%s)" % (name, path, exc.strerror or exc)
    if not os.path.isfile(path):
        return "%s is not a regular file (the .torrent's file %s)" % (path, name)
    if size != length:
        return "file %s is %d bytes at %s, the .torrent says %d" % (name, size, path, length)
    return None


def _v1_check(layout, piece_size):
    files = layout.v1_files()
    if files is None:
        return "the .torrent names a file with an unsafe path (.., / or empty): not checked"
    for name, path, length in files:
        if path is not None:
            problem = _size_problem(name, path, length)
            if problem:
                return problem
    pieces = layout.info[b"pieces"]
    count = len(pieces) // 20
    bad = []
    first_bad_file = [None]
    state = dict(index=0, hasher=hashlib.sha1(), left=piece_size, files=set())

    def feed(data, name):
        view = memoryview(data)
        while len(view):
            take = min(state["left"], len(view))
            state["hasher"].update(view[:take])
            if name is not None:
                state["files"].add(name)
            view = view[take:]
            state["left"] -= take
            if state["left"] == 0:
                finish()

    def finish():
        index = state["index"]
        if index >= count or state["hasher"].digest() != pieces[index * 20:index * 20 + 20]:
            bad.append(index)
            if first_bad_file[0] is None:
                first_bad_file[0] = ", ".join(sorted(state["files"])) or "padding"
        state.update(index=index + 1, hasher=hashlib.sha1(), left=piece_size, files=set())

    for name, path, length in files:
        if path is None:
            left = length
            while left:
                chunk = min(left, READ_SIZE)
                feed(b"\x00" * chunk, None)
                left -= chunk
            continue
        if length == 0:
            continue
        try:
            with open(path, "rb") as handle:
                left = length
                while left:
                    data = handle.read(min(left, READ_SIZE))
                    if not data:
                        return "file %s at %s became shorter while it was read" % (name, path)
                    feed(data, name)
                    left -= len(data)
        except OSError as exc:
            return "cannot read file %s at %s: %s" % (name, path, exc.strerror or exc)
    if state["left"] != piece_size:  # the last, shorter piece
        finish()
    if state["index"] != count:
        return "the .torrent has %d pieces, the files make %d" % (count, state["index"])
    if bad:
        return ("%d of %d pieces differ from the .torrent (the first is piece %d, in %s)"
                % (len(bad), count, bad[0], first_bad_file[0]))
    return None


def merkle_root(leaves: t.Sequence[bytes]) -> bytes:
    """The root of a binary SHA-256 tree over ``leaves`` (32-byte hashes), padded with zero leaves to a power of 2."""
    if not leaves:
        return ZERO_LEAF
    layer = list(leaves)
    width = 1
    while width < len(layer):
        width *= 2
    layer.extend([ZERO_LEAF] * (width - len(layer)))
    while len(layer) > 1:
        layer = [hashlib.sha256(layer[i] + layer[i + 1]).digest() for i in range(0, len(layer), 2)]
    return layer[0]


def file_root(path: str, length: int) -> bytes:
    """BEP 52 ``pieces root`` of the first ``length`` bytes of the file at ``path``."""
    leaves = []
    with open(path, "rb") as handle:
        left = length
        while left:
            data = handle.read(min(left, READ_SIZE))
            if not data:
                raise OSError("the file became shorter while it was read")
            for start in range(0, len(data), BLOCK):
                leaves.append(hashlib.sha256(data[start:start + BLOCK]).digest())
            left -= len(data)
    return merkle_root(leaves)


def _v2_check(layout):
    files = layout.v2_files()
    if files is None:
        return "the .torrent names a file with an unsafe path (.., / or empty): not checked"
    for name, path, length, dummy in files:
        problem = _size_problem(name, path, length)
        if problem:
            return problem
    differ = []
    for name, path, length, root in files:
        if length == 0:
            continue
        try:
            if file_root(path, length) != root:
                differ.append(name)
        except OSError as exc:
            return "cannot read file %s at %s: %s" % (name, path, getattr(exc, "strerror", None) or exc)
    if differ:
        return ("%d of %d files differ from the .torrent (their merkle roots): %s"
                % (len(differ), len(files), ", ".join(differ[:5]) + (" and more" if len(differ) > 5 else "")))
    return None


def check_copy(meta: TorrentMeta, save_dir: str) -> str | None:
    """Whether the data under ``save_dir`` (seen from this host) is the data of ``meta`` (a TorrentMeta).

    None when every piece (v1, hybrid) or every file's merkle root (v2) matches, else the problem in words."""
    if BENCODE_IMPORT_ERROR is not None:
        return "the Python library fastbencode is required to check the data"
    layout = _Layout(meta, save_dir)
    if meta.format in ("v1", "hybrid"):
        return _v1_check(layout, meta.piece_size)
    return _v2_check(layout)
