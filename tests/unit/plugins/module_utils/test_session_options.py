# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""qbt_torrent's options, checked before any request, and the session values it compares with: paths of a
qBittorrent on Windows and the tag lists of 4.x and 5.x (the test servers are 4.5, 5.1 and 5.3 on Linux, so the
Windows forms exist only here). Everything else is tested against real servers in tests/integration/targets/qbt_torrent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_options import (
    SessionOptions,
    is_absolute,
    normalize_path,
    parse_tags,
    session_argument_spec,
)

fastbencode = pytest.importorskip("fastbencode")

V1 = "a" * 40
V2 = "b" * 64


def make_params(**overrides):
    params = dict((key, spec.get("default")) for key, spec in session_argument_spec().items())
    params.update(overrides)
    assert not set(params) - set(session_argument_spec())
    return params


def options(**overrides):
    opts = SessionOptions(make_params(**overrides))
    opts.validate()
    return opts


def refused(match, **overrides):
    with pytest.raises(OptionError, match=match) as caught:
        options(**overrides)
    return caught.value.msg


def v1_torrent(tmp_path):
    info = {b"name": b"rel", b"piece length": 16384, b"length": 5, b"pieces": hashlib.sha1(b"hello").digest()}
    path = tmp_path / "rel.torrent"
    path.write_bytes(fastbencode.bencode({b"info": info}))
    return str(path), hashlib.sha1(fastbencode.bencode(info)).hexdigest()


def test_info_hash_forms():
    assert options(info_hash=V1.upper()).candidate_ids() == [V1]
    assert options(info_hash=V2).candidate_ids() == [V2[:40]]  # the session knows a v2 torrent by 40 digits
    refused(r"^info_hash: 'xyz' is not a v1 \(40 hex digits\) or v2 \(64 hex digits\) info hash", info_hash="xyz")


@pytest.mark.parametrize("path", ["/srv/releases", "C:\\Releases", "D:/releases", "\\\\nas\\share\\releases"])
def test_save_path_absolute_on_linux_or_windows(path):
    assert options(info_hash=V1, save_path=path).params["save_path"] == path


@pytest.mark.parametrize("path", ["releases", "./releases", "C:releases"])
def test_save_path_relative(path):
    message = refused("^save_path: ", info_hash=V1, save_path=path)
    assert "is relative" in message and "as the qBittorrent host sees it" in message


@pytest.mark.parametrize("category", [" movies", "/movies", "movies/", "a//b"])
def test_category_refused(category):
    refused("^category: .* is not a valid category name", info_hash=V1, category=category)


def test_category_with_subcategory_accepted():
    assert options(info_hash=V1, category="releases/linux").params["category"] == "releases/linux"  # as given


@pytest.mark.parametrize("tag", ["", " a", "a,b"])
def test_tag_refused(tag):
    refused("^tags: .* is not a valid tag", info_hash=V1, tags=["ok", tag])


def test_a_tracker_listed_twice_is_refused():
    url = "udp://t.example:1/announce"
    refused("^trackers: %s is listed twice" % url, info_hash=V1, trackers=[[url], ["http://b.example/a", url]])
    assert options(info_hash=V1, trackers=[url]).wanted_tiers == [[url]]
    assert options(info_hash=V1).wanted_tiers is None  # unset: the session's trackers are left alone
    assert options(info_hash=V1, trackers=[]).wanted_tiers == []  # empty: remove them all


def test_torrent_file_and_info_hash_must_agree(tmp_path):
    path, v1 = v1_torrent(tmp_path)
    assert options(torrent_file=path, info_hash=v1).candidate_ids() == [v1]
    message = refused("^info_hash %s is not the info hash of %s" % (V1, path), torrent_file=path, info_hash=V1)
    assert v1 in message


def test_unreadable_torrent_file(tmp_path):
    (tmp_path / "bad.torrent").write_bytes(b"not bencode")
    refused("^torrent_file: ", torrent_file=str(tmp_path / "bad.torrent"))


def test_removing_by_hash_when_the_torrent_file_is_gone(tmp_path):
    opts = options(torrent_file=str(tmp_path / "gone.torrent"), info_hash=V1, state="absent")
    assert opts.meta is None and opts.candidate_ids() == [V1]
    assert len(opts.warnings) == 1 and opts.warnings[0].endswith("; using info_hash")


@pytest.mark.parametrize("reported, normal", [
    ("/srv/releases/", "/srv/releases"), ("/", "/"), ("C:\\Releases\\", "C:\\Releases"), ("C:\\", "C:\\"),
    ("D:/", "D:/"), (None, None),
])
def test_normalize_path(reported, normal):
    assert normalize_path(reported) == normal


def test_is_absolute():
    assert is_absolute("/x") and is_absolute("C:\\x") and is_absolute("\\\\srv\\share")
    assert not is_absolute("x") and not is_absolute("") and not is_absolute(None)


@pytest.mark.parametrize("value", ["b, a", "a,b", ["b", "a", "a"], "a, b, ", ["a", " b "]])
def test_tags_of_4x_and_5x(value):
    assert parse_tags(value) == ["a", "b"]
    assert parse_tags("") == [] and parse_tags(None) == []
