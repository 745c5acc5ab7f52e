# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The release manifest: ``<name>.json`` and a Markdown table ``<name>.md`` of every present release that did not
fail, sorted by name, written by qbt_releases itself (the same bytes the release role's templates used to render:
``to_nice_json(indent=2, sort_keys=true)`` and the ``human_readable`` filter's ``bytes_to_human``).

With a ``feed`` (qbt_releases' option of that name), the RSS feed ``<name>.rss`` of the same releases is a third
file of the manifest (``_feed`` renders it).

Every file is written atomically and only when its bytes differ, so an unchanged run reports no change. Tracker
secrets are masked (``remove_values`` with ``module.no_log_values``, as Ansible masks the module's results) unless
``show_tracker_secrets`` is true.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import json
import os
import typing as t

from ansible.module_utils.common.text.formatters import bytes_to_human

from ansible_collections.torrentops.qbittorrent.plugins.module_utils import _feed
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import QbtError

MANIFEST_FIELDS = (
    # manifest key, result key
    ("torrent_name", "torrent_name"),
    ("size", "total_size"),
    ("file_count", "file_count"),
    ("format", "format"),
    ("piece_size", "piece_size"),
    ("private", "private"),
    ("info_hash_v1", "info_hash_v1"),
    ("info_hash_v2", "info_hash_v2"),
    ("magnet_uri", "magnet_uri"),
)

_TRUE = ("yes", "on", "true", "1")


def _bool(value):
    """Ansible's ``bool`` filter."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    return str(value).strip().lower() in _TRUE


def manifest_results(results):
    """The results the manifest lists: present, not failed, sorted by name."""
    return sorted((r for r in results if r.get("state") == "present" and not r.get("failed")),
                  key=lambda r: r["name"])


def render_json(results):
    entries = []
    for built in results:
        entry = dict(name=built["name"], source_path=built.get("source_path"), torrent_file=built.get("dest"),
                     trackers=built.get("trackers", []), url_seeds=built.get("url_seeds", []),
                     seeded=_bool(built.get("seed")))
        for key, result_key in MANIFEST_FIELDS:
            entry[key] = built.get(result_key)
        entries.append(entry)
    return json.dumps({"releases": entries}, indent=2, sort_keys=True, separators=(",", ": ")) + "\n"


def _cell(value):
    text = "" if not value else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(results):
    lines = ["| Release | Size | Files | Info hash | Magnet | .torrent |", "|---|---:|---:|---|---|---|"]
    for built in results:
        v1, v2 = built.get("info_hash_v1"), built.get("info_hash_v2")
        hashes = ("v1 `%s`" % v1 if v1 else "") + ("<br>" if v1 and v2 else "") + ("v2 `%s`" % v2 if v2 else "")
        magnet = "[magnet](%s)" % built["magnet_uri"] if built.get("magnet_uri") else ""
        file_count = "" if built.get("file_count") is None else built["file_count"]
        lines.append("| %s | %s | %s | %s | %s | `%s` |" % (
            _cell(built["name"]), bytes_to_human(built.get("total_size", 0)), file_count, hashes, magnet,
            _cell(built.get("dest", ""))))
    return "\n".join(lines) + "\n"


def manifest_mode(results: list[dict], mode: str | None = None) -> str:
    """``mode`` when set, else 0600 when any listed release is private (their announce URLs usually hold a
    passkey), else 0644."""
    if mode:
        return mode
    return "0600" if any(r.get("private") for r in results) else "0644"


def render(results: list[dict], mask: t.Callable[[t.Any], t.Any] | None = None) -> dict[str, bytes]:
    """{extension: bytes} of the manifest of ``results`` (the module's per-release results); ``mask`` (a function
    of the data, e.g. remove_values with the module's no_log_values) applies before rendering."""
    listed = manifest_results(results)
    if mask is not None:
        listed = mask(listed)
    return {"json": render_json(listed).encode("utf-8"), "md": render_markdown(listed).encode("utf-8")}


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def write_manifest(files, results, directory, name="releases", mode=None, dir_mode="0755", check_mode=False,
                   mask=None, feed=None, now=None):
    """Write the manifest of ``results`` into ``directory`` with ``files`` (ModuleFiles), and its RSS feed when
    ``feed`` (the feed options) is set. Returns (changed, paths, diffs): the files' paths and, for each file that
    changes, a diff dict. QbtError naming the directory when a file cannot be written."""
    try:
        return _write_manifest(files, results, directory, name, mode, dir_mode, check_mode, mask, feed, now)
    except OSError as exc:
        raise QbtError("manifest: cannot write it in %s: %s" % (directory, exc)) from exc


def _write_manifest(files, results, directory, name, mode, dir_mode, check_mode, mask, feed, now):
    contents = render(results, mask)
    listed = manifest_results(results)
    modes = dict(json=manifest_mode(listed, mode), md=manifest_mode(listed, mode))
    if feed is not None:
        feed_listed = mask(listed) if mask is not None else listed
        existing = _read(os.path.join(directory, "%s.rss" % name))
        contents["rss"] = _feed.render(feed_listed, feed, name, existing=existing, now=now)
        modes["rss"] = mode or ("0600" if _feed.feed_private(listed, feed) else "0644")
    changed = False
    diffs = []
    paths = []
    if not os.path.isdir(directory):
        changed = True
        if not check_mode:
            missing = []
            path = os.path.abspath(directory)
            while not os.path.isdir(path):
                missing.append(path)
                path = os.path.dirname(path)
            os.makedirs(directory)
            for created in missing:
                os.chmod(created, int(dir_mode, 8))
    for extension in ("json", "md", "rss"):
        if extension not in contents:
            continue
        path = os.path.join(directory, "%s.%s" % (name, extension))
        paths.append(path)
        content = contents[extension]
        existing = _read(path)
        if existing != content:
            changed = True
            diffs.append(dict(before="" if existing is None else existing.decode("utf-8", "replace"),
                              after=content.decode("utf-8"), before_header=path, after_header=path))
            if not check_mode:
                files.write(path, content)
        changed = files.set_attributes(path, dict(path=path, mode=modes[extension]), changed)  # check mode: reports only
    return changed, paths, diffs
