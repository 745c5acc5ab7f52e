# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The hand-off of build once, seed everywhere: the builder's .torrent files travel as one file, never as data in a
module's arguments or results.

A private torrent's .torrent holds the tracker's passkey, and everything a module returns or is given is printed at
``-v`` / ``-vvv`` (results, ``invocation``), where no encoding (base64 included) may carry a secret. So the builder's
``qbt_releases`` writes its .torrent files into a tar archive of its own (``<name>.torrent`` members, mode 0600, in
a new directory of mode 0700) and returns only its path; the release role moves that file with ``fetch`` and
``copy`` (which print paths and checksums, not content) into a private directory of each other host, whose
``qbt_releases`` reads it (``built_bundle``), and removes every copy afterwards.

Members are read by name, never extracted, so an archive cannot make a file anywhere.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import io
import os
import tarfile
import tempfile

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError, QbtError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._release_name import (
    name_problem,
    torrent_file_name,
)

BUNDLE_NAME = "releases.tar"
SUFFIX = torrent_file_name("")


def write_bundle(contents: dict[str, bytes], parent: str | None = None) -> str:
    """Write ``contents`` ({release name: .torrent bytes}) as ``<new private directory>/releases.tar``; returns its
    path. The directory (mode 0700, made by ``mkdtemp`` in ``parent`` or the system's temporary directory) belongs to
    the caller, who removes it once the other hosts have the file. QbtError when it cannot be written."""
    try:
        return _write_bundle(contents, parent)
    except OSError as exc:
        raise QbtError("bundle: cannot write the .torrent files for the other hosts: %s" % exc) from exc


def _write_bundle(contents, parent):
    directory = tempfile.mkdtemp(prefix="qbt-release-bundle-", dir=parent)
    path = os.path.join(directory, BUNDLE_NAME)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as archive:
                for name in sorted(contents):
                    data = contents[name]
                    member = tarfile.TarInfo(torrent_file_name(name))
                    member.size = len(data)
                    member.mode = 0o600
                    archive.addfile(member, io.BytesIO(data))
    except BaseException:
        if os.path.exists(path):
            os.unlink(path)
        os.rmdir(directory)
        raise
    return path


def read_bundle(path: str, option: str = "built_bundle") -> dict[str, bytes]:
    """{release name: .torrent bytes} of the bundle at ``path``; an OptionError naming ``option`` when it cannot be
    read. Only regular files named ``<valid release name>.torrent`` (or ``./<name>.torrent``) count; nothing is
    extracted to disk."""
    if not os.path.isfile(path):
        raise OptionError("%s: %s is not a file; give the path of the bundle the builder's qbt_releases wrote "
                          "(its bundle result), copied to this host" % (option, path))
    contents = {}
    try:
        with tarfile.open(path, mode="r:") as archive:
            for member in archive:
                if not member.isfile() or not member.name.endswith(SUFFIX):
                    continue
                name = member.name[:-len(SUFFIX)]
                if name.startswith("./"):  # tar -C DIR -cf FILE . (a bundle made by hand)
                    name = name[2:]
                if name_problem(name) is not None:
                    continue
                contents[name] = archive.extractfile(member).read()
    except (tarfile.TarError, OSError) as exc:
        raise OptionError("%s: cannot read %s as the builder's bundle of .torrent files (a tar archive): %s"
                          % (option, path, exc))
    return contents


def receive_bundle(path: str | None, releases: list[dict], built_by: str | None = None) -> dict[str, bytes] | None:
    """The .torrent files of the bundle at ``path`` ({release name: bytes}, see read_bundle) for ``releases`` (the
    validated release dicts), or None without a bundle. Every present release must be in it (OptionError otherwise,
    naming the releases and the builder); each gets ``built_by`` unless it names its builder itself."""
    if path is None:
        return None
    received = read_bundle(path)
    present = [release for release in releases if release["state"] == "present"]
    missing = [release["name"] for release in present if release["name"] not in received]
    if missing:
        raise OptionError("built_bundle has no .torrent for %s: %s did not build %s (see its failure); nothing was "
                          "changed" % (", ".join(missing), built_by or "the builder", "them" if len(missing) > 1 else "it"))
    for release in present:
        release["built_by"] = release.get("built_by") or built_by
    return received
