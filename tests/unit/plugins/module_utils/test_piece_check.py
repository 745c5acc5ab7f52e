# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""check_copy against .torrent files made by libtorrent (an independent implementation): a good copy passes, every
kind of bad copy fails naming the file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import time

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._piece_check import (
    ZERO_LEAF,
    check_copy,
    merkle_root,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.lt_torrents import lt_torrent

pytest.importorskip("fastbencode")

PIECE = 32768  # two 16 KiB blocks per piece: v2 trees with a piece layer and files smaller than a piece


@pytest.fixture(scope="module")
def lt():
    return pytest.importorskip("libtorrent")


def _tree(root):
    (root / "sub").mkdir(parents=True)
    (root / "a.bin").write_bytes(os.urandom(70000))
    (root / "sub" / "b.bin").write_bytes(os.urandom(16384 * 3 + 5))
    (root / "c.txt").write_bytes(b"ten bytes!")
    (root / "empty").write_bytes(b"")
    return root


@pytest.fixture
def release(tmp_path):
    return _tree(tmp_path / "data" / "release-1.0")


@pytest.fixture
def single(tmp_path):
    path = tmp_path / "data" / "image.iso"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(300000))
    return path


def meta_of(lt, path, fmt):
    return TorrentMeta.from_bytes(lt_torrent(lt, path, fmt, PIECE))


def flip(path, offset):
    with open(str(path), "r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0xFF]))


@pytest.mark.parametrize("fmt", ["v1", "v2", "hybrid"])
@pytest.mark.parametrize("layout", ["dir", "file"])
def test_a_good_copy_matches(lt, fmt, layout, release, single):
    path = release if layout == "dir" else single
    assert check_copy(meta_of(lt, path, fmt), str(path.parent)) is None


@pytest.mark.parametrize("fmt", ["v1", "v2", "hybrid"])
def test_one_changed_byte_fails_naming_the_file(lt, fmt, release):
    meta = meta_of(lt, release, fmt)
    flip(release / "sub" / "b.bin", 20000)
    problem = check_copy(meta, str(release.parent))
    assert problem is not None
    assert "sub/b.bin" in problem
    assert "differ from the .torrent" in problem


@pytest.mark.parametrize("fmt", ["v1", "v2", "hybrid"])
def test_one_changed_byte_in_a_single_file(lt, fmt, single):
    meta = meta_of(lt, single, fmt)
    flip(single, 299999)  # in the last, shorter piece / block
    problem = check_copy(meta, str(single.parent))
    assert problem is not None and "image.iso" in problem


@pytest.mark.parametrize("fmt", ["v1", "v2", "hybrid"])
def test_a_missing_copy_fails(lt, fmt, release, tmp_path):
    meta = meta_of(lt, release, fmt)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    problem = check_copy(meta, str(elsewhere))
    assert problem.startswith("file ")
    assert "is missing at %s/release-1.0/" % elsewhere in problem


@pytest.mark.parametrize("fmt", ["v1", "v2", "hybrid"])
def test_a_missing_or_short_file_fails(lt, fmt, release):
    meta = meta_of(lt, release, fmt)
    (release / "c.txt").unlink()
    assert "file c.txt is missing" in check_copy(meta, str(release.parent))
    (release / "c.txt").write_bytes(b"ten bytes")
    assert "file c.txt is 9 bytes at" in check_copy(meta, str(release.parent))


@pytest.mark.parametrize("fmt", ["v1", "v2", "hybrid"])
def test_an_empty_file_may_be_missing(lt, fmt, release):
    """qBittorrent creates a torrent's empty files itself: its check does not need them either."""
    meta = meta_of(lt, release, fmt)
    (release / "empty").unlink()
    assert check_copy(meta, str(release.parent)) is None


def test_a_directory_where_a_file_should_be_fails(lt, release):
    meta = meta_of(lt, release, "v1")
    (release / "c.txt").unlink()
    (release / "c.txt").mkdir()
    assert "is not a regular file" in check_copy(meta, str(release.parent))


def test_libtorrent_agrees(lt, release, tmp_path):
    """The same copy, checked by libtorrent itself: a good copy is complete, the changed one is not."""
    data = lt_torrent(lt, release, "hybrid", PIECE)
    info = lt.torrent_info(lt.bdecode(data))
    session = lt.session({"enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
                          "listen_interfaces": "127.0.0.1:0"})
    params = lt.add_torrent_params()
    params.ti = info
    params.save_path = str(release.parent)
    params.flags &= ~lt.torrent_flags.auto_managed
    params.flags |= lt.torrent_flags.paused
    handle = session.add_torrent(params)
    handle.force_recheck()
    handle.resume()
    checking = (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data)
    deadline = time.time() + 20
    while time.time() < deadline and handle.status().state in checking:
        time.sleep(0.05)
    time.sleep(0.2)
    assert handle.status().progress == 1.0
    assert check_copy(TorrentMeta.from_bytes(data), str(release.parent)) is None


def test_merkle_root_pads_with_zero_leaves():
    leaves = [hashlib.sha256(b"a").digest(), hashlib.sha256(b"b").digest(), hashlib.sha256(b"c").digest()]
    left = hashlib.sha256(leaves[0] + leaves[1]).digest()
    right = hashlib.sha256(leaves[2] + ZERO_LEAF).digest()
    assert merkle_root(leaves) == hashlib.sha256(left + right).digest()
    assert merkle_root(leaves[:1]) == leaves[0]


def test_an_unsafe_path_is_not_followed(lt, release, tmp_path):
    from fastbencode import bdecode, bencode

    decoded = bdecode(lt_torrent(lt, release, "v1", PIECE))
    decoded[b"info"][b"files"][0][b"path"] = [b"..", b"outside"]
    meta = TorrentMeta.from_bytes(bencode(decoded))
    assert "unsafe path" in check_copy(meta, str(release.parent))
