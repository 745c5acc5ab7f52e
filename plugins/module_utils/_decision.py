# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one question of qbt_torrent_create: does the .torrent on disk already satisfy the options?

Everything is decided on parsed metadata, never on bytes (a .torrent's bytes change with every build).

* ``needs_regeneration`` lists what forces a new creator task (content or info-dict fields: the info hash changes).
* ``metadata_changes`` lists the fields outside the info dict (trackers, web seeds, comment) that can be rewritten
  in place without hashing: the info hash stays the same.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import CreateOptions
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._source_tree import SourceTree
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta


def needs_regeneration(existing: TorrentMeta | None, options: CreateOptions, tree: SourceTree | None = None) -> list[str]:
    """Reasons (human readable) why the existing TorrentMeta must be rebuilt; empty when it can be kept.

    ``tree`` is the scanned source (``_source_tree.SourceTree``) when the module can see it, else None: then only
    the options are compared and content changes go unnoticed (documented).
    """
    reasons = []
    if existing.name != options.name:
        reasons.append("name: %s -> %s (source_path changed)" % (existing.name, options.name))
    if existing.format != options.format:
        reasons.append("format: %s -> %s" % (existing.format, options.format))
    if bool(existing.private) != bool(options.private):
        reasons.append("private: %s -> %s" % (existing.private, options.private))
    if (existing.source or None) != options.source:
        reasons.append("source: %r -> %r" % (existing.source, options.source))
    if options.piece_size and existing.piece_size != options.piece_size:
        reasons.append("piece_size: %d -> %d" % (existing.piece_size, options.piece_size))
    if tree is not None:
        reasons.extend(content_changes(existing, tree))
    return reasons


def content_changes(existing: TorrentMeta, tree: SourceTree) -> list[str]:
    """Files added, removed, renamed or resized, or modified since the .torrent was created."""
    # Imported here so this module can be used (and unit tested) on the metadata alone.
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._source_tree import differences

    reasons = []
    if existing.single_file != tree.single_file:
        reasons.append("source_path is now a %s" % ("file" if tree.single_file else "directory"))
    elif list(existing.files) != list(tree.files):
        reasons.extend("content %s" % line for line in differences(tree.files, existing.files))
    # The creation date has whole seconds: compare whole seconds, or a file written in the same second as the
    # torrent was made would count as modified (a one-second blind spot after creation is the price).
    if not reasons and existing.creation_date is not None and tree.latest_mtime is not None \
            and int(tree.latest_mtime) > existing.creation_date:
        reasons.append("content modified after the .torrent was created (a file's modification time is newer than "
                       "its creation date)")
    return reasons


def metadata_changes(existing: TorrentMeta, options: CreateOptions) -> dict:
    """Fields outside the info dict that differ: {field: new value} for TorrentMeta.with_metadata()."""
    changes = {}
    if [list(tier) for tier in existing.trackers] != options.trackers:
        changes["trackers"] = options.trackers
    if list(existing.url_seeds) != options.url_seeds:
        changes["url_seeds"] = options.url_seeds
    if (existing.comment or None) != options.comment:
        changes["comment"] = options.comment or ""
    return changes
