# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Does the .torrent on disk still satisfy the options? Decided on real .torrent files built by libtorrent (an
independent implementation) and real directories, for every kind of change at once: a live server cannot be made to
produce a torrent with a chosen creation date, nor to build every format from the same tree in one test, and the
integration tests (tests/integration/targets/qbt_torrent_create) can only try a few of these changes per run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import CreateOptions, create_argument_spec
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._decision import (
    content_changes,
    metadata_changes,
    needs_regeneration,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._source_tree import scan_source
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.lt_torrents import lt_torrent

pytest.importorskip("fastbencode")

PIECE = 16384
# All source files get this modification time; the torrents are dated a little later, like a real build.
FILES_TIME = int(time.time()) - 10000
CREATED = FILES_TIME + 100
TRACKERS = [["udp://tracker.example:1337/announce"], ["http://backup.example/announce"]]
SEEDS = ["http://mirror.example/files/"]


def _settle(root):
    """Give every file and directory under root the same old modification time."""
    paths = [str(root)]
    for base, dirs, files in os.walk(str(root)):
        paths.extend(os.path.join(base, name) for name in dirs + files)
    for path in paths:
        os.utime(path, (FILES_TIME, FILES_TIME))


def make_dir(tmp_path, name="release"):
    root = tmp_path / name
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"abc")
    (root / "big.bin").write_bytes(bytes(range(256)) * 200)
    (root / "empty.bin").write_bytes(b"")
    (root / "sub" / "x.bin").write_bytes(b"x" * 20000)
    _settle(root)
    return root


def make_file(tmp_path, name="single.iso"):
    path = tmp_path / name
    path.write_bytes(b"0123456789" * 5000)
    _settle(path)
    return path


def build(lt, path, fmt="v1", trackers=None, url_seeds=None, comment="the comment", source=None,
          private=False, piece=PIECE, created=CREATED):
    """A TorrentMeta of the .torrent libtorrent makes for ``path``."""
    return TorrentMeta.from_bytes(lt_torrent(
        lt, path, fmt, piece, trackers=TRACKERS if trackers is None else trackers,
        url_seeds=SEEDS if url_seeds is None else url_seeds, comment=comment, source=source, private=private,
        creation_date=created))


def opts(tmp_path, path, **overrides):
    """Validated CreateOptions matching build()'s defaults, changed by ``overrides``."""
    params = dict((key, spec.get("default")) for key, spec in create_argument_spec().items())
    params.update(dest=str(tmp_path / "out.torrent"), source_path=str(path), trackers=TRACKERS, url_seeds=SEEDS,
                  comment="the comment")
    params.update(overrides)
    options = CreateOptions(params)
    options.validate()
    return options


FORMATS = ["v1", "v2", "hybrid"]


# ---------------------------------------------------------------- nothing changed

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", ["directory", "file"])
def test_unchanged(lt, tmp_path, fmt, layout):
    path = make_dir(tmp_path) if layout == "directory" else make_file(tmp_path)
    meta = build(lt, path, fmt, source="SRC", private=True)
    options = opts(tmp_path, path, format=fmt, source="SRC", is_private=True)
    tree = scan_source(str(path))
    assert meta.files == tree.files
    assert needs_regeneration(meta, options, tree) == []
    assert needs_regeneration(meta, options) == []
    assert metadata_changes(meta, options) == {}


def test_unchanged_with_the_piece_size_asked_for(lt, tmp_path):
    path = make_dir(tmp_path)
    meta = build(lt, path, piece=65536)
    assert needs_regeneration(meta, opts(tmp_path, path, piece_size=65536), scan_source(str(path))) == []
    assert needs_regeneration(meta, opts(tmp_path, path, piece_size=0), scan_source(str(path))) == []


def test_unchanged_without_trackers_seeds_or_comment(lt, tmp_path):
    path = make_dir(tmp_path)
    meta = build(lt, path, trackers=[], url_seeds=[], comment=None)
    options = opts(tmp_path, path, trackers=[], url_seeds=[], comment=None)
    assert needs_regeneration(meta, options, scan_source(str(path))) == []
    assert metadata_changes(meta, options) == {}


# ---------------------------------------------------------------- content changes

@pytest.mark.parametrize("fmt", FORMATS)
def test_file_added(lt, tmp_path, fmt):
    path = make_dir(tmp_path)
    meta = build(lt, path, fmt)
    (path / "sub" / "new.txt").write_bytes(b"new")
    reasons = needs_regeneration(meta, opts(tmp_path, path, format=fmt), scan_source(str(path)))
    assert reasons == ["content added: sub/new.txt"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_removed(lt, tmp_path, fmt):
    path = make_dir(tmp_path)
    meta = build(lt, path, fmt)
    (path / "sub" / "x.bin").unlink()
    reasons = needs_regeneration(meta, opts(tmp_path, path, format=fmt), scan_source(str(path)))
    assert reasons == ["content removed: sub/x.bin"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_renamed(lt, tmp_path, fmt):
    path = make_dir(tmp_path)
    meta = build(lt, path, fmt)
    os.rename(str(path / "a.txt"), str(path / "b.txt"))  # rename keeps the old mtime
    reasons = needs_regeneration(meta, opts(tmp_path, path, format=fmt), scan_source(str(path)))
    assert reasons == ["content removed: a.txt", "content added: b.txt"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_resized(lt, tmp_path, fmt):
    path = make_dir(tmp_path)
    meta = build(lt, path, fmt)
    (path / "a.txt").write_bytes(b"abcde")
    os.utime(str(path / "a.txt"), (FILES_TIME, FILES_TIME))  # only the size tells
    reasons = needs_regeneration(meta, opts(tmp_path, path, format=fmt), scan_source(str(path)))
    assert reasons == ["content size changed: a.txt (3 -> 5)"]


def test_single_file_resized(lt, tmp_path):
    path = make_file(tmp_path)
    meta = build(lt, path)
    path.write_bytes(b"short")
    os.utime(str(path), (FILES_TIME, FILES_TIME))
    assert content_changes(meta, scan_source(str(path))) == ["content size changed: single.iso (50000 -> 5)"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_modified_after_creation(lt, tmp_path, fmt):
    path = make_dir(tmp_path)
    meta = build(lt, path, fmt)
    (path / "sub" / "x.bin").write_bytes(b"y" * 20000)  # same size, newer mtime
    os.utime(str(path / "sub" / "x.bin"), (CREATED + 5, CREATED + 5))
    reasons = needs_regeneration(meta, opts(tmp_path, path, format=fmt), scan_source(str(path)))
    assert len(reasons) == 1
    assert "modification time is newer" in reasons[0]


def test_file_modified_before_creation_is_fine(lt, tmp_path):
    path = make_dir(tmp_path)
    meta = build(lt, path)
    os.utime(str(path / "a.txt"), (CREATED - 1, CREATED - 1))
    assert needs_regeneration(meta, opts(tmp_path, path), scan_source(str(path))) == []


def test_torrent_without_creation_date(lt, tmp_path):
    path = make_dir(tmp_path)
    data = build(lt, path).data
    meta = TorrentMeta.from_bytes(data.replace(b"13:creation datei%de" % CREATED, b""))
    assert meta.creation_date is None
    os.utime(str(path / "a.txt"), None)  # now: cannot be compared, so no reason
    assert needs_regeneration(meta, opts(tmp_path, path), scan_source(str(path))) == []


def test_file_became_directory(lt, tmp_path):
    (tmp_path / "one").mkdir()
    single = make_file(tmp_path / "one", name="release")
    meta = build(lt, single)
    single.unlink()
    path = make_dir(tmp_path / "one")
    reasons = needs_regeneration(meta, opts(tmp_path, path), scan_source(str(path)))
    assert reasons == ["source_path is now a directory"]


def test_directory_became_file(lt, tmp_path):
    (tmp_path / "one").mkdir()
    path = make_dir(tmp_path / "one")
    meta = build(lt, path)
    for child in ("sub/x.bin", "a.txt", "big.bin", "empty.bin"):
        (path / child).unlink()
    (path / "sub").rmdir()
    path.rmdir()
    single = make_file(tmp_path / "one", name="release")
    reasons = needs_regeneration(meta, opts(tmp_path, single), scan_source(str(single)))
    assert reasons == ["source_path is now a file"]


def test_content_ignored_without_a_tree(lt, tmp_path):
    path = make_dir(tmp_path)
    meta = build(lt, path)
    (path / "new.txt").write_bytes(b"new")
    assert needs_regeneration(meta, opts(tmp_path, path), None) == []


# ---------------------------------------------------------------- info-dict options

@pytest.mark.parametrize("built, asked", [(a, b) for a in FORMATS for b in FORMATS if a != b])
def test_format_change(lt, tmp_path, built, asked):
    path = make_dir(tmp_path)
    meta = build(lt, path, built)
    reasons = needs_regeneration(meta, opts(tmp_path, path, format=asked), scan_source(str(path)))
    assert reasons == ["format: %s -> %s" % (built, asked)]


@pytest.mark.parametrize("built", [True, False])
def test_private_change(lt, tmp_path, built):
    path = make_dir(tmp_path)
    meta = build(lt, path, private=built)
    reasons = needs_regeneration(meta, opts(tmp_path, path, is_private=not built), scan_source(str(path)))
    assert reasons == ["private: %s -> %s" % (built, not built)]


@pytest.mark.parametrize("built, asked", [(None, "NEW"), ("OLD", None), ("OLD", "NEW")])
def test_source_change(lt, tmp_path, built, asked):
    path = make_dir(tmp_path)
    meta = build(lt, path, source=built)
    reasons = needs_regeneration(meta, opts(tmp_path, path, source=asked), scan_source(str(path)))
    assert reasons == ["source: %r -> %r" % (built, asked)]


def test_empty_source_is_no_source(lt, tmp_path):
    path = make_dir(tmp_path)
    meta = build(lt, path)
    assert needs_regeneration(meta, opts(tmp_path, path, source=""), scan_source(str(path))) == []


def test_piece_size_change(lt, tmp_path):
    path = make_dir(tmp_path)
    meta = build(lt, path)
    reasons = needs_regeneration(meta, opts(tmp_path, path, piece_size=32768), scan_source(str(path)))
    assert reasons == ["piece_size: 16384 -> 32768"]


def test_name_change(lt, tmp_path):
    path = make_dir(tmp_path)
    meta = build(lt, path)
    other = tmp_path / "renamed"
    os.rename(str(path), str(other))
    reasons = needs_regeneration(meta, opts(tmp_path, other), scan_source(str(other)))
    assert reasons == ["name: release -> renamed (source_path changed)"]


def test_several_reasons(lt, tmp_path):
    path = make_dir(tmp_path)
    meta = build(lt, path, "v1")
    (path / "new.txt").write_bytes(b"new")
    reasons = needs_regeneration(meta, opts(tmp_path, path, format="v2", is_private=True), scan_source(str(path)))
    assert reasons == ["format: v1 -> v2", "private: False -> True", "content added: new.txt"]


# ---------------------------------------------------------------- fields outside the info dict

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("overrides, expected", [
    (dict(trackers=[["udp://other.example:1/announce"]]), dict(trackers=[["udp://other.example:1/announce"]])),
    (dict(trackers=[TRACKERS[1], TRACKERS[0]]), dict(trackers=[TRACKERS[1], TRACKERS[0]])),  # tier order counts
    (dict(trackers=[TRACKERS[0][0], TRACKERS[1][0]]), dict(trackers=[[TRACKERS[0][0], TRACKERS[1][0]]])),  # one tier
    (dict(trackers=[]), dict(trackers=[])),
    (dict(url_seeds=["http://other.example/"]), dict(url_seeds=["http://other.example/"])),
    (dict(url_seeds=[]), dict(url_seeds=[])),
    (dict(comment="new comment"), dict(comment="new comment")),
    (dict(comment=None), dict(comment="")),
    (dict(comment=""), dict(comment="")),
])
def test_metadata_only(lt, tmp_path, fmt, overrides, expected):
    path = make_dir(tmp_path)
    meta = build(lt, path, fmt)
    options = opts(tmp_path, path, format=fmt, **overrides)
    assert needs_regeneration(meta, options, scan_source(str(path))) == []
    changes = metadata_changes(meta, options)
    assert changes == expected
    # applied in place, the file satisfies the options and keeps its info hashes
    rewritten = TorrentMeta.from_bytes(meta.with_metadata(**changes))
    assert metadata_changes(rewritten, options) == {}
    assert (rewritten.info_hash_v1, rewritten.info_hash_v2) == (meta.info_hash_v1, meta.info_hash_v2)


def test_metadata_added_to_a_bare_torrent(lt, tmp_path):
    path = make_dir(tmp_path)
    meta = build(lt, path, trackers=[], url_seeds=[], comment=None)
    changes = metadata_changes(meta, opts(tmp_path, path))
    assert changes == dict(trackers=TRACKERS, url_seeds=SEEDS, comment="the comment")
