# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_formats: the default format, the web seed warning, and where qBittorrent must be told a torrent's data is.

The .torrent files are built by libtorrent's own binding, and where libtorrent (so qBittorrent) looks for each file
is asked of libtorrent itself (torrent_info), not of the collection: that is the fact seed_save_path must follow.
qBittorrent seeding such a torrent from that save path is tested against real servers in the qbt_releases and
qbt_torrent_create integration targets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import create_argument_spec
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._formats import (
    DEFAULT_FORMAT,
    FORMATS,
    seed_save_path,
    session_name,
    url_seed_warning,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_module import release_argument_spec
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.lt_torrents import lt_torrent

pytest.importorskip("fastbencode")


def test_one_default_for_every_module_and_the_role():
    assert DEFAULT_FORMAT == "v1"
    for spec in (create_argument_spec(), release_argument_spec()):
        assert spec["format"]["default"] == DEFAULT_FORMAT
        assert spec["format"]["choices"] == list(FORMATS)


@pytest.mark.parametrize("fmt", ["hybrid", "v2"])
def test_url_seed_warning_names_both_options_and_the_fix(fmt):
    message = url_seed_warning(fmt, ["https://m.example/r/"])
    assert message.startswith("url_seeds with format=%s: " % fmt)
    assert "format=v1" in message and "remove url_seeds" in message


def test_no_url_seed_warning_for_v1_or_without_web_seeds():
    assert url_seed_warning("v1", ["https://m.example/r/"]) is None
    assert url_seed_warning("hybrid", []) is None
    assert url_seed_warning("v2", []) is None


def where_libtorrent_looks(lt, data, save_path):
    """The absolute paths libtorrent reads the torrent's (non-padding) files from, with this save path."""
    info = lt.torrent_info(data)
    files = info.files()
    return sorted(posixpath.join(save_path, files.file_path(i)) for i in range(files.num_files())
                  if not files.file_flags(i) & lt.file_storage.flag_pad_file)


def on_disk(root):
    return sorted(str(p) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("layout, fmt", [
    (layout, fmt) for layout in ("one-file-dir", "same-name-dir", "file", "nested", "two-files")
    for fmt in ("v1", "v2", "hybrid")])
def test_seed_save_path_is_where_libtorrent_finds_every_file(tmp_path, lt, layout, fmt):
    releases = tmp_path / "releases"
    if layout == "one-file-dir":
        source = releases / "distro-1.0"
        files = ["image.bin"]
    elif layout == "same-name-dir":  # a directory holding one file of its own name
        source = releases / "same"
        files = ["same"]
    elif layout == "nested":
        source = releases / "distro-1.1"
        files = ["sub/image.bin"]
    elif layout == "two-files":
        source = releases / "distro-1.2"
        files = ["image.bin", "README"]
    else:
        source = releases / "survey.csv"
        files = []
    releases.mkdir()
    if files:
        for name in files:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes(name.encode() * 5000)
    else:
        source.write_bytes(b"survey" * 5000)
    data = lt_torrent(lt, source, fmt, 16384)
    meta = TorrentMeta.from_bytes(data)
    save_path = seed_save_path(str(source), meta, source_is_dir=source.is_dir())
    assert where_libtorrent_looks(lt, data, save_path) == on_disk(source if source.is_dir() else releases)
    if layout != "same-name-dir":  # the one case the .torrent alone cannot tell from a file
        assert seed_save_path(str(source) + "/", meta) == save_path
    assert session_name(meta) == lt.torrent_info(data).name()
    if fmt == "v2" and layout in ("one-file-dir", "same-name-dir"):
        assert save_path == str(source)  # the directory itself: libtorrent reads the one file at the root
        assert meta.v2_root_file == files[0]
    else:
        assert save_path == str(releases)
