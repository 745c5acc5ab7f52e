# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Torrent formats: the default, what BitTorrent clients can do with each, and where a torrent must be seeded from.

Seen here with clients nobody in this project wrote (Debian's aria2 1.36 and transmission-cli 3.00, libtorrent 2.0):

- v1 (SHA-1): every client reads it and downloads it, from peers and from web seeds. The default.
- hybrid (v1 and v2 in one info dictionary): per-file SHA-256 hashes for libtorrent 2 clients, but Transmission
  3.00 cannot open it, and aria2 1.36 computes a wrong info hash (it joins another swarm) and asks a web seed for
  the torrent's padding files (``.pad/N``), which no web server has.
- v2 (SHA-256 only, BEP 52): only clients built on libtorrent 2 read it.
- libtorrent reads a v2-only torrent whose file tree holds one file at its root as that file alone, whatever the
  torrent's name says: a v2 torrent of a directory holding one file downloads as the file without the directory, and
  qBittorrent finds the data only with the directory itself as save path (``seed_save_path``).

qbt_torrent_create, qbt_releases and the release role take the default and the warnings from here.
Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import posixpath
import typing as t

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta

FORMATS = ("v1", "v2", "hybrid")
DEFAULT_FORMAT = "v1"

_WEB_SEED_TROUBLE = {
    "hybrid": ("aria2 1.36 asks a web seed for a hybrid torrent's padding files (.pad/N), which the web server does "
               "not have, and Transmission 3.00 cannot open a hybrid torrent at all"),
    "v2": "only clients built on libtorrent 2 (such as qBittorrent 4.4 and newer) can open a v2 torrent; aria2 1.36 "
          "and Transmission 3.00 cannot",
}


def url_seed_warning(fmt: str, url_seeds: list[str]) -> str | None:
    """A warning when a torrent with web seeds has a format that common clients cannot download from them."""
    if not url_seeds or fmt not in _WEB_SEED_TROUBLE:
        return None
    return ("url_seeds with format=%s: %s, so those clients cannot download this torrent from its web seeds; use "
            "format=v1 (every client downloads it from web seeds) or remove url_seeds" % (fmt, _WEB_SEED_TROUBLE[fmt]))


def seed_save_path(source_path: str, meta: TorrentMeta, source_is_dir: bool | None = None) -> str:
    """The save path under which qBittorrent finds ``source_path`` complete for the torrent ``meta`` made of it.

    Normally the parent of source_path. A v2-only torrent whose file tree holds one file at its root is read by
    libtorrent as that file alone (``TorrentMeta.v2_root_file``): when source_path is a directory holding that file,
    the save path is source_path itself. A root file named differently from the torrent can only come from a
    directory; one named like it comes from a file unless ``source_is_dir`` (the module saw the source) says
    otherwise."""
    source = source_path.rstrip("/") or "/"
    root_file = meta.v2_root_file
    if root_file is not None and (root_file != meta.name or source_is_dir):
        return source
    return posixpath.dirname(source) or "/"


def session_name(meta: TorrentMeta) -> str:
    """The name qBittorrent shows for the torrent ``meta`` (libtorrent's reading; see ``seed_save_path``)."""
    return meta.v2_root_file or meta.name
