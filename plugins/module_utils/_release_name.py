# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a release name may be: it becomes a file name (``<dest_dir>/<name>.torrent``, the member of the hand-off
bundle of build once, seed everywhere), so it must name one file in one directory and nothing else.

The same rule checks the manifest's name (``<dir>/<name>.json`` and ``.md``). Every name is checked before a
request is sent or anything is written, so a bad name changes nothing.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import os
import unicodedata

# The longest file name Linux file systems (ext4, XFS, Btrfs, tmpfs) accept, in bytes; the longest suffix added to
# a name is ".torrent"
NAME_MAX = 255
LONGEST_SUFFIX = ".torrent"

RULE = ("a name must be a single file name: not empty, not '.' or '..', without '/', NUL or control characters, "
        "and at most %d bytes (UTF-8) with '%s' added" % (NAME_MAX, LONGEST_SUFFIX))


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot name a release's files (a phrase), or None when it can."""
    if not isinstance(name, str):
        return "is not a string"
    if name == "":
        return "is empty"
    if name in (".", ".."):
        return "names a directory"
    if "/" in name:
        return "holds '/' (it would make a file in another directory)"
    if "\x00" in name:
        return "holds a NUL character"
    controls = sorted(set(c for c in name if unicodedata.category(c) == "Cc"))
    if controls:
        return "holds the control character%s %s" % ("s" if len(controls) > 1 else "",
                                                     ", ".join("U+%04X" % ord(c) for c in controls))
    try:
        size = len((name + LONGEST_SUFFIX).encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate (an undecodable byte of a file name)
        return "is not valid Unicode"
    if size > NAME_MAX:
        return "is too long: %d bytes with '%s' (at most %d)" % (size, LONGEST_SUFFIX, NAME_MAX)
    return None


def check_name(name: object, what: str) -> str | None:
    """A message naming ``what`` (for example ``releases[2]``) and the rule when ``name`` is bad, else None."""
    problem = name_problem(name)
    if problem is None:
        return None
    return "%s: name %r %s; %s" % (what, name, problem, RULE)


def torrent_file_name(name: str) -> str:
    """The file name of a release's .torrent (in dest_dir, in the hand-off bundle); ``name`` passed check_name."""
    return name + ".torrent"


def release_dest(release: dict) -> str:
    """Where a release's .torrent is: its ``dest``, else ``<dest_dir>/<name>.torrent``."""
    return release["dest"] or os.path.join(release["dest_dir"], torrent_file_name(release["name"]))
