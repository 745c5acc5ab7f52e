# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""qbt_torrent_create's options: argument spec, validation before any request, and the addTask form.

The server turns invalid booleans and integers into defaults without an error, and older versions ignore or
misplace some fields, so everything is checked here before a request is sent.
Private module_utils file: its API may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import posixpath

try:
    from urllib.parse import quote, urlsplit
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore
    from urlparse import urlsplit  # type: ignore

MIN_PIECE = 16 * 1024
MAX_PIECE = 256 * 1024 * 1024
TRACKER_SCHEMES = ("http", "https", "udp", "ws", "wss")
WEB_SEED_SCHEMES = ("http", "https")

# qBittorrent versions with known behaviour (see docs/ and shared notes)
SOURCE_BUG = ((5, 0, 0), (5, 0, 3))  # 5.0.0-5.0.2 fill `source` from `comment`
PERCENT_DECODING_FROM = (5, 2, 0)  # each |-separated tracker / url seed is percent-decoded
IGNORE_DOTFILES_WEBAPI = (2, 16, 0)  # ignoreDotfiles parameter


def create_argument_spec():
    return dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        dest=dict(type="path", required=True),
        source_path=dict(type="str"),
        torrent_file_path=dict(type="str"),
        format=dict(type="str", default="hybrid", choices=["v1", "v2", "hybrid"]),
        start_seeding=dict(type="bool", default=False),
        is_private=dict(type="bool", default=False),
        optimize_alignment=dict(type="bool"),
        padded_file_size_limit=dict(type="int"),
        piece_size=dict(type="int", default=0),
        comment=dict(type="str"),
        source=dict(type="str"),
        trackers=dict(type="list", elements="raw", default=[], no_log=False),
        url_seeds=dict(type="list", elements="str", default=[]),
        ignore_dotfiles=dict(type="bool"),
        force=dict(type="bool", default=False),
        source_check=dict(type="str", default="auto", choices=["auto", "always", "never"]),
        backup=dict(type="bool", default=False),
        timeout=dict(type="float", default=3600.0),
    )


class OptionError(Exception):
    """Bad input: the message names the option and the fix."""


def tracker_tiers(value):
    """``trackers`` option -> list of tiers.

    A flat list keeps qBittorrent's meaning: one tier. A list of lists gives one tier per inner list. Mixing the
    two forms is refused, empty tiers are dropped.
    """
    if not value:
        return []
    nested = [isinstance(item, (list, tuple)) for item in value]
    if all(nested):
        tiers = [[str(url) for url in tier] for tier in value]
    elif not any(nested):
        tiers = [[str(url) for url in value]]
    else:
        raise OptionError("trackers: give either a flat list of URLs (one tier) or a list of lists (one tier each), "
                          "not a mix")
    return [tier for tier in tiers if tier]


def check_url(option, url, schemes):
    if not isinstance(url, str) or not url:
        raise OptionError("%s: %r is not a URL" % (option, url))
    if url != url.strip() or any(ch.isspace() for ch in url):
        raise OptionError("%s: %r contains white space; percent-encode it (%%20)" % (option, url))
    parts = urlsplit(url)
    if parts.scheme.lower() not in schemes or not parts.netloc:
        raise OptionError("%s: %r is not a valid URL; expected %s://host[:port]/..."
                          % (option, url, "|".join(schemes)))
    try:
        parts.port  # pylint: disable=pointless-statement
    except ValueError:
        raise OptionError("%s: %r has an invalid port" % (option, url))


def encode_for_server(urls, server_version):
    """Encode URLs so that the server stores them byte for byte as given.

    5.2+ percent-decodes each ``|``-separated piece, so each URL is fully percent-encoded; older versions
    take the text as is, which cannot carry a ``|``.
    """
    if server_version >= PERCENT_DECODING_FROM:
        return [quote(url, safe="") if url else url for url in urls]
    return list(urls)


class CreateOptions:
    """The validated options of one qbt_torrent_create run."""

    def __init__(self, params):
        self.params = params
        self.source_path = params["source_path"]
        self.dest = params["dest"]
        self.format = params["format"]
        self.private = params["is_private"]
        self.piece_size = params["piece_size"]
        self.comment = params["comment"] or None
        self.source = params["source"] or None
        self.url_seeds = list(params["url_seeds"] or [])
        self.trackers = []  # tiers, set by validate()
        self.ignore_dotfiles = params["ignore_dotfiles"]
        self.include_dotfiles = params["ignore_dotfiles"] is False

    @property
    def name(self):
        return posixpath.basename(self.source_path.rstrip("/")) if self.source_path else None

    def validate(self):
        """Checks that need no server."""
        params = self.params
        if params["state"] == "absent":
            return
        self.trackers = tracker_tiers(params["trackers"])
        if not self.source_path:
            raise OptionError("source_path is required with state=present")
        if not posixpath.isabs(self.source_path):
            raise OptionError("source_path: %r is relative; give the absolute path on the qBittorrent host"
                              % self.source_path)
        if self.source_path.rstrip("/") == "":
            raise OptionError("source_path: the root directory cannot be a torrent; give a file or directory below it")
        if params["torrent_file_path"] and not posixpath.isabs(params["torrent_file_path"]):
            raise OptionError("torrent_file_path: %r is relative; give the absolute path on the qBittorrent host"
                              % params["torrent_file_path"])
        size = self.piece_size
        if size < 0 or (size and (size & (size - 1) or size < MIN_PIECE or size > MAX_PIECE)):
            raise OptionError("piece_size: %d is not accepted; use 0 (automatic) or a power of two from %d (16 KiB) "
                              "to %d (256 MiB), for example 1048576" % (size, MIN_PIECE, MAX_PIECE))
        if params["padded_file_size_limit"] is not None and params["padded_file_size_limit"] < -1:
            raise OptionError("padded_file_size_limit: use -1 (no padding files) or a size in bytes")
        if params["timeout"] <= 0:
            raise OptionError("timeout: must be a positive number of seconds")
        for tier in self.trackers:
            for url in tier:
                check_url("trackers", url, TRACKER_SCHEMES)
        for url in self.url_seeds:
            check_url("url_seeds", url, WEB_SEED_SCHEMES)
        for option, value in (("comment", self.comment), ("source", self.source)):
            if value is not None and "\x00" in value:
                raise OptionError("%s: contains a NUL character" % option)
        dest_dir = os.path.dirname(os.path.abspath(self.dest))
        if not os.path.isdir(dest_dir):
            raise OptionError("dest: directory %s does not exist; create it first (ansible.builtin.file state=directory)"
                              % dest_dir)
        if os.path.isdir(self.dest):
            raise OptionError("dest: %s is a directory; give the path of the .torrent file to write" % self.dest)

    def validate_for_server(self, client, libtorrent_version):
        """Checks against what the server's version does with each field. Returns warnings."""
        warnings = []
        version = client.version
        if self.source is not None and SOURCE_BUG[0] <= version < SOURCE_BUG[1]:
            raise OptionError(
                "source: qBittorrent %s writes the comment into the source field (fixed in 5.0.3); upgrade the "
                "server or leave source unset" % client.qbittorrent_version)
        if self.ignore_dotfiles is not None and client.webapi < IGNORE_DOTFILES_WEBAPI:
            if self.ignore_dotfiles is False:
                raise OptionError(
                    "ignore_dotfiles: qBittorrent %s always skips files whose names start with a dot; "
                    "ignore_dotfiles=false needs qBittorrent 5.3 or newer" % client.qbittorrent_version)
        lt2 = libtorrent_version is None or libtorrent_version >= (2, 0, 0)
        if lt2:
            for option in ("optimize_alignment", "padded_file_size_limit"):
                if self.params[option] is not None:
                    warnings.append(
                        "%s is ignored: this qBittorrent is built with libtorrent %s, which aligns files with padding "
                        "on its own; remove the option" % (option, ".".join(str(p) for p in libtorrent_version or ())
                                                           or "2.x"))
        elif self.format != "v1":
            raise OptionError("format: this qBittorrent is built with libtorrent %s, which only makes v1 torrents; "
                              "use format=v1" % ".".join(str(p) for p in libtorrent_version))
        if version < PERCENT_DECODING_FROM:
            for option, urls in (("trackers", [u for tier in self.trackers for u in tier]), ("url_seeds", self.url_seeds)):
                for url in urls:
                    if "|" in url:
                        raise OptionError("%s: %r contains '|', which qBittorrent %s reads as a separator; "
                                          "percent-encode it (%%7C)" % (option, url, client.qbittorrent_version))
        return warnings

    def add_task_params(self, client):
        """Keyword arguments for qbittorrent-api's torrentcreator_add_task."""
        version = client.version
        joined = []
        for index, tier in enumerate(self.trackers):
            if index:
                joined.append("")  # an empty piece starts a new tier
            joined.extend(encode_for_server(tier, version))
        kwargs = dict(
            source_path=self.source_path,
            format=self.format,
            start_seeding=bool(self.params["start_seeding"]),  # the server defaults it to true when omitted
            is_private=bool(self.private),
            piece_size=self.piece_size,
        )
        if self.params["torrent_file_path"]:
            kwargs["torrent_file_path"] = self.params["torrent_file_path"]
        if self.comment is not None:
            kwargs["comment"] = self.comment
        if self.source is not None:
            kwargs["source"] = self.source  # no kwarg in qbittorrent-api: passes through as a form field
        if joined:
            kwargs["trackers"] = joined
        if self.url_seeds:
            kwargs["url_seeds"] = encode_for_server(self.url_seeds, version)
        if self.ignore_dotfiles is not None and client.webapi >= IGNORE_DOTFILES_WEBAPI:
            kwargs["ignore_dotfiles"] = self.ignore_dotfiles
        for option in ("optimize_alignment", "padded_file_size_limit"):
            if self.params[option] is not None:
                kwargs[option] = self.params[option]
        return kwargs

    def wanted(self):
        """The metadata the .torrent must have, in TorrentMeta.to_dict() terms (hashes unknown until built)."""
        return dict(
            name=self.name,
            format=self.format,
            piece_size=self.piece_size or "automatic",
            private=self.private,
            source=self.source,
            comment=self.comment,
            trackers=self.trackers,
            url_seeds=self.url_seeds,
        )
