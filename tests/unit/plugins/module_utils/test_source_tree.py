# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scan_source() on trees whose torrents were built by qBittorrent 5.1.0 and 5.3.0: the expected lists below
are the files those servers put into the torrent for the same tree."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import socket

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._source_tree import SourceTreeError, differences, scan_source


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """The tree tried on the live servers: dotfiles, dot-directories, empty file and directories, symlinks."""
    out = tmp_path / "outside_dir"
    _write(tmp_path / "outside.txt", b"outside!!!!")
    _write(out / "o1", b"123456")
    _write(out / "osub" / "o2", b"12345678")
    _write(out / ".ohidden", b"h")

    src = tmp_path / "src"
    _write(src / "a.txt", b"abc")
    _write(src / "empty.bin", b"")
    _write(src / ".hidden", b"12345")
    _write(src / ".hdir" / "inner.txt", b"1234")
    _write(src / ".hdir" / "sub" / "deep.txt", b"12")
    _write(src / ".hdir" / ".deeper" / "z", b"q")
    _write(src / "sub" / "x.bin", b"0123456789")
    _write(src / "sub" / ".dotinsub", b"1")
    _write(src / "sub" / "nested" / "y", b"1234567")
    _write(src / "sub" / ".dd" / "e" / "f", b"999")
    (src / "emptydir").mkdir()
    (src / "emptydir2" / "emptysub").mkdir(parents=True)
    os.symlink("a.txt", str(src / "link_to_file"))
    os.symlink("../outside.txt", str(src / "link_out_file"))
    os.symlink("../outside_dir", str(src / "link_dir"))
    os.symlink("nonexistent", str(src / "broken_link"))
    os.symlink("sub", str(src / "link_dir_internal"))
    os.symlink(".hidden", str(src / "link_to_dotfile"))
    os.symlink("../outside.txt", str(src / ".dotlink"))
    os.symlink(".hdir", str(src / "l_to_hdir"))
    os.symlink("../sub", str(src / ".hdir" / "ln_sub"))
    os.mkfifo(str(src / "fifo"))
    sock = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(str(src))  # a relative name keeps the socket path short
    try:
        sock.bind("sock")
    finally:
        sock.close()
    return tmp_path


# What qBittorrent 5.1.0 and 5.3.0 (ignore_dotfiles default) put into the torrent of "src".
QBT_SKIPPING_DOTFILES = [
    (".hdir/ln_sub/x.bin", 10),      # dot-directories are walked; the files of a non-dot subdirectory are taken
    (".hdir/sub/deep.txt", 2),
    ("a.txt", 3),
    ("empty.bin", 0),                # empty files are in
    ("l_to_hdir/inner.txt", 4),      # a symlink's own name counts, not its target's
    ("link_dir/o1", 6),              # symlinked directory: its files, not its subdirectories (osub/o2)
    ("link_dir_internal/x.bin", 10),
    ("link_out_file", 11),           # symlinks to files, with the target's size
    ("link_to_dotfile", 5),
    ("link_to_file", 3),
    ("sub/.dd/e/f", 3),
    ("sub/nested/y", 7),
    ("sub/x.bin", 10),
]

# What qBittorrent 5.3.0 put in with ignore_dotfiles=False.
QBT_WITH_DOTFILES = sorted(QBT_SKIPPING_DOTFILES + [
    (".dotlink", 11),
    (".hdir/.deeper/z", 1),
    (".hdir/ln_sub/.dotinsub", 1),
    (".hdir/inner.txt", 4),
    (".hidden", 5),
    ("link_dir/.ohidden", 1),
    ("link_dir_internal/.dotinsub", 1),
    ("sub/.dotinsub", 1),
])


def test_directory_like_qbittorrent(tree):
    result = scan_source(str(tree / "src"))
    assert result.name == "src"
    assert result.single_file is False
    assert result.files == QBT_SKIPPING_DOTFILES
    assert result.file_count == len(QBT_SKIPPING_DOTFILES)
    assert result.total_size == sum(size for dummy, size in QBT_SKIPPING_DOTFILES)


def test_directory_with_dotfiles_like_qbittorrent_53(tree):
    assert scan_source(str(tree / "src"), ignore_dotfiles=False).files == QBT_WITH_DOTFILES


def test_files_qbittorrent_cannot_take_are_listed_in_skipped(tree):
    """A broken symlink, a FIFO and a socket are left out (as qBittorrent does) and named, so the module can warn:
    the user would otherwise not know why a file is missing from the torrent."""
    result = scan_source(str(tree / "src"))
    assert result.skipped == ["broken_link", "fifo", "sock"]
    assert not set(result.skipped) & set(path for path, dummy in result.files)


def test_skipped_has_the_path_inside_the_torrent_and_ignores_dotfiles(tmp_path):
    src = tmp_path / "src"
    _write(src / "a.bin", b"a")
    (src / "sub").mkdir()
    os.mkfifo(str(src / "sub" / "pipe"))
    os.mkfifo(str(src / ".hidden_pipe"))  # skipped as a dotfile already: not reported as a special file
    os.symlink("gone", str(src / "sub" / "dangling"))
    assert scan_source(str(src)).skipped == ["sub/dangling", "sub/pipe"]
    assert scan_source(str(src), ignore_dotfiles=False).skipped == [".hidden_pipe", "sub/dangling", "sub/pipe"]


def test_nothing_skipped_in_a_plain_tree(tmp_path):
    _write(tmp_path / "src" / "a.bin", b"a")
    assert scan_source(str(tmp_path / "src")).skipped == []
    _write(tmp_path / "single.bin", b"s")
    assert scan_source(str(tmp_path / "single.bin")).skipped == []


def test_symlink_to_directory_as_source_keeps_its_own_name(tree):
    os.symlink("src", str(tree / "srclink"))
    result = scan_source(str(tree / "srclink") + "/")
    assert result.name == "srclink"
    assert result.files == QBT_SKIPPING_DOTFILES


def test_dot_named_source_directory_is_taken(tree):
    _write(tree / ".dotroot" / "f", b"ab")
    _write(tree / ".dotroot" / "d" / "g", b"abc")
    result = scan_source(str(tree / ".dotroot"))
    assert (result.name, result.files) == (".dotroot", [("d/g", 3), ("f", 2)])


def test_single_file_and_symlink_to_file(tmp_path):
    _write(tmp_path / "single.bin", b"single")
    os.symlink("single.bin", str(tmp_path / "single_link"))
    result = scan_source(str(tmp_path / "single.bin"))
    assert (result.name, result.single_file, result.files) == ("single.bin", True, [("single.bin", 6)])
    linked = scan_source(str(tmp_path / "single_link"))
    assert (linked.name, linked.single_file, linked.files) == ("single_link", True, [("single_link", 6)])


def test_single_dotfile_needs_ignore_dotfiles_false(tmp_path):
    _write(tmp_path / ".single_dot", b"dot")
    with pytest.raises(SourceTreeError, match="dotfile"):
        scan_source(str(tmp_path / ".single_dot"))
    assert scan_source(str(tmp_path / ".single_dot"), ignore_dotfiles=False).files == [(".single_dot", 3)]


def test_only_dotfiles(tmp_path):
    _write(tmp_path / "onlydots" / ".a", b"x")
    _write(tmp_path / "onlydots" / ".b" / "c", b"yy")
    with pytest.raises(SourceTreeError, match="no files.*ignore_dotfiles=false"):
        scan_source(str(tmp_path / "onlydots"))
    assert scan_source(str(tmp_path / "onlydots"), ignore_dotfiles=False).files == [(".a", 1), (".b/c", 2)]


def test_empty_directories_only(tmp_path):
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    with pytest.raises(SourceTreeError, match="contains no files"):
        scan_source(str(tmp_path / "empty"))


def test_missing_and_broken_source(tmp_path):
    with pytest.raises(SourceTreeError, match="does not exist"):
        scan_source(str(tmp_path / "missing"))
    os.symlink("missing", str(tmp_path / "broken"))
    with pytest.raises(SourceTreeError, match="broken symlink"):
        scan_source(str(tmp_path / "broken"))


def test_special_file_source(tmp_path):
    os.mkfifo(str(tmp_path / "fifo"))
    with pytest.raises(SourceTreeError, match="neither a regular file nor a directory"):
        scan_source(str(tmp_path / "fifo"))


def test_latest_mtime_is_newest_included_file(tmp_path):
    src = tmp_path / "src"
    _write(src / "old", b"1")
    _write(src / "sub" / "new", b"2")
    _write(src / ".ignored", b"3")
    os.utime(str(src / "old"), (1000, 1000))
    os.utime(str(src / "sub" / "new"), (2000, 2000))
    os.utime(str(src / ".ignored"), (9000, 9000))  # skipped files do not count
    os.utime(str(src / "sub"), (5000, 5000))  # nor do directories
    assert scan_source(str(src)).latest_mtime == 2000
    assert scan_source(str(src), ignore_dotfiles=False).latest_mtime == 9000


def test_latest_mtime_of_symlink_counts_link_and_target(tmp_path):
    src = tmp_path / "src"
    _write(src / "target", b"1")
    os.utime(str(src / "target"), (1000, 1000))
    os.symlink("target", str(src / "link"))
    os.utime(str(src / "link"), (3000, 3000), follow_symlinks=False)
    os.utime(str(src / "target"), (1000, 1000))
    assert scan_source(str(src)).latest_mtime == 3000
    assert scan_source(str(src / "link")).latest_mtime == 3000


def test_many_files_are_fast(tmp_path):
    src = tmp_path / "many"
    for index in range(2000):
        _write(src / ("d%02d" % (index % 50)) / ("f%04d" % index), b"x")
    result = scan_source(str(src))
    assert result.file_count == 2000
    assert result.files[0] == ("d00/f0000", 1)


def test_differences():
    on_disk = [("a.bin", 1), ("b.txt", 5), ("sub/x.bin", 2)]
    in_torrent = [("a.bin", 1), ("b.txt", 3), ("gone.bin", 4)]
    assert differences(on_disk, in_torrent) == ["size changed: b.txt (3 -> 5)", "removed: gone.bin", "added: sub/x.bin"]
    assert differences(on_disk, on_disk) == []


def test_differences_are_capped():
    lines = differences([("f%03d" % i, 1) for i in range(100)], [], limit=5)
    assert lines == ["added: f000", "added: f001", "added: f002", "added: f003", "... and 96 more"]
    assert len(differences([("f%03d" % i, 1) for i in range(100)], [])) == 10


def test_differences_shows_undecodable_names():
    assert differences([("\udcff.bin", 1)], []) == ["added: \ufffd.bin"]
