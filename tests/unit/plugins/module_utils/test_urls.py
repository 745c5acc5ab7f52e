# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tracker and web seed URL rules: the trackers option's tiers, what a valid URL is, how two URLs compare, and the
form each endpoint must be sent so the server stores a URL byte for byte, for every server version at once (a test
run has three live versions, not 5.0 and 5.2 as well: FakeClient is a QbtClient with the version set by hand). What
the live servers store is tested in tests/integration/targets/qbt_torrent and qbt_torrent_create.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import unquote

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError, SessionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._urls import (
    check_creator_urls,
    check_tiers,
    check_url,
    check_url_seeds,
    creator_tracker_list,
    creator_urls,
    encode_pieces,
    requote,
    tiers_key,
    tracker_removal,
    tracker_tiers,
    url_key,
)
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient

QBT_50 = FakeClient("5.0.5", "2.11.2")
QBT_51 = FakeClient("5.1.2", "2.11.4")
QBT_52 = FakeClient("5.2.0", "2.15.0")
QBT_53 = FakeClient("5.3.0", "2.16.0")
TRACKER = "udp://tracker.example:1337/announce"


# ---------------------------------------------------------------- the trackers option

@pytest.mark.parametrize("value, tiers", [
    (None, []),
    ([], []),
    (["udp://a/announce", "http://b/announce"], [["udp://a/announce", "http://b/announce"]]),
    ([["udp://a/announce"], ["http://b/announce", "http://c/announce"]],
     [["udp://a/announce"], ["http://b/announce", "http://c/announce"]]),
    ([["udp://a/announce"], [], ["http://b/announce"]], [["udp://a/announce"], ["http://b/announce"]]),
    ([[], []], []),
    ((("udp://a/announce",),), [["udp://a/announce"]]),
])
def test_tracker_tiers(value, tiers):
    assert tracker_tiers(value) == tiers


def test_tracker_tiers_refuses_a_mix():
    with pytest.raises(OptionError, match="^trackers: .*not a mix"):
        tracker_tiers(["udp://a/announce", ["http://b/announce"]])


# ---------------------------------------------------------------- what a valid URL is

@pytest.mark.parametrize("url, match", [
    ("", "is not a URL"),
    (None, "is not a URL"),
    (" http://a.example/announce", "white space"),
    ("http://a.example/an nounce", "white space"),
    ("ftp://a.example/announce", "has scheme ftp; expected http|https://host"),
    ("a.example/announce", "is not a URL"),
    ("http:///announce", "is not a URL"),
    ("http://a.example:99999/announce", "invalid port"),
])
@pytest.mark.parametrize("option", ["trackers", "url_seeds"])
def test_check_url_names_the_option(option, url, match):
    with pytest.raises(OptionError, match=match) as caught:
        check_url(option, url, ("http", "https"))
    assert str(caught.value).startswith(option + ": ")


def test_check_url_accepts():
    check_url("trackers", TRACKER, ("http", "https", "udp"))
    check_url("url_seeds", "HTTPS://Mirror.example:8443/files/a%20b/", ("http", "https"))


def test_tracker_and_web_seed_schemes():
    check_tiers("trackers", [["udp://a.example:1/announce", "wss://b.example/announce"], ["https://c.example/a"]])
    with pytest.raises(OptionError, match="^url_seeds: 'udp://m.example/'"):
        check_url_seeds("url_seeds", ["http://m.example/", "udp://m.example/"])  # web seeds are http(s) only


def test_a_session_tracker_can_be_in_one_tier_only():
    tiers = [[TRACKER], ["http://b.example/announce", TRACKER]]
    check_tiers("trackers", tiers)  # a .torrent may repeat it
    with pytest.raises(OptionError, match="^trackers: %s is listed twice" % TRACKER):
        check_tiers("trackers", tiers, unique=True)


# ---------------------------------------------------------------- comparing

def test_tiers_compare_by_tier_order_not_order_inside_a_tier():
    assert tiers_key([["b", "a"], ["c"]]) == tiers_key([["a", "b"], [], ["c"]])
    assert tiers_key([["a"], ["c"]]) != tiers_key([["c"], ["a"]])


def test_web_seed_compared_as_the_server_lists_it():
    # torrents/webseeds gives URLs back through QUrl::toString(): host lower-cased, %20 decoded
    given = "HTTPS://Mirror.Example/files/rel%20hybrid/"
    listed = "https://mirror.example/files/rel hybrid/"
    assert url_key(given) == url_key(listed)
    assert url_key("https://m.example/a/") != url_key("https://m.example/b/")


def test_requote_gives_the_form_it_was_given_in():
    assert requote("https://mirror.example/files/rel hybrid/") == "https://mirror.example/files/rel%20hybrid/"
    kept = "https://m.example/a%2Fb/?x=1&y=[2]#f"
    assert requote(kept) == kept


# ---------------------------------------------------------------- wire formats

def test_encode_pieces_keeps_a_pipe_inside_a_url():
    urls = ["http://t.example/announce?a|b", "http://t.example/x%20y"]
    encoded = encode_pieces(urls)
    assert [unquote(piece) for piece in encoded.split("|")] == urls


def test_creator_urls_as_is_before_5_2_and_encoded_from_5_2():
    url = "http://t.example/announce?key=a%20b|c"
    assert creator_urls([url, ""], QBT_51) == [url, ""]
    encoded = creator_urls([url, ""], QBT_52)
    assert encoded[1] == ""  # the empty piece between two tiers stays empty
    assert unquote(encoded[0]) == url and "|" not in encoded[0]


def test_creator_tracker_list_separates_tiers_with_an_empty_piece():
    tiers = [["udp://a.example:1/announce", "udp://b.example:1/announce"], ["http://c.example/announce"]]
    assert creator_tracker_list(tiers, QBT_51) == ["udp://a.example:1/announce", "udp://b.example:1/announce", "",
                                                   "http://c.example/announce"]
    assert [unquote(url) for url in creator_tracker_list(tiers, QBT_53)] == creator_tracker_list(tiers, QBT_51)


@pytest.mark.parametrize("trackers, url_seeds, option", [
    ([["http://t.example/a|b"]], [], "trackers"),
    ([[TRACKER], ["http://t.example/a|b"]], [], "trackers"),
    ([], ["http://m.example/a|b/"], "url_seeds"),
])
def test_pipe_refused_by_the_creator_before_5_2(trackers, url_seeds, option):
    for client in (QBT_50, QBT_51):
        with pytest.raises(OptionError, match=r"^%s: .*contains '\|'.*qBittorrent %s .*%%7C"
                           % (option, client.qbittorrent_version)):
            check_creator_urls(client, trackers, url_seeds)
    for client in (QBT_52, QBT_53):
        check_creator_urls(client, trackers, url_seeds)


def test_tracker_removal_from_5_1_encodes_each_url():
    urls = ["http://t.example/announce?a|b", TRACKER]
    assert [unquote(piece) for piece in tracker_removal(urls, QBT_51).split("|")] == urls


def test_tracker_removal_before_5_1_sends_urls_as_they_are():
    assert tracker_removal(["http://t.example/a%20b", TRACKER], QBT_50) == "http://t.example/a%20b|" + TRACKER
    with pytest.raises(SessionError, match=r"^tracker http://t.example/a\|b contains '\|'.*upgrade qBittorrent"):
        tracker_removal(["http://t.example/a|b"], QBT_50)
