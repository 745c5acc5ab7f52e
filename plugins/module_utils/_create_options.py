# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""qbt_torrent_create's options: argument spec, validation before any request, and the addTask form.

The server turns invalid booleans and integers into defaults without an error, and older versions ignore or
misplace some fields, so everything is checked here before a request is sent.
Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import os
import posixpath
import typing as t

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._formats import (
    DEFAULT_FORMAT,
    FORMATS,
    url_seed_warning,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._path_map import PathMap, path_map_argument_spec
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._urls import (
    check_creator_urls,
    check_tiers,
    check_url_seeds,
    creator_tracker_list,
    creator_urls,
    tracker_tiers,
)

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient

MIN_PIECE = 16 * 1024
MAX_PIECE = 256 * 1024 * 1024


def create_argument_spec() -> dict:
    return dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        dest=dict(type="path", required=True),
        source_path=dict(type="str"),
        torrent_file_path=dict(type="str"),
        format=dict(type="str", default=DEFAULT_FORMAT, choices=list(FORMATS)),
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
        path_map=path_map_argument_spec(),
        backup=dict(type="bool", default=False),
        timeout=dict(type="float", default=3600.0),
    )


def check_dest(dest):
    """dest's directory exists and is writable, and dest is not a directory: checked before any task runs."""
    dest_dir = os.path.dirname(os.path.abspath(dest))
    if not os.path.isdir(dest_dir):
        raise OptionError("dest: directory %s does not exist; create it first (ansible.builtin.file state=directory)"
                          % dest_dir)
    if os.path.isdir(dest):
        raise OptionError("dest: %s is a directory; give the path of the .torrent file to write" % dest)
    if not os.access(dest_dir, os.W_OK | os.X_OK):
        raise OptionError("dest: directory %s is not writable by the user running the module (%s); fix its "
                          "permissions or become a user who may write there" % (dest_dir, _whoami()))


def _whoami():
    try:
        import pwd
        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return "uid %d" % os.geteuid()


class CreateOptions:
    """The validated options of one qbt_torrent_create run."""

    def __init__(self, params: dict) -> None:
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
        self.ignore_dotfiles = params["ignore_dotfiles"]  # None: the server's default (skip them)
        self.path_map = PathMap()  # where this host sees the server's files (source_check), set by validate()

    @property
    def name(self):
        return posixpath.basename(self.source_path.rstrip("/")) if self.source_path else None

    def validate(self, check_dest_dir: bool = True) -> None:
        """Checks that need no server; ``check_dest_dir=False`` when dest's directory is still to be created."""
        params = self.params
        if params["state"] == "absent":
            return
        self.trackers = tracker_tiers(params["trackers"])
        self.path_map = PathMap.from_option(params.get("path_map"))
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
        check_tiers("trackers", self.trackers)
        check_url_seeds("url_seeds", self.url_seeds)
        for option, value in (("comment", self.comment), ("source", self.source)):
            if value is not None and "\x00" in value:
                raise OptionError("%s: contains a NUL character" % option)
        if check_dest_dir:
            check_dest(self.dest)

    def validate_for_server(self, client: QbtClient) -> list[str]:
        """Checks against what the server's version does with each field. Returns warnings."""
        warnings = []
        if self.source is not None and client.source_from_comment:
            raise OptionError(
                "source: qBittorrent %s writes the comment into the source field (fixed in 5.0.3); upgrade the "
                "server or leave source unset" % client.qbittorrent_version)
        if self.ignore_dotfiles is False and not client.has_ignore_dotfiles:
            raise OptionError(
                "ignore_dotfiles: qBittorrent %s always skips files whose names start with a dot; "
                "ignore_dotfiles=false needs qBittorrent 5.3 or newer" % client.qbittorrent_version)
        libtorrent = client.libtorrent_version
        if libtorrent is None or libtorrent >= (2, 0, 0):
            for option in ("optimize_alignment", "padded_file_size_limit"):
                if self.params[option] is not None:
                    warnings.append(
                        "%s is ignored: this qBittorrent is built with libtorrent %s, which aligns files with padding "
                        "on its own; remove the option" % (option, ".".join(str(p) for p in libtorrent or ()) or "2.x"))
        elif self.format != "v1":
            raise OptionError("format: this qBittorrent is built with libtorrent %s, which only makes v1 torrents; "
                              "use format=v1" % ".".join(str(p) for p in libtorrent))
        check_creator_urls(client, self.trackers, self.url_seeds)
        web_seeds = url_seed_warning(self.format, self.url_seeds)
        if web_seeds:
            warnings.append(web_seeds)
        return warnings

    def add_task_params(self, client: QbtClient) -> dict:
        """Keyword arguments for qbittorrent-api's torrentcreator_add_task."""
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
        if self.trackers:
            kwargs["trackers"] = creator_tracker_list(self.trackers, client)
        if self.url_seeds:
            kwargs["url_seeds"] = creator_urls(self.url_seeds, client)
        if self.ignore_dotfiles is not None and client.has_ignore_dotfiles:
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
