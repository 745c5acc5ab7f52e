# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The release feed qbt_releases writes beside the manifest: what a feed reader (qBittorrent's RSS auto-downloader)
reads from it, escaping, private releases, secrets, and lastBuildDate changing exactly when the items change."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import xml.etree.ElementTree as ET

import pytest

from ansible.module_utils.basic import AnsibleModule, remove_values
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.module_args import patch_module_args

from ansible_collections.torrentops.qbittorrent.plugins.module_utils import _feed, _manifest
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._io import ModuleFiles

PASSKEY = "0123456789abcdef0123456789abcdef"
NS = {"torrent": _feed.TORRENT_NS}
FEED = dict(base_url="http://127.0.0.1:8000/torrents/")
T0 = 1767225600  # 2026-01-01 00:00:00 UTC
FACTS = {"/t/a&b <1>.torrent": (321, T0), "/t/zeta.torrent": (654, T0 + 86400), "/t/secret.torrent": (99, T0),
         "/t/old.torrent": (10, T0 - 86400)}


def facts(path):
    return FACTS.get(path)


def releases():
    return [
        dict(name="a&b <1> \u00e9t\u00e9", dest="/t/a&b <1>.torrent", info_hash_v1="aa" * 20, total_size=1536,
             file_count=2, magnet_uri="magnet:?xt=urn:btih:%s&dn=a%%26b&tr=udp%%3A%%2F%%2Ft%%3A1%%2Fannounce" % ("aa" * 20),
             private=False),
        dict(name="zeta", dest="/t/zeta.torrent", info_hash_v1=None, info_hash_v2="bb" * 32, total_size=10,
             file_count=1, magnet_uri="magnet:?xt=urn:btmh:1220%s" % ("bb" * 32), private=False),
        dict(name="secret", dest="/t/secret.torrent", info_hash_v1="cc" * 20, total_size=5, private=True,
             magnet_uri="magnet:?xt=urn:btih:%s&tr=https%%3A%%2F%%2Fp.example%%2Fannounce%%3Fpasskey%%3D%s"
                        % ("cc" * 20, PASSKEY)),
        dict(name="unbuilt", dest="/t/unbuilt.torrent", info_hash_v1=None, info_hash_v2=None),  # check mode
    ]


def parse(content):
    return ET.fromstring(content)


def test_items_as_a_feed_reader_sees_them():
    content = _feed.render(releases(), FEED, "releases", now=T0 + 100000, read_facts=facts)
    assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<rss ') and content.endswith(b"</rss>\n")
    channel = parse(content).find("channel")
    assert channel.findtext("title") == "releases"
    assert channel.findtext("link") == FEED["base_url"]
    assert channel.findtext("lastBuildDate") == "Fri, 02 Jan 2026 03:46:40 GMT"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["zeta", "a&b <1> \u00e9t\u00e9"]  # newest first; no private
    zeta, first = items
    assert zeta.findtext("guid") == "bb" * 32 and zeta.find("guid").get("isPermaLink") == "false"
    assert first.findtext("guid") == "aa" * 20
    assert first.findtext("link") == releases()[0]["magnet_uri"]
    enclosure = first.find("enclosure")
    assert enclosure.attrib == {"url": "http://127.0.0.1:8000/torrents/a%26b%20%3C1%3E.torrent", "length": "321",
                                "type": "application/x-bittorrent"}
    assert first.findtext("pubDate") == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert first.findtext("torrent:contentLength", namespaces=NS) == "1536"
    assert first.findtext("torrent:infoHash", namespaces=NS) == "aa" * 20
    assert first.findtext("torrent:fileName", namespaces=NS) == "a&b <1>.torrent"
    assert first.findtext("torrent:magnetURI", namespaces=NS) == releases()[0]["magnet_uri"]
    # qBittorrent takes the last of <link> (magnet) and <enclosure>: the .torrent must come last
    children = [child.tag for child in first]
    assert children.index("link") < children.index("enclosure")


def test_private_releases_only_when_asked_and_secrets_masked():
    feed = dict(FEED, include_private=True)
    shown = _feed.render(releases(), feed, "r", now=T0, read_facts=facts)
    assert PASSKEY.encode() in shown
    masked = _feed.render(remove_values(releases(), {PASSKEY}), feed, "r", now=T0, read_facts=facts)
    assert PASSKEY.encode() not in masked and b"passkey%3D********" in masked
    assert [i.findtext("title") for i in parse(masked).iter("item")][-1] == "secret"
    assert _feed.feed_private(releases(), feed) and not _feed.feed_private(releases(), FEED)


def test_build_date_kept_while_the_items_do_not_change():
    first = _feed.render(releases(), FEED, "r", now=T0 + 5, read_facts=facts)
    assert _feed.render(releases(), FEED, "r", existing=first, now=T0 + 999, read_facts=facts) == first
    # only the channel's title changed: same items, same lastBuildDate (qBittorrent need not reparse)
    retitled = _feed.render(releases(), dict(FEED, title="Distro"), "r", existing=first, now=T0 + 999,
                            read_facts=facts)
    assert retitled != first and _feed.BUILD_DATE.search(retitled).group(1) == _feed.BUILD_DATE.search(first).group(1)


def test_build_date_changes_when_the_items_change_even_within_the_same_second():
    first = _feed.render(releases(), FEED, "r", now=T0 + 5, read_facts=facts)
    fewer = _feed.render(releases()[1:], FEED, "r", existing=first, now=T0 + 5, read_facts=facts)
    assert _feed.BUILD_DATE.search(fewer).group(1) == b"Thu, 01 Jan 2026 00:00:06 GMT"
    later = _feed.render(releases(), FEED, "r", existing=fewer, now=T0 + 3600, read_facts=facts)
    assert _feed.BUILD_DATE.search(later).group(1) == b"Thu, 01 Jan 2026 01:00:00 GMT"


def test_unreadable_existing_feed_is_replaced():
    content = _feed.render(releases(), FEED, "r", existing=b"not a feed", now=T0, read_facts=facts)
    assert parse(content).find("channel").findtext("lastBuildDate") == "Thu, 01 Jan 2026 00:00:00 GMT"


@pytest.mark.parametrize("url", ["", "ftp://x/", "/srv/torrents", "http://"])
def test_base_url_must_be_http(url):
    with pytest.raises(OptionError, match="feed.base_url"):
        _feed.validate_feed(dict(base_url=url))


def test_written_beside_the_manifest_only_when_its_bytes_change(tmp_path, monkeypatch):
    with patch_module_args({}):
        module = AnsibleModule(argument_spec={}, add_file_common_args=True)
    monkeypatch.setattr(_feed, "torrent_facts", facts)
    listed = [dict(r, state="present") for r in releases()]
    changed, paths, diffs = _manifest.write_manifest(ModuleFiles(module), listed, str(tmp_path), name="rel",
                                                     feed=FEED, now=T0)
    assert changed and paths[-1] == str(tmp_path / "rel.rss") and len(diffs) == 3
    assert oct(os.stat(paths[-1]).st_mode & 0o777) == "0o644"  # the private release is not in it
    assert oct(os.stat(paths[0]).st_mode & 0o777) == "0o600"  # the manifest lists it

    def no_write(*args, **kwargs):
        raise AssertionError("unchanged bytes must not be written")

    monkeypatch.setattr(ModuleFiles, "write", no_write)
    assert _manifest.write_manifest(ModuleFiles(module), listed, str(tmp_path), name="rel", feed=FEED,
                                    now=T0 + 60) == (False, paths, [])


def test_check_mode_reports_the_feed_and_writes_nothing(tmp_path, monkeypatch):
    with patch_module_args({"_ansible_check_mode": True}):
        checking = AnsibleModule(argument_spec={}, add_file_common_args=True, supports_check_mode=True)
    monkeypatch.setattr(_feed, "torrent_facts", facts)
    listed = [dict(r, state="present") for r in releases()]
    changed, paths, diffs = _manifest.write_manifest(ModuleFiles(checking), listed, str(tmp_path), feed=FEED,
                                                     check_mode=True, now=T0)
    assert changed and diffs[-1]["after_header"] == str(tmp_path / "releases.rss")
    assert "<guid isPermaLink=\"false\">%s</guid>" % ("aa" * 20) in diffs[-1]["after"]
    assert not any(os.path.exists(path) for path in paths)
