# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The hand-off of build once, seed everywhere: the builder's .torrent files as one private file, read back by name
and never extracted. The whole fleet at -vvv --diff is tested in tests/integration/targets/qbt_secrets."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import os
import stat
import tarfile

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._bundle import (
    read_bundle,
    receive_bundle,
    write_bundle,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError, QbtError

CONTENTS = {"distro-1.0": b"d8:announce3:abce", "caf\u00e9 2": b"\x00\x01binary\xff", ".hidden": b""}


def test_written_privately_and_read_back_the_same(tmp_path):
    path = write_bundle(CONTENTS, parent=str(tmp_path))
    directory = os.path.dirname(path)
    assert os.path.dirname(directory) == str(tmp_path)
    assert os.path.basename(directory).startswith("qbt-release-bundle-")
    assert os.listdir(directory) == ["releases.tar"]
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert read_bundle(path) == CONTENTS
    with tarfile.open(path) as archive:  # a person can list it with tar
        assert sorted(archive.getnames()) == sorted(name + ".torrent" for name in CONTENTS)


def test_each_bundle_gets_its_own_directory(tmp_path):
    first = write_bundle({}, parent=str(tmp_path))
    second = write_bundle({}, parent=str(tmp_path))
    assert os.path.dirname(first) != os.path.dirname(second)
    assert read_bundle(first) == {}


def test_members_that_are_no_release_file_are_ignored_and_nothing_is_extracted(tmp_path):
    path = str(tmp_path / "crafted.tar")
    with tarfile.open(path, "w") as archive:
        for name, data in (("../evil.torrent", b"x"), ("sub/evil.torrent", b"y"), ("notes.txt", b"z"),
                           ("good.torrent", b"d1:ae"), ("./made-by-hand.torrent", b"d1:be"),
                           ("./../evil2.torrent", b"w")):
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
        link = tarfile.TarInfo("link.torrent")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    before = sorted(os.listdir(str(tmp_path)))
    assert read_bundle(path) == {"good": b"d1:ae", "made-by-hand": b"d1:be"}
    assert sorted(os.listdir(str(tmp_path))) == before
    assert not os.path.exists(str(tmp_path.parent / "evil.torrent"))


@pytest.mark.parametrize("content, expect", [
    (None, "built_bundle: %s is not a file; give the path of the bundle the builder's qbt_releases wrote"),
    (b"not a tar archive at all" * 40, "built_bundle: cannot read %s as the builder's bundle of .torrent files"),
])
def test_a_missing_or_unreadable_bundle_names_the_option(tmp_path, content, expect):
    path = str(tmp_path / "releases.tar")
    if content is not None:
        with open(path, "wb") as handle:
            handle.write(content)
    with pytest.raises(OptionError) as caught:
        read_bundle(path)
    assert caught.value.msg.startswith(expect % path)


def test_a_seeder_receives_every_present_release_with_its_builder(tmp_path):
    path = write_bundle({"distro-1.0": b"d8:announce3:abce"}, parent=str(tmp_path))
    releases = [dict(name="distro-1.0", state="present", built_by=None),
                dict(name="old", state="absent", built_by=None)]
    assert receive_bundle(None, releases) is None
    assert receive_bundle(path, releases, built_by="builder1") == {"distro-1.0": b"d8:announce3:abce"}
    assert releases[0]["built_by"] == "builder1" and releases[1]["built_by"] is None


def test_a_release_missing_from_the_bundle_changes_nothing(tmp_path):
    path = write_bundle({"distro-1.0": b"d8:announce3:abce"}, parent=str(tmp_path))
    releases = [dict(name=name, state="present") for name in ("distro-1.0", "distro-1.1", "distro-1.2")]
    with pytest.raises(OptionError) as caught:
        receive_bundle(path, releases, built_by="builder1")
    assert caught.value.msg == ("built_bundle has no .torrent for distro-1.1, distro-1.2: builder1 did not build them "
                                "(see its failure); nothing was changed")


def test_a_bundle_that_cannot_be_written_says_so(tmp_path):
    with pytest.raises(QbtError) as caught:
        write_bundle({"a": b""}, parent=str(tmp_path / "missing"))
    assert caught.value.msg.startswith("bundle: cannot write the .torrent files for the other hosts: ")
