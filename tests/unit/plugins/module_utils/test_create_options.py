# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""qbt_torrent_create's option checks and addTask form for every server version at once: a live server cannot be
made to be qBittorrent 5.0.2, 5.1 and 5.3 in one run, nor to be built against libtorrent 1.2 and 2.0 on demand, so
version-dependent refusals, warnings and encodings are checked here with a fake client object. What the servers do
with the form is tested against real servers in tests/integration/targets/qbt_torrent_create.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import (
    CreateOptions,
    OptionError,
    create_argument_spec,
)
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient

TRACKER = "udp://tracker.example:1337/announce"

# qBittorrent versions with their Web API versions, all built with libtorrent 2.0 unless a test says otherwise
QBT_500 = FakeClient("5.0.0", "2.11.2")
QBT_502 = FakeClient("5.0.2", "2.11.2")
QBT_503 = FakeClient("5.0.3", "2.11.2")
QBT_51 = FakeClient("5.1.2", "2.11.4")
QBT_52 = FakeClient("5.2.0", "2.15.0")
QBT_53 = FakeClient("5.3.0", "2.16.0")
LT2 = "2.0.11"
LT12 = "1.2.20"


def built_with(libtorrent):
    """qBittorrent 5.1 built against another libtorrent (app/buildInfo's "libtorrent"; None: not reported)."""
    return FakeClient("5.1.2", "2.11.4", libtorrent=libtorrent)


def make_params(tmp_path, **overrides):
    """Module params the way AnsibleModule fills them: every key of the argument spec, defaults applied."""
    params = dict((key, spec.get("default")) for key, spec in create_argument_spec().items())
    params.update(dest=str(tmp_path / "out.torrent"), source_path="/data/release")
    params.update(overrides)
    unknown = set(params) - set(create_argument_spec())
    assert not unknown, unknown
    return params


def options(tmp_path, **overrides):
    opts = CreateOptions(make_params(tmp_path, **overrides))
    opts.validate()
    return opts


def refused(tmp_path, match, **overrides):
    with pytest.raises(OptionError, match=match) as caught:
        options(tmp_path, **overrides)
    return str(caught.value)


# ---------------------------------------------------------------- URLs (the rules themselves: test_urls.py)

def test_validate_checks_each_url(tmp_path):
    refused(tmp_path, "^trackers: 'ftp://x/announce'", trackers=[[TRACKER], ["ftp://x/announce"]])
    refused(tmp_path, "^url_seeds: 'udp://x/'", url_seeds=["udp://x/"])  # web seeds are http(s) only
    refused(tmp_path, "^trackers: give either", trackers=[TRACKER, [TRACKER]])


# ---------------------------------------------------------------- validate (no server)

def test_valid_defaults(tmp_path):
    opts = options(tmp_path, trackers=[TRACKER])
    assert opts.name == "release"
    assert opts.trackers == [[TRACKER]]
    assert opts.format == "v1"  # the format every client reads, from peers and from web seeds
    assert opts.piece_size == 0


def test_relative_source_path(tmp_path):
    message = refused(tmp_path, "^source_path: ", source_path="data/release")
    assert "'data/release' is relative" in message
    assert "absolute path on the qBittorrent host" in message


def test_root_source_path(tmp_path):
    # a missing source_path is AnsibleModule's required_if, not CreateOptions'
    refused(tmp_path, "root directory cannot be a torrent", source_path="//")


def test_relative_torrent_file_path(tmp_path):
    refused(tmp_path, "^torrent_file_path: 'x.torrent' is relative", torrent_file_path="x.torrent")


@pytest.mark.parametrize("size", [0, 16384, 1048576, 256 * 1024 * 1024])
def test_piece_size_accepted(tmp_path, size):
    assert options(tmp_path, piece_size=size).piece_size == size


@pytest.mark.parametrize("size", [
    1000000,  # not a power of two
    3 * 16384,  # not a power of two either
    8192,  # too small
    512 * 1024 * 1024,  # too big
    -16384,
])
def test_piece_size_refused(tmp_path, size):
    message = refused(tmp_path, "^piece_size: %d is not accepted" % size, piece_size=size)
    assert "use 0 (automatic) or a power of two from 16384 (16 KiB) to 268435456 (256 MiB)" in message


def test_dest_directory_missing(tmp_path):
    dest = tmp_path / "nowhere" / "out.torrent"
    message = refused(tmp_path, "^dest: directory ", dest=str(dest))
    assert str(dest.parent) in message
    assert "does not exist" in message


def test_dest_is_a_directory(tmp_path):
    refused(tmp_path, "^dest: .* is a directory", dest=str(tmp_path))


def test_other_checks(tmp_path):
    refused(tmp_path, "^padded_file_size_limit", padded_file_size_limit=-2)
    refused(tmp_path, "^timeout", timeout=0.0)
    refused(tmp_path, "^comment: contains a NUL", comment="a\x00b")
    refused(tmp_path, "^source: contains a NUL", source="a\x00b")


def test_state_absent_needs_nothing_else(tmp_path):
    """What only matters for a .torrent to make (source_path, piece_size, dest's directory) is not checked when the
    .torrent is to be removed; the same options with state=present are refused."""
    where = str(tmp_path / "no" / "where.torrent")
    opts = options(tmp_path, state="absent", source_path=None, piece_size=3, dest=where)
    assert opts.dest == where
    refused(tmp_path, "^piece_size: 3 is not accepted", piece_size=3, dest=where)


# ---------------------------------------------------------------- validate_for_server

@pytest.mark.parametrize("client", [QBT_500, QBT_502])
def test_source_refused_on_5_0_0_to_5_0_2(tmp_path, client):
    opts = options(tmp_path, source="TRACKER")
    with pytest.raises(OptionError, match="^source: qBittorrent %s writes the comment" % client.qbittorrent_version):
        opts.validate_for_server(client)
    options(tmp_path).validate_for_server(client)  # fine without source


@pytest.mark.parametrize("client", [QBT_503, QBT_51, QBT_53])
def test_source_accepted_from_5_0_3(tmp_path, client):
    assert options(tmp_path, source="TRACKER").validate_for_server(client) == []


@pytest.mark.parametrize("client", [QBT_500, QBT_51, QBT_52])
def test_ignore_dotfiles_false_needs_webapi_2_16(tmp_path, client):
    opts = options(tmp_path, ignore_dotfiles=False)
    with pytest.raises(OptionError, match="^ignore_dotfiles: .*5.3 or newer"):
        opts.validate_for_server(client)
    # true is what older servers always do
    assert options(tmp_path, ignore_dotfiles=True).validate_for_server(client) == []


def test_ignore_dotfiles_false_on_5_3(tmp_path):
    assert options(tmp_path, ignore_dotfiles=False).validate_for_server(QBT_53) == []


@pytest.mark.parametrize("lt", [LT2, None])
def test_alignment_options_warn_on_libtorrent_2(tmp_path, lt):
    opts = options(tmp_path, optimize_alignment=True, padded_file_size_limit=4096)
    warnings = opts.validate_for_server(built_with(lt))
    assert len(warnings) == 2
    assert warnings[0].startswith("optimize_alignment is ignored")
    assert warnings[1].startswith("padded_file_size_limit is ignored")
    assert ("libtorrent 2.0.11" if lt else "libtorrent 2.x") in warnings[0]


@pytest.mark.parametrize("fmt", ["v2", "hybrid"])
def test_v2_formats_refused_on_libtorrent_1_2(tmp_path, fmt):
    opts = options(tmp_path, format=fmt)
    with pytest.raises(OptionError, match="^format: .*libtorrent 1.2.20, which only makes v1 torrents; use format=v1"):
        opts.validate_for_server(built_with(LT12))


def test_v1_on_libtorrent_1_2_with_alignment(tmp_path):
    opts = options(tmp_path, format="v1", optimize_alignment=True, padded_file_size_limit=-1)
    assert opts.validate_for_server(built_with(LT12)) == []


@pytest.mark.parametrize("overrides, option", [
    (dict(trackers=["http://t.example/announce?a=1|2"]), "trackers"),
    (dict(trackers=[[TRACKER], ["http://t.example/x|y"]]), "trackers"),
    (dict(url_seeds=["http://m.example/a|b/"]), "url_seeds"),
])
def test_pipe_in_urls(tmp_path, overrides, option):
    opts = options(tmp_path, **overrides)
    for client in (QBT_500, QBT_51):
        with pytest.raises(OptionError, match=r"^%s: .*contains '\|'.*%%7C" % option):
            opts.validate_for_server(client)
    for client in (QBT_52, QBT_53):
        assert opts.validate_for_server(client) == []


@pytest.mark.parametrize("fmt, clients", [("hybrid", "aria2 1.36 asks a web seed for a hybrid torrent's padding files"),
                                          ("v2", "only clients built on libtorrent 2")])
def test_web_seeds_with_a_format_common_clients_cannot_fetch_warn(tmp_path, fmt, clients):
    warnings = options(tmp_path, format=fmt, url_seeds=["https://m.example/r/"]).validate_for_server(QBT_53)
    assert len(warnings) == 1
    assert warnings[0].startswith("url_seeds with format=%s: " % fmt) and clients in warnings[0]
    assert warnings[0].endswith("use format=v1 (every client downloads it from web seeds) or remove url_seeds")


@pytest.mark.parametrize("overrides", [dict(url_seeds=["https://m.example/r/"]), dict(format="v1", url_seeds=["https://m.example/r/"]),
                                       dict(format="hybrid"), dict(format="v2")])
def test_no_web_seed_warning_for_v1_or_without_web_seeds(tmp_path, overrides):
    assert options(tmp_path, **overrides).validate_for_server(QBT_53) == []


# ---------------------------------------------------------------- add_task_params

def test_minimal_form(tmp_path):
    kwargs = options(tmp_path).add_task_params(QBT_51)
    assert kwargs == dict(source_path="/data/release", format="v1", start_seeding=False, is_private=False,
                          piece_size=0)


def test_start_seeding_always_sent(tmp_path):
    # the server starts seeding when the field is missing, so False must be explicit
    for client in (QBT_500, QBT_53):
        assert options(tmp_path).add_task_params(client)["start_seeding"] is False
        assert options(tmp_path, start_seeding=True).add_task_params(client)["start_seeding"] is True


def test_full_form(tmp_path):
    opts = options(tmp_path, format="v1", is_private=True, piece_size=65536, comment="hello", source="SRC",
                   torrent_file_path="/data/out.torrent", optimize_alignment=False, padded_file_size_limit=-1)
    kwargs = opts.add_task_params(QBT_51)
    assert kwargs == dict(source_path="/data/release", format="v1", start_seeding=False, is_private=True,
                          piece_size=65536, comment="hello", source="SRC", torrent_file_path="/data/out.torrent",
                          optimize_alignment=False, padded_file_size_limit=-1)


def test_empty_comment_and_source_not_sent(tmp_path):
    kwargs = options(tmp_path, comment="", source="").add_task_params(QBT_53)
    assert "comment" not in kwargs and "source" not in kwargs


def test_tiers_joined_with_an_empty_piece(tmp_path):
    opts = options(tmp_path, trackers=[["udp://a.example:1/announce", "udp://b.example:1/announce"], [],
                                       ["http://c.example/announce"], ["http://d.example/announce"]])
    assert opts.add_task_params(QBT_51)["trackers"] == [
        "udp://a.example:1/announce", "udp://b.example:1/announce", "",
        "http://c.example/announce", "",
        "http://d.example/announce",
    ]


def test_flat_list_is_one_tier(tmp_path):
    opts = options(tmp_path, trackers=["udp://a.example:1/announce", "http://c.example/announce"])
    assert opts.add_task_params(QBT_51)["trackers"] == ["udp://a.example:1/announce", "http://c.example/announce"]


def test_urls_as_is_before_5_2(tmp_path):
    url = "http://t.example/announce?key=a%20b&x=1"
    seed = "https://m.example/files/a%2Fb/"
    kwargs = options(tmp_path, trackers=[[url], [TRACKER]], url_seeds=[seed]).add_task_params(QBT_51)
    assert kwargs["trackers"] == [url, "", TRACKER]
    assert kwargs["url_seeds"] == [seed]


@pytest.mark.parametrize("client", [QBT_52, QBT_53])
def test_urls_percent_encoded_from_5_2(tmp_path, client):
    url = "http://t.example/announce?key=a%20b&x=1|2"
    seed = "https://m.example/files/a%2Fb/"
    kwargs = options(tmp_path, trackers=[[url], [TRACKER]], url_seeds=[seed]).add_task_params(client)
    assert kwargs["trackers"] == [
        "http%3A%2F%2Ft.example%2Fannounce%3Fkey%3Da%2520b%26x%3D1%7C2", "",
        "udp%3A%2F%2Ftracker.example%3A1337%2Fannounce",
    ]
    assert kwargs["url_seeds"] == ["https%3A%2F%2Fm.example%2Ffiles%2Fa%252Fb%2F"]


def test_no_trackers_or_seeds_not_sent(tmp_path):
    kwargs = options(tmp_path, trackers=[[], []], url_seeds=[]).add_task_params(QBT_53)
    assert "trackers" not in kwargs and "url_seeds" not in kwargs


@pytest.mark.parametrize("value", [True, False])
def test_ignore_dotfiles_only_with_webapi_2_16(tmp_path, value):
    opts = options(tmp_path, ignore_dotfiles=value)
    assert opts.add_task_params(QBT_53)["ignore_dotfiles"] is value
    assert "ignore_dotfiles" not in opts.add_task_params(QBT_52)
    assert "ignore_dotfiles" not in options(tmp_path).add_task_params(QBT_53)  # unset: the server's default


def test_ignore_dotfiles_kept_as_given(tmp_path):
    # one name for the option and the code: None means "the server's default" (skip dotfiles)
    assert options(tmp_path, ignore_dotfiles=False).ignore_dotfiles is False
    assert options(tmp_path, ignore_dotfiles=True).ignore_dotfiles is True
    assert options(tmp_path).ignore_dotfiles is None


def test_wanted(tmp_path):
    opts = options(tmp_path, trackers=[TRACKER], url_seeds=["http://m.example/"], comment="c", is_private=True)
    assert opts.wanted() == dict(name="release", format="v1", piece_size="automatic", private=True, source=None,
                                 comment="c", trackers=[[TRACKER]], url_seeds=["http://m.example/"])
    assert options(tmp_path, piece_size=32768, source_path="/data/dir/").wanted()["piece_size"] == 32768
    assert options(tmp_path, source_path="/data/dir/").name == "dir"
