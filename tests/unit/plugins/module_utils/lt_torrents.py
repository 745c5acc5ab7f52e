# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Test helper: .torrent files made by libtorrent's Python binding, an implementation independent of the collection."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def lt_torrent(lt, path, fmt, piece, trackers=(), url_seeds=(), comment=None, source=None, private=False,
               created_by=None, creation_date=None):
    """Bencoded .torrent of ``path`` (file or directory) in format ``fmt`` (v1, v2, hybrid); ``trackers`` are tiers."""
    flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[fmt]
    storage = lt.file_storage()
    lt.add_files(storage, str(path))
    creator = lt.create_torrent(storage, piece, flags=flags)
    for tier, urls in enumerate(trackers):
        for url in urls:
            creator.add_tracker(url, tier)
    for url in url_seeds:
        creator.add_url_seed(url)
    if comment:
        creator.set_comment(comment)
    creator.set_priv(private)
    if created_by:
        creator.set_creator(created_by)
    lt.set_piece_hashes(creator, str(path.parent))
    entry = creator.generate()
    if source:
        entry[b"info"][b"source"] = source.encode()  # libtorrent has no setter for it; qBittorrent does the same
    if creation_date is not None:
        entry[b"creation date"] = creation_date
    return lt.bencode(entry)
