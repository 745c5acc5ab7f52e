# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""``path_map``: where the host running the module sees the files qBittorrent sees under another path.

Like the "remote path mappings" of download managers: qBittorrent in a container sees ``/downloads/distro-1.2``
while the module, on the container's host, sees the same directory as ``/srv/data/distro-1.2``. One entry
``{server: /downloads, local: /srv/data}`` says so. ``source_path`` stays the path qBittorrent sees (it is sent to the
server and names the torrent); only the module's own look at the files (``source_check``) goes through the map.

Rules, in one place (the option's documentation repeats them):

* both paths are absolute; they are normalised (``//``, ``.``, ``..`` and a trailing ``/`` removed);
* a server prefix matches whole path components: ``/downloads`` maps ``/downloads`` and ``/downloads/x``, never
  ``/downloads2``; ``/`` matches every path;
* the longest matching server prefix wins; the same server prefix twice is refused (which one would be meant?);
* no entry matches: the path is used as it is.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import os
import posixpath
import typing as t

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError

OPTION = "path_map"


class Mapped(t.NamedTuple):
    """What lookup() found: the local path to look at, and the entry (normalised) that produced it."""

    path: str
    server: str
    local: str


def path_map_argument_spec() -> dict:
    """The option's argument spec (qbt_torrent_create, and every release of qbt_releases and the role)."""
    return dict(type="list", elements="dict", default=[], options=dict(
        server=dict(type="str", required=True),
        local=dict(type="str", required=True),
    ))


def _normalise(path):
    path = posixpath.normpath(path)
    return "/" + path.lstrip("/")  # normpath keeps a leading '//' (POSIX allows it to mean something else)


class PathMap:
    """Validated ``path_map`` entries, as ``(server, local)`` pairs, longest server prefix first."""

    def __init__(self, entries=()):
        self.entries = sorted(entries, key=lambda entry: len(entry[0]), reverse=True)

    def __bool__(self):
        return bool(self.entries)

    __nonzero__ = __bool__

    @classmethod
    def from_option(cls, value: list[dict] | None, option: str = OPTION) -> PathMap:
        """Check the option's value (a list of ``{server, local}`` dicts, or None) and return a PathMap.

        Raises OptionError naming the option, the entry and what to do."""
        entries = []
        seen = {}
        for index, item in enumerate(value or []):
            where = "%s[%d]" % (option, index)
            if not isinstance(item, dict):
                raise OptionError("%s: each entry is a dictionary with keys server and local, got %r" % (where, item))
            unknown = sorted(set(item) - set(("server", "local")))
            if unknown:
                raise OptionError("%s: unknown key(s) %s; an entry has the keys server and local"
                                  % (where, ", ".join(unknown)))
            server, local = item.get("server"), item.get("local")
            for key, path, side in (("server", server, "qBittorrent sees"), ("local", local, "this host sees")):
                if not isinstance(path, str) or not path:
                    raise OptionError("%s.%s: missing; give the absolute path %s" % (where, key, side))
                if "\x00" in path:
                    raise OptionError("%s.%s: contains a NUL character" % (where, key))
                if not posixpath.isabs(path):
                    raise OptionError("%s.%s: %r is relative; give the absolute path %s (for example %s)"
                                      % (where, key, path, side, "/downloads" if key == "server" else "/srv/data"))
            server, local = _normalise(server), _normalise(local)
            if server in seen:
                raise OptionError("%s: server path %s is already mapped by %s[%d]; give each server path once"
                                  % (where, server, option, seen[server]))
            seen[server] = index
            entries.append((server, local))
        return cls(entries)

    def lookup(self, server_path: str) -> Mapped | None:
        """The entry whose server prefix is the longest whole-component prefix of ``server_path``, as a Mapped
        (``path`` is where this host sees ``server_path``), or None when no entry matches."""
        if not server_path:
            return None
        path = _normalise(server_path)
        for server, local in self.entries:
            if server == "/":
                rest = path.lstrip("/")
            elif path == server:
                rest = ""
            elif path.startswith(server + "/"):
                rest = path[len(server) + 1:]
            else:
                continue
            return Mapped(os.path.join(local, rest) if rest else local, server, local)
        return None

    def describe(self, mapped: Mapped) -> str:
        """'path_map maps /downloads to /srv/data' for messages."""
        return "%s maps %s to %s" % (OPTION, mapped.server, mapped.local)
