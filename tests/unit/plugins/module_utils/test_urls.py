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

from urllib.parse import quote, unquote

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
    mask_secrets,
    requote,
    tiers_key,
    tracker_removal,
    tracker_secrets,
    tracker_tiers,
    url_key,
    url_secrets,
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


def test_check_url_accepts_what_the_option_allows():
    """The schemes decide: the same udp:// URL is a tracker but no web seed; case and percent-encoding as written
    are fine."""
    assert check_url("trackers", TRACKER, ("http", "https", "udp")) is None
    assert check_url("url_seeds", "HTTPS://Mirror.example:8443/files/a%20b/", ("http", "https")) is None
    with pytest.raises(OptionError, match="^url_seeds: .* has scheme udp; expected http|https://"):
        check_url("url_seeds", TRACKER, ("http", "https"))


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


# ------------------------------------------------------------------------------------------------- secrets
PASSKEY = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("url, secrets", [
    # query-string values, whatever their name
    ("https://t.example/announce?passkey=%s" % PASSKEY, {PASSKEY}),
    ("udp://t.example:6969/announce?key=abcdefgh&uid=987654321", {"abcdefgh", "987654321"}),
    # a short value is registered with its name (alone it would mask every "42" in the result), as written and
    # percent-encoded (the form a magnet link carries)
    ("https://t.example/announce?uid=42", {"uid=42", "uid%3D42"}),
    # the password of the user info; a short one with the user name
    ("https://user:s3cretpassword@t.example/announce", {"s3cretpassword"}),
    ("https://user:pw@t.example/announce", {"user:pw@", "user%3Apw%40"}),
    # a path segment of 16+ letters and digits with at least one digit
    ("https://t.example/%s/announce" % PASSKEY, {PASSKEY}),
    ("http://t.example:2710/a1b2c3d4e5f6a7b8/announce", {"a1b2c3d4e5f6a7b8"}),
    ("https://t.example/announce/%s" % PASSKEY, {PASSKEY}),  # UNIT3D's form
    ("https://t.example/%s/scrape.php" % PASSKEY, {PASSKEY}),
    # a value with escapes: as written, decoded and fully encoded
    ("https://t.example/announce?pk=a%2Bb%2Fcdefgh", {"a%2Bb%2Fcdefgh", "a+b/cdefgh"}),
])
def test_url_secrets(url, secrets):
    assert url_secrets(url) == secrets


@pytest.mark.parametrize("url", [
    "udp://tracker.example:1337/announce",
    "https://t.example/announce",
    "https://t.example/announcements/announce",  # a long word without a digit is not a key
    "https://t.example/a1b2c3d4e5f6a7b/announce",  # 15 characters
    "https://t.example/a1b2c3d4-e5f6-a7b8-c9d0/announce",  # not only letters and digits
    "https://user@t.example/announce",  # a user name alone is not a secret
    "https://mirror.example/pub/distro20260101release/",  # a web seed's path names the data: no announce segment
    "https://t.example/announce?",
    "not a url",
    None,
])
def test_urls_without_secrets(url):
    assert url_secrets(url) == set()


def test_tracker_secrets_walks_tiers_results_messages_and_magnet_links():
    magnet = ("magnet:?xt=urn:btih:71a8&dn=x&tr=" + quote("https://t.example/announce?passkey=%s" % PASSKEY, safe="")
              + "&ws=" + quote("https://m.example/x?token=wstoken1234", safe=""))
    found = tracker_secrets(
        [["udp://a.example:1/announce?k=firstkey1"], ["https://b.example/announce?k=second12"]],
        dict(msg="trackers: 'https://c.example/announce?k=inmessage'; expected ...", magnet_uri=magnet),
        b"http://d.example/announce?k=inbytes12",
    )
    assert found == sorted({"firstkey1", "second12", "inmessage", PASSKEY, "wstoken1234", "inbytes12"})


def test_masking_a_result_with_the_secrets_hides_them_in_every_form():
    url = "https://t.example/announce?passkey=%s&uid=42" % PASSKEY
    secrets = tracker_secrets(url)
    magnet = "magnet:?xt=urn:btih:71a8&tr=" + quote(url, safe="")
    masked = mask_secrets("%s %s" % (url, magnet), secrets)
    assert PASSKEY not in masked and "uid=42" not in masked and "uid%3D42" not in masked
    assert masked.startswith("https://t.example/announce?passkey=********&********")
    assert mask_secrets("piece size 42", secrets) == "piece size 42"  # nothing else is touched


def test_a_masked_url_is_refused_as_a_tracker_or_web_seed():
    with pytest.raises(OptionError, match=r"holds \*\*\*\*\*\*\*\*.*show_tracker_secrets=true"):
        check_tiers("trackers", [["https://t.example/announce?passkey=********"]])
    with pytest.raises(OptionError, match="show_tracker_secrets"):
        check_url_seeds("url_seeds", ["https://m.example/********/"])
