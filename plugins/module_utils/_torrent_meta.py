# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Read, describe and re-label .torrent files (BitTorrent v1, v2 and hybrid).

Modules use this to answer "does the file on disk already satisfy the options?" by comparing parsed
properties, never raw bytes (creation date and client name change on every build), and to change the
announce list, url seeds or comment of a torrent without touching its info dictionary, so the info hashes
stay the same.

Bencode is handled by the maintained ``fastbencode`` package. Its decoder is strict (dictionary keys must
be sorted and unique, integers canonical), so re-encoding the decoded info dictionary reproduces the exact
bytes the info hashes are computed over.

This is a private module_utils file (leading underscore): its API may change without notice.
"""

from __future__ import annotations

import datetime
import hashlib
import traceback

from urllib.parse import quote

BENCODE_IMPORT_ERROR = None
try:
    from fastbencode import bdecode, bencode
except ImportError:
    BENCODE_IMPORT_ERROR = traceback.format_exc()

# Names that BitTorrent clients give to padding files when the 'attr' key is missing (old libtorrent, BitComet).
_PAD_DIRS = (b".pad", b".____padding_file")
_PAD_PREFIX = b"_____padding_file_"


class TorrentMetaError(Exception):
    """The data is not a readable .torrent file; the message says why in one line."""


def _text(value):
    """Bytes from a torrent -> str. Undecodable bytes survive as surrogates, like os.fsdecode() on Linux,
    so names compare equal to the names os.scandir() returns for the same files."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return value


def _display(value):
    """A str that is safe to put into JSON (undecodable bytes become U+FFFD)."""
    if value is None:
        return None
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _raw(value):
    """str -> bytes for writing into a torrent (inverse of _text)."""
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8", "surrogateescape")


def _optional_text(value):
    """Optional str fields: a missing, empty or non-string value is None."""
    if isinstance(value, bytes) and value:
        return _text(value)
    return None


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


class TorrentMeta:
    """The parsed properties of one .torrent file.

    Build it with :meth:`from_bytes` or :meth:`from_file`. File paths use ``/`` and are relative to the
    torrent's root directory (for a single-file torrent, the one path is the file name); padding files
    are left out.
    """

    def __init__(self, data, meta):
        """Use from_bytes() / from_file(); ``meta`` is the decoded top-level dictionary of ``data``."""
        self.data = data
        self._meta = meta
        info = meta.get(b"info")
        if not isinstance(info, dict):
            raise TorrentMetaError("not a torrent file: it has no 'info' dictionary")
        self._info = info

        name = info.get(b"name.utf-8", info.get(b"name"))
        if not isinstance(name, bytes) or not name:
            raise TorrentMetaError("invalid torrent file: the info dictionary has no 'name'")
        self.name = _text(name)

        piece_size = info.get(b"piece length")
        if not _is_int(piece_size) or piece_size <= 0:
            raise TorrentMetaError("invalid torrent file: 'piece length' is missing or not a positive integer")
        self.piece_size = piece_size

        has_v1 = b"pieces" in info
        has_v2 = info.get(b"meta version") == 2 and b"file tree" in info
        if has_v1 and has_v2:
            self.format = "hybrid"
        elif has_v2:
            self.format = "v2"
        elif has_v1:
            self.format = "v1"
        else:
            raise TorrentMetaError("invalid torrent file: the info dictionary has neither 'pieces' (v1) "
                                   "nor 'meta version' 2 with a 'file tree' (v2)")
        if has_v1 and (not isinstance(info[b"pieces"], bytes) or len(info[b"pieces"]) % 20):
            raise TorrentMetaError("invalid torrent file: 'pieces' is not a multiple of 20 bytes")

        if has_v1:
            self.single_file, files = self._v1_files(info)
        else:
            self.single_file, files = self._v2_files(info[b"file tree"], name)
        self.files = sorted(files)

        encoded_info = bencode(info)
        self.info_hash_v1 = hashlib.sha1(encoded_info).hexdigest() if has_v1 else None
        self.info_hash_v2 = hashlib.sha256(encoded_info).hexdigest() if has_v2 else None

    # ----------------------------------------------------------------- construction

    @classmethod
    def from_bytes(cls, data: bytes) -> TorrentMeta:
        """Parse the bytes of a .torrent file; raises TorrentMetaError if they are not one."""
        if BENCODE_IMPORT_ERROR is not None:
            raise TorrentMetaError("the Python library fastbencode is required to read .torrent files")
        if isinstance(data, (bytearray, memoryview)):
            data = bytes(data)
        if not isinstance(data, bytes):
            raise TorrentMetaError("torrent data must be bytes, not %s" % type(data).__name__)
        if not data:
            raise TorrentMetaError("not a torrent file: it is empty")
        try:
            meta = bdecode(data)
        except (ValueError, TypeError, RecursionError) as exc:
            raise TorrentMetaError("not a torrent file: invalid bencoding (%s)" % (str(exc) or type(exc).__name__))
        if not isinstance(meta, dict):
            raise TorrentMetaError("not a torrent file: the data is not a bencoded dictionary")
        return cls(data, meta)

    @classmethod
    def from_file(cls, path: str) -> TorrentMeta:
        """Read and parse a .torrent file; raises TorrentMetaError if it cannot be read or parsed."""
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise TorrentMetaError("cannot read torrent file %s: %s" % (path, exc.strerror or exc))
        try:
            return cls.from_bytes(data)
        except TorrentMetaError as exc:
            raise TorrentMetaError("%s: %s" % (path, exc))

    # ----------------------------------------------------------------- files

    @staticmethod
    def _is_padding(entry, path):
        attr = entry.get(b"attr", b"")
        if isinstance(attr, bytes) and b"p" in attr:
            return True
        return (len(path) > 1 and path[0] in _PAD_DIRS) or path[-1].startswith(_PAD_PREFIX)

    @classmethod
    def _v1_files(cls, info):
        if b"files" not in info:
            length = info.get(b"length")
            if not _is_int(length) or length < 0:
                raise TorrentMetaError("invalid torrent file: neither 'files' nor a valid 'length' in the info dictionary")
            return True, [(_text(info.get(b"name.utf-8", info[b"name"])), length)]
        entries = info[b"files"]
        if not isinstance(entries, list):
            raise TorrentMetaError("invalid torrent file: 'files' is not a list")
        files = []
        for entry in entries:
            if not isinstance(entry, dict):
                raise TorrentMetaError("invalid torrent file: an entry of 'files' is not a dictionary")
            path = entry.get(b"path.utf-8", entry.get(b"path"))
            length = entry.get(b"length")
            if not isinstance(path, list) or not path or not all(isinstance(p, bytes) for p in path) or not _is_int(length) or length < 0:
                raise TorrentMetaError("invalid torrent file: an entry of 'files' has no valid 'path' or 'length'")
            if cls._is_padding(entry, path):
                continue
            files.append(("/".join(_text(p) for p in path), length))
        return False, files

    @staticmethod
    def _v2_files(tree, name):
        """Walk a BEP 52 'file tree'. A file node is ``{'': {'length': N, ...}}``.

        v2 has no separate single-file layout: a tree whose only entry is a file is a single-file torrent
        when that file is named like the torrent; otherwise it is a directory holding one file (what
        qBittorrent and libtorrent write for a directory that contains a single file).
        """
        if not isinstance(tree, dict) or not tree:
            raise TorrentMetaError("invalid torrent file: 'file tree' is empty or not a dictionary")
        files = []
        todo = [((), tree)]
        while todo:
            prefix, node = todo.pop()
            for key, child in node.items():
                if not isinstance(child, dict):
                    raise TorrentMetaError("invalid torrent file: a 'file tree' node is not a dictionary")
                leaf = child.get(b"")
                if isinstance(leaf, dict):
                    length = leaf.get(b"length")
                    if not _is_int(length) or length < 0:
                        raise TorrentMetaError("invalid torrent file: a file in 'file tree' has no valid 'length'")
                    attr = leaf.get(b"attr", b"")
                    if not (isinstance(attr, bytes) and b"p" in attr):
                        files.append((prefix + (key,), length))
                elif key:
                    todo.append((prefix + (key,), child))
        single = len(files) == 1 and files[0][0] == (name,)
        if single:
            return True, [(_text(name), files[0][1])]
        return False, [("/".join(_text(p) for p in path), length) for path, length in files]

    @property
    def v2_root_file(self):
        """For a v2-only torrent whose file tree holds one file at its root: that file's name, else None.

        libtorrent (and so qBittorrent) reads such a torrent as that one file, whatever the info's ``name`` says:
        a directory holding one file comes out as the file alone, named after it, without the directory. A hybrid
        torrent is read through its v1 part, where the directory is kept."""
        if self.format != "v2":
            return None
        tree = self._info.get(b"file tree")
        if not isinstance(tree, dict) or len(tree) != 1:
            return None
        key, node = next(iter(tree.items()))
        if isinstance(node, dict) and isinstance(node.get(b""), dict):
            return _text(key)
        return None

    @property
    def file_count(self) -> int:
        return len(self.files)

    @property
    def total_size(self) -> int:
        return sum(size for dummy, size in self.files)

    # ----------------------------------------------------------------- other properties

    @property
    def private(self) -> bool:
        return self._info.get(b"private") == 1

    @property
    def source(self):
        """The info dictionary's 'source' (part of the info hash), None when absent or empty."""
        return _optional_text(self._info.get(b"source"))

    @property
    def comment(self):
        """None when absent or empty."""
        return _optional_text(self._meta.get(b"comment.utf-8", self._meta.get(b"comment")))

    @property
    def created_by(self):
        return _optional_text(self._meta.get(b"created by"))

    @property
    def creation_date(self):
        """Epoch seconds, or None."""
        value = self._meta.get(b"creation date")
        return value if _is_int(value) else None

    @property
    def trackers(self) -> list[list[str]]:
        """Tiers of tracker URLs: from 'announce-list' (BEP 12), else [[announce]], else []."""
        tiers = []
        announce_list = self._meta.get(b"announce-list")
        if isinstance(announce_list, list):
            for tier in announce_list:
                if isinstance(tier, bytes):
                    tier = [tier]
                if isinstance(tier, list):
                    urls = [_text(url) for url in tier if isinstance(url, bytes) and url]
                    if urls:
                        tiers.append(urls)
        if not tiers:
            announce = self._meta.get(b"announce")
            if isinstance(announce, bytes) and announce:
                tiers = [[_text(announce)]]
        return tiers

    @property
    def url_seeds(self) -> list[str]:
        """BEP 19 web seeds; 'url-list' may be one string or a list of strings."""
        value = self._meta.get(b"url-list")
        if isinstance(value, bytes):
            value = [value]
        if not isinstance(value, list):
            return []
        return [_text(url) for url in value if isinstance(url, bytes) and url]

    # ----------------------------------------------------------------- outputs

    def magnet_uri(self) -> str:
        """A magnet link with both hashes where they exist, the name, every tracker and every url seed."""
        params = []
        if self.info_hash_v1:
            params.append("xt=urn:btih:" + self.info_hash_v1)
        if self.info_hash_v2:
            # multihash: 0x12 = sha2-256, 0x20 = 32 bytes
            params.append("xt=urn:btmh:1220" + self.info_hash_v2)
        params.append("dn=" + quote(_raw(self.name), safe=""))
        for tier in self.trackers:
            for url in tier:
                params.append("tr=" + quote(_raw(url), safe=""))
        for url in self.url_seeds:
            params.append("ws=" + quote(_raw(url), safe=""))
        return "magnet:?" + "&".join(params)

    def with_metadata(self, trackers=None, url_seeds=None, comment=None):
        """Bytes of a copy of this torrent with some fields outside the info dictionary replaced.

        None keeps a field as it is; an empty list or empty string removes it. ``trackers`` is a list
        of tiers (lists of URLs; a bare string counts as a tier of one); it becomes 'announce' (the first
        URL) plus 'announce-list'. One url seed is written as a string (like libtorrent), several as a
        list. The info dictionary is kept byte for byte, so both info hashes stay the same.
        """
        meta = dict(self._meta)
        if trackers is not None:
            tiers = []
            for tier in trackers:
                if isinstance(tier, (str, bytes)):
                    tier = [tier]
                urls = [_raw(url.strip() if isinstance(url, str) else url) for url in tier]
                urls = [url for url in urls if url]
                if urls:
                    tiers.append(urls)
            meta.pop(b"announce", None)
            meta.pop(b"announce-list", None)
            if tiers:
                meta[b"announce"] = tiers[0][0]
                meta[b"announce-list"] = tiers
        if url_seeds is not None:
            if isinstance(url_seeds, (str, bytes)):
                url_seeds = [url_seeds]
            seeds = [_raw(url.strip() if isinstance(url, str) else url) for url in url_seeds]
            seeds = [url for url in seeds if url]
            meta.pop(b"url-list", None)
            if len(seeds) == 1:
                meta[b"url-list"] = seeds[0]
            elif seeds:
                meta[b"url-list"] = seeds
        if comment is not None:
            meta.pop(b"comment", None)
            meta.pop(b"comment.utf-8", None)
            if comment:
                meta[b"comment"] = _raw(comment)
        return bencode(meta)

    def to_dict(self) -> dict:
        """JSON-friendly summary for module results and diffs."""
        created = None
        if self.creation_date is not None:
            try:
                created = datetime.datetime.fromtimestamp(self.creation_date, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            except (OverflowError, OSError, ValueError):
                created = None
        return dict(
            name=_display(self.name),
            format=self.format,
            piece_size=self.piece_size,
            private=self.private,
            source=_display(self.source),
            comment=_display(self.comment),
            trackers=[[_display(url) for url in tier] for tier in self.trackers],
            url_seeds=[_display(url) for url in self.url_seeds],
            file_count=self.file_count,
            total_size=self.total_size,
            files=[dict(path=_display(path), size=size) for path, size in self.files],
            info_hash_v1=self.info_hash_v1,
            info_hash_v2=self.info_hash_v2,
            created_by=_display(self.created_by),
            creation_date=created,
        )
