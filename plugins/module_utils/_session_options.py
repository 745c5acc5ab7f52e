# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""qbt_torrent's options: argument spec and validation before any request (the .torrent is read here too).

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import re

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_edits import session_ids
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta, TorrentMetaError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._urls import check_tiers, check_url_seeds, tracker_tiers

HEX40 = re.compile(r"^[0-9a-f]{40}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def session_argument_spec() -> dict:
    return dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        torrent_file=dict(type="path"),
        info_hash=dict(type="str"),
        save_path=dict(type="str"),
        category=dict(type="str"),
        tags=dict(type="list", elements="str"),
        started=dict(type="bool", default=True),
        trackers=dict(type="list", elements="raw", no_log=False),
        url_seeds=dict(type="list", elements="str"),
        skip_checking=dict(type="bool", default=True),
        supersede=dict(type="bool", default=False),
        timeout=dict(type="float", default=30.0),
    )


def normalize_path(path):
    """A save path as qBittorrent reports it: no trailing separator (except for a root)."""
    if path is None:
        return None
    path = str(path)
    stripped = path.rstrip("/\\")
    if not stripped or re.match(r"^[A-Za-z]:$", stripped):
        return path[:len(stripped) + 1] if stripped else path[:1]
    return stripped


def is_absolute(path):
    """POSIX (/srv/x) or Windows (C:\\x, C:/x, \\\\server\\share) absolute path: qBittorrent may run on either."""
    return bool(path) and (path.startswith("/") or bool(re.match(r"^([A-Za-z]:[\\/]|\\\\)", path)))


def parse_tags(value):
    """torrents/info gives "a, b" (5.x) or "a,b" (4.x)."""
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = str(value or "").split(",")
    return sorted(set(item.strip() for item in items if item and item.strip()))


class SessionOptions:
    """The validated options of one qbt_torrent run, with the .torrent read (``meta``) when one is given."""

    def __init__(self, params: dict) -> None:
        self.params = params
        self.meta = None
        self.data = None
        self.info_hash = None
        self.wanted_tiers = None  # None: leave the session's trackers alone
        self.warnings = []

    def validate(self) -> None:
        params = self.params
        if params["info_hash"]:
            value = params["info_hash"].strip().lower()
            if not (HEX40.match(value) or HEX64.match(value)):
                raise OptionError("info_hash: %r is not a v1 (40 hex digits) or v2 (64 hex digits) info hash"
                                  % params["info_hash"])
            self.info_hash = value
        if params["save_path"] is not None and not is_absolute(params["save_path"]):
            raise OptionError("save_path: %r is relative; give the absolute path of the directory that holds the "
                              "torrent's content, as the qBittorrent host sees it" % params["save_path"])
        if params["category"] is not None:
            category = params["category"]
            if category != category.strip() or category.startswith("/") or category.endswith("/") or "//" in category:
                raise OptionError("category: %r is not a valid category name (no surrounding spaces, no leading, "
                                  "trailing or double '/')" % category)
        if params["tags"] is not None:
            for tag in params["tags"]:
                if not tag or tag != tag.strip() or "," in tag:
                    raise OptionError("tags: %r is not a valid tag (not empty, no surrounding spaces, no comma)" % tag)
        if params["trackers"] is not None:
            self.wanted_tiers = tracker_tiers(params["trackers"])
            check_tiers("trackers", self.wanted_tiers, unique=True)
        if params["url_seeds"] is not None:
            check_url_seeds("url_seeds", params["url_seeds"])
        if params["timeout"] <= 0:
            raise OptionError("timeout: must be a positive number of seconds")
        self.read_torrent_file()

    def read_torrent_file(self):
        path = self.params["torrent_file"]
        if path is None:
            return
        try:
            self.meta = TorrentMeta.from_file(path)
        except TorrentMetaError as exc:
            if self.info_hash and self.params["state"] == "absent":
                # removing by hash: a .torrent that is already gone does not matter
                self.warnings.append("%s; using info_hash" % exc)
                return
            raise OptionError("torrent_file: %s" % exc)
        self.data = self.meta.data
        if self.info_hash:
            known = [h for h in (self.meta.info_hash_v1, self.meta.info_hash_v2) if h]
            known += [h[:40] for h in known if len(h) == 64]
            if self.info_hash not in known:
                file_hashes = " / ".join(h for h in (self.meta.info_hash_v1, self.meta.info_hash_v2) if h)
                raise OptionError("info_hash %s is not the info hash of %s (%s); leave info_hash out to use the file's"
                                  % (self.info_hash, path, file_hashes))

    def candidate_ids(self):
        if self.meta is not None:
            return session_ids(self.meta.info_hash_v1, self.meta.info_hash_v2)
        if len(self.info_hash) == 64:
            return [self.info_hash[:40]]
        return [self.info_hash]
