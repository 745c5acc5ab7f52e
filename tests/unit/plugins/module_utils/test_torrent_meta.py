# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""TorrentMeta against torrents built by libtorrent, an independent implementation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta, TorrentMetaError
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.lt_torrents import lt_torrent

fastbencode = pytest.importorskip("fastbencode")

TRACKERS = [["http://tracker.example/announce", "udp://backup.example:6969/announce"], ["https://tier2.example/a?x=1&y=2"]]
URL_SEEDS = ["http://mirror.example/files/", "https://cdn.example/path with space/"]
PIECE = 16384


def _tree(root):
    """A directory with nested files, an empty file and sizes that need several pieces and padding."""
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"abc")
    (root / "big.bin").write_bytes(bytes(range(256)) * 200)
    (root / "empty.bin").write_bytes(b"")
    (root / "sub" / "x.bin").write_bytes(b"x" * 20000)
    (root / "sub" / "deeper" / "y.txt").write_bytes(b"why")
    return root


EXPECTED_DIR_FILES = [("a.txt", 3), ("big.bin", 51200), ("empty.bin", 0), ("sub/deeper/y.txt", 3), ("sub/x.bin", 20000)]


def build(lt, path, fmt, trackers=(), url_seeds=(), comment=None, source=None, private=False):
    """.torrent bytes for ``path`` made with libtorrent."""
    return lt_torrent(lt, path, fmt, PIECE, trackers=trackers, url_seeds=url_seeds, comment=comment, source=source,
                      private=private, created_by="unit test")


def lt_hashes(lt, data):
    hashes = lt.torrent_info(lt.bdecode(data)).info_hashes()
    return (str(hashes.v1) if hashes.has_v1() else None, str(hashes.v2) if hashes.has_v2() else None)


@pytest.fixture
def source_dir(tmp_path):
    return _tree(tmp_path / "release")


@pytest.fixture
def source_file(tmp_path):
    path = tmp_path / "single.iso"
    path.write_bytes(b"0123456789" * 5000)
    return path


@pytest.mark.parametrize("fmt", ["v1", "v2", "hybrid"])
@pytest.mark.parametrize("layout", ["file", "dir"])
def test_fields_match_what_libtorrent_wrote(lt, fmt, layout, source_dir, source_file):
    path = source_file if layout == "file" else source_dir
    data = build(lt, path, fmt, trackers=TRACKERS, url_seeds=URL_SEEDS, comment="a comment", source="SRC", private=True)
    meta = TorrentMeta.from_bytes(data)

    assert meta.name == path.name
    assert meta.format == fmt
    assert meta.piece_size == PIECE
    assert meta.private is True
    assert meta.source == "SRC"
    assert meta.comment == "a comment"
    assert meta.created_by == "unit test"
    assert isinstance(meta.creation_date, int)
    assert meta.trackers == TRACKERS
    assert meta.url_seeds == URL_SEEDS
    assert (meta.info_hash_v1, meta.info_hash_v2) == lt_hashes(lt, data)
    if layout == "file":
        assert meta.single_file is True
        assert meta.files == [("single.iso", 50000)]
    else:
        assert meta.single_file is False
        assert meta.files == EXPECTED_DIR_FILES  # no padding files, even in hybrids
    assert meta.file_count == len(meta.files)
    assert meta.total_size == sum(size for dummy, size in meta.files)


@pytest.mark.parametrize("fmt", ["v1", "v2", "hybrid"])
def test_files_agree_with_libtorrent_listing(lt, fmt, source_dir):
    data = build(lt, source_dir, fmt)
    storage = lt.torrent_info(lt.bdecode(data)).files()
    listed = sorted(
        (storage.file_path(i).replace("\\", "/").split("/", 1)[1], storage.file_size(i))
        for i in range(storage.num_files())
        if not storage.file_flags(i) & lt.file_storage.flag_pad_file
    )
    assert TorrentMeta.from_bytes(data).files == listed


def test_defaults_when_fields_are_absent(lt, source_file):
    meta = TorrentMeta.from_bytes(build(lt, source_file, "v1"))
    assert meta.private is False
    assert meta.source is None
    assert meta.comment is None
    assert meta.trackers == []
    assert meta.url_seeds == []
    assert meta.info_hash_v2 is None


def test_v2_directory_with_one_file_is_not_single_file(lt, tmp_path):
    # v2 has no single-file layout: the file tree of directory "pack" holding "only.txt" looks like a
    # single-file torrent; the name tells them apart (the way qBittorrent's and scan_source's views agree)
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "only.txt").write_bytes(b"hello")
    meta = TorrentMeta.from_bytes(build(lt, tmp_path / "pack", "v2"))
    assert (meta.name, meta.single_file, meta.files) == ("pack", False, [("only.txt", 5)])


@pytest.mark.parametrize("fmt", ["v1", "v2", "hybrid"])
def test_magnet_parses_back_in_libtorrent(lt, fmt, source_dir):
    data = build(lt, source_dir, fmt, trackers=TRACKERS, url_seeds=URL_SEEDS)
    meta = TorrentMeta.from_bytes(data)
    uri = meta.magnet_uri()
    assert uri.startswith("magnet:?")
    params = lt.parse_magnet_uri(uri)
    v1, v2 = lt_hashes(lt, data)
    assert params.info_hashes.has_v1() == (v1 is not None)
    assert params.info_hashes.has_v2() == (v2 is not None)
    if v1:
        assert str(params.info_hashes.v1) == v1
    if v2:
        assert str(params.info_hashes.v2) == v2
    assert params.name == "release"
    assert list(params.trackers) == [url for tier in TRACKERS for url in tier]
    assert list(params.url_seeds) == URL_SEEDS


def test_magnet_percent_encodes_values(lt, tmp_path):
    path = tmp_path / "a b&c=d#e.txt"
    path.write_bytes(b"x")
    meta = TorrentMeta.from_bytes(build(lt, path, "v1", trackers=[["http://t.example/a?k=1&p=2"]]))
    uri = meta.magnet_uri()
    assert "dn=a%20b%26c%3Dd%23e.txt" in uri
    assert "tr=http%3A%2F%2Ft.example%2Fa%3Fk%3D1%26p%3D2" in uri
    params = lt.parse_magnet_uri(uri)
    assert params.name == "a b&c=d#e.txt"
    assert list(params.trackers) == ["http://t.example/a?k=1&p=2"]


@pytest.mark.parametrize("fmt", ["v1", "v2", "hybrid"])
def test_with_metadata_replaces_fields_and_keeps_hashes(lt, fmt, source_dir):
    data = build(lt, source_dir, fmt, trackers=TRACKERS, url_seeds=URL_SEEDS, comment="old", source="SRC", private=True)
    before = TorrentMeta.from_bytes(data)
    new_trackers = [["http://new.example/announce"], ["udp://other.example:1/a", "udp://third.example:2/a"]]

    changed = before.with_metadata(trackers=new_trackers, url_seeds=["http://one.example/"], comment="new")
    after = TorrentMeta.from_bytes(changed)
    assert after.trackers == new_trackers
    assert after.url_seeds == ["http://one.example/"]
    assert after.comment == "new"
    assert (after.info_hash_v1, after.info_hash_v2) == (before.info_hash_v1, before.info_hash_v2)
    assert (after.name, after.files, after.source, after.private) == (before.name, before.files, "SRC", True)
    assert after.created_by == before.created_by and after.creation_date == before.creation_date

    info = lt.torrent_info(lt.bdecode(changed))
    assert lt_hashes(lt, changed) == lt_hashes(lt, data)
    # libtorrent sorts trackers by tier only (order within a tier is not kept), hence sorted()
    assert sorted((t.tier, t.url) for t in info.trackers()) == [
        (0, "http://new.example/announce"), (1, "udp://other.example:1/a"), (1, "udp://third.example:2/a")]
    assert [seed["url"] for seed in info.web_seeds()] == ["http://one.example/"]
    assert info.comment() == "new"
    raw = fastbencode.bdecode(changed)
    assert raw[b"announce"] == b"http://new.example/announce"
    assert raw[b"announce-list"] == [[b"http://new.example/announce"], [b"udp://other.example:1/a", b"udp://third.example:2/a"]]
    assert raw[b"url-list"] == b"http://one.example/"  # one seed is a string, like libtorrent writes it


def test_with_metadata_none_keeps_and_empty_removes(lt, source_dir):
    data = build(lt, source_dir, "hybrid", trackers=TRACKERS, url_seeds=URL_SEEDS, comment="keep me")
    meta = TorrentMeta.from_bytes(data)

    assert TorrentMeta.from_bytes(meta.with_metadata()).to_dict() == meta.to_dict()
    kept = TorrentMeta.from_bytes(meta.with_metadata(comment="other"))
    assert (kept.trackers, kept.url_seeds, kept.comment) == (TRACKERS, URL_SEEDS, "other")

    stripped = meta.with_metadata(trackers=[], url_seeds=[], comment="")
    raw = fastbencode.bdecode(stripped)
    for key in (b"announce", b"announce-list", b"url-list", b"comment"):
        assert key not in raw
    again = TorrentMeta.from_bytes(stripped)
    assert (again.trackers, again.url_seeds, again.comment) == ([], [], None)
    assert again.info_hash_v1 == meta.info_hash_v1 and again.info_hash_v2 == meta.info_hash_v2
    lt.torrent_info(lt.bdecode(stripped))  # still loads


def test_with_metadata_several_url_seeds_are_a_list(lt, source_file):
    meta = TorrentMeta.from_bytes(build(lt, source_file, "v1"))
    raw = fastbencode.bdecode(meta.with_metadata(url_seeds=["http://a/", "http://b/"], trackers=[["http://t/"], []]))
    assert raw[b"url-list"] == [b"http://a/", b"http://b/"]
    assert raw[b"announce-list"] == [[b"http://t/"]]  # empty tiers are dropped


def test_to_dict_is_json_friendly(lt, source_dir):
    data = build(lt, source_dir, "hybrid", trackers=TRACKERS, url_seeds=URL_SEEDS, comment="c", source="S", private=True)
    meta = TorrentMeta.from_bytes(data)
    result = meta.to_dict()
    json.dumps(result)
    assert set(result) == {"name", "format", "piece_size", "private", "source", "comment", "trackers", "url_seeds", "file_count",
                           "total_size", "files", "info_hash_v1", "info_hash_v2", "created_by", "creation_date"}
    assert result["files"][0] == {"path": "a.txt", "size": 3}
    assert result["trackers"] == TRACKERS
    assert result["creation_date"].endswith("Z") and result["creation_date"][4] == "-"


def _encode(meta):
    return fastbencode.bencode(meta)


def _minimal_v1(extra):
    info = {b"name": b"f", b"piece length": 16384, b"pieces": b"\0" * 20, b"length": 1}
    meta = {b"info": info}
    meta.update(extra)
    return meta


def test_announce_only_and_url_list_string():
    meta = TorrentMeta.from_bytes(_encode(_minimal_v1({b"announce": b"http://only/", b"url-list": b"http://seed/"})))
    assert meta.trackers == [["http://only/"]]
    assert meta.url_seeds == ["http://seed/"]


def test_creation_date_in_iso_utc():
    meta = TorrentMeta.from_bytes(_encode(_minimal_v1({b"creation date": 86400})))
    assert meta.creation_date == 86400
    assert meta.to_dict()["creation_date"] == "1970-01-02T00:00:00Z"


def test_padding_entries_are_left_out():
    info = {b"name": b"d", b"piece length": 16384, b"pieces": b"\0" * 40, b"files": [
        {b"length": 3, b"path": [b"a"]},
        {b"length": 16381, b"path": [b".pad", b"16381"], b"attr": b"p"},
        {b"length": 5, b"path": [b".pad", b"5"]},
        {b"length": 2, b"path": [b"b", b"c"]},
    ]}
    meta = TorrentMeta.from_bytes(_encode({b"info": info}))
    assert meta.files == [("a", 3), ("b/c", 2)]
    assert meta.total_size == 5


def test_undecodable_names_survive_and_display():
    info = {b"name": b"caf\xe9", b"piece length": 16384, b"pieces": b"\0" * 20, b"files": [{b"length": 1, b"path": [b"\xff.bin"]}]}
    meta = TorrentMeta.from_bytes(_encode({b"info": info, b"comment": "caf\u00e9".encode()}))
    assert meta.files == [("\udcff.bin", 1)]  # same str os.scandir() gives for that file name
    assert meta.comment == "caf\u00e9"
    shown = meta.to_dict()
    json.dumps(shown)
    assert shown["name"] == "caf\ufffd"
    assert "%E9" in meta.magnet_uri()


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"this is not bencode", "invalid bencoding"),
    (b"i42e", "not a bencoded dictionary"),
    (_encode({b"announce": b"http://t/"}), "no 'info' dictionary"),
    (_encode({b"info": {b"piece length": 16384, b"pieces": b"", b"length": 1}}), "no 'name'"),
    (_encode({b"info": {b"name": b"x", b"pieces": b"", b"length": 1}}), "piece length"),
    (_encode({b"info": {b"name": b"x", b"piece length": 16384, b"length": 1}}), "neither 'pieces'"),
    (_encode({b"info": {b"name": b"x", b"piece length": 16384, b"pieces": b"abc", b"length": 1}}), "multiple of 20"),
    (_encode({b"info": {b"name": b"x", b"piece length": 16384, b"pieces": b""}}), "'length'"),
    (_encode({b"info": {b"name": b"x", b"piece length": 16384, b"meta version": 2, b"file tree": {}}}), "file tree"),
])
def test_invalid_data_raises(data, message):
    with pytest.raises(TorrentMetaError, match=message):
        TorrentMeta.from_bytes(data)


def test_truncated_and_missing_files_raise(lt, tmp_path, source_dir):
    data = build(lt, source_dir, "hybrid")
    truncated = tmp_path / "cut.torrent"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(TorrentMetaError, match="cut.torrent: not a torrent file"):
        TorrentMeta.from_file(str(truncated))
    with pytest.raises(TorrentMetaError, match="cannot read torrent file"):
        TorrentMeta.from_file(str(tmp_path / "missing.torrent"))
    whole = tmp_path / "whole.torrent"
    whole.write_bytes(data)
    assert TorrentMeta.from_file(str(whole)).files == EXPECTED_DIR_FILES
