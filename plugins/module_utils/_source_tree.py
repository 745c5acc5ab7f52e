# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""List the files qBittorrent's torrent creator would put into a torrent, without reading them.

The selection mirrors what qBittorrent 5.1 and 5.3 did when tried on the same trees (see the unit tests):

* The source may be a file or a directory, or a symlink to either; the torrent's name is the basename
  of the path as given (a symlink's own name).
* Every real subdirectory is walked, dot-directories included. The files directly inside a directory
  are taken when that directory's own name does not start with ``.`` (or it is the source itself), so
  ``.hidden/sub/file`` IS in the torrent while ``.hidden/file`` is not.
* A symlink to a directory counts as a directory whose files are taken, but it is not walked further:
  ``link/file`` is in, ``link/sub/file`` is not.
* Files are regular files and symlinks to regular files (with the target's size); broken symlinks,
  FIFOs, sockets and devices are skipped (listed in ``skipped``, so the module can warn). Empty files are
  in, empty directories add nothing.
* Unless ``ignore_dotfiles=False`` (qBittorrent 5.3+), names starting with ``.``
  are skipped, for files and for the directories whose files are taken. A single-file source that is
  a dotfile has no files.

``latest_mtime`` is the newest modification time of the included files (for a symlink, the newer of
the link and its target, so a re-pointed link counts). Directory times are deliberately left out:
additions, removals and renames already show up when the file list is compared with the torrent's,
and a directory's time also moves when an ignored dotfile (editor swap file, .DS_Store) comes and
goes, which would force needless rebuilds. A content change that keeps the size and the old mtime
(``cp -p``, ``touch -d``) is only found by hashing.

This is a private module_utils file (leading underscore): its API may change without notice.
"""

from __future__ import annotations

import os
import stat


class SourceTreeError(Exception):
    """The source cannot become a torrent (missing, unreadable, or without files); one-line message."""


class SourceTree:
    """What scan_source() found: ``files`` is a sorted list of ``(relative_path, size)``."""

    def __init__(self, path, name, single_file, files, latest_mtime, skipped=()):
        self.path = path
        self.name = name
        self.single_file = single_file
        self.files = files
        self.latest_mtime = latest_mtime
        self.skipped = list(skipped)  # relative paths of broken symlinks, FIFOs, sockets, devices left out

    @property
    def file_count(self):
        return len(self.files)

    @property
    def total_size(self):
        return sum(size for dummy, size in self.files)

    def __repr__(self):
        return "SourceTree(%r, %d files, %d bytes)" % (self.path, self.file_count, self.total_size)


def _is_hidden(name):
    return name.startswith(".")


def _file_stat(entry):
    """(size, mtime) of a directory entry that is a regular file or a symlink to one, else None."""
    try:
        if entry.is_symlink():
            target = entry.stat()
            if not stat.S_ISREG(target.st_mode):
                return None
            link = entry.stat(follow_symlinks=False)
            return target.st_size, max(target.st_mtime, link.st_mtime)
        if not entry.is_file(follow_symlinks=False):
            return None
        info = entry.stat(follow_symlinks=False)
        return info.st_size, info.st_mtime
    except OSError:
        # vanished while scanning, broken symlink, permission denied: qBittorrent cannot take it either
        return None


def _scan_directory(root, ignore_dotfiles):
    """Walk ``root`` iteratively; returns (files, latest_mtime, skipped)."""
    files = []
    skipped = []
    latest = None
    # (directory path, its prefix inside the torrent, take its files?, walk its subdirectories?)
    todo = [(root, "", True, True)]
    while todo:
        directory, prefix, take_files, walk = todo.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            hidden = _is_hidden(entry.name) and ignore_dotfiles
            try:
                is_real_dir = entry.is_dir(follow_symlinks=False)
                is_dir = is_real_dir or entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if walk and (is_real_dir or not hidden):
                    todo.append((entry.path, prefix + entry.name + "/", not hidden, is_real_dir))
                continue
            if not take_files or hidden:
                continue
            found = _file_stat(entry)
            if found is None:
                skipped.append(prefix + entry.name)
                continue
            size, mtime = found
            files.append((prefix + entry.name, size))
            if latest is None or mtime > latest:
                latest = mtime
    files.sort()
    return files, latest, sorted(skipped)


def scan_source(path: str, ignore_dotfiles: bool = True) -> SourceTree:
    """Scan a source file or directory the way qBittorrent's torrent creator selects files.

    Time is proportional to the number of entries: one scandir per directory and one stat per file,
    no file content is read. Raises SourceTreeError for a missing path or a source without files.
    """
    path = os.path.abspath(os.path.expanduser(path))
    name = os.path.basename(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        if os.path.lexists(path):
            raise SourceTreeError("source %s is a broken symlink or cannot be read: %s" % (path, exc.strerror or exc))
        raise SourceTreeError("source %s does not exist" % path)

    if stat.S_ISDIR(info.st_mode):
        files, latest, skipped = _scan_directory(path, ignore_dotfiles)
        if not files:
            hint = " (names starting with '.' are skipped unless ignore_dotfiles=false)" if ignore_dotfiles else ""
            raise SourceTreeError("source directory %s contains no files to put into a torrent%s" % (path, hint))
        return SourceTree(path, name, False, files, latest, skipped)

    if not stat.S_ISREG(info.st_mode):
        raise SourceTreeError("source %s is neither a regular file nor a directory" % path)
    if _is_hidden(name) and ignore_dotfiles:
        raise SourceTreeError("source file %s is a dotfile, which qBittorrent skips unless ignore_dotfiles=false" % path)
    latest = info.st_mtime
    if os.path.islink(path):
        latest = max(latest, os.lstat(path).st_mtime)
    return SourceTree(path, name, True, [(name, info.st_size)], latest)


def differences(tree_files, torrent_files, limit=10):
    """Short human-readable list of how two ``(path, size)`` lists differ, e.g. for a module's message.

    ``['added: sub/x.bin', 'removed: a.bin', 'size changed: b.txt (3 -> 5)']``: "added" is on disk but
    not in the torrent. At most ``limit`` lines, the last one saying how many more were left out.
    """
    def show(path):
        # names that are not UTF-8 survive as surrogates; make them printable
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")

    on_disk = dict(tree_files)
    in_torrent = dict(torrent_files)
    lines = []
    for path in sorted(set(on_disk) | set(in_torrent)):
        if path not in in_torrent:
            lines.append("added: %s" % show(path))
        elif path not in on_disk:
            lines.append("removed: %s" % show(path))
        elif on_disk[path] != in_torrent[path]:
            lines.append("size changed: %s (%d -> %d)" % (show(path), in_torrent[path], on_disk[path]))
    if limit and len(lines) > limit:
        more = len(lines) - (limit - 1)
        lines = lines[:limit - 1] + ["... and %d more" % more]
    return lines
