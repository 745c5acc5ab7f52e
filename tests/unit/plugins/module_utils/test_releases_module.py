# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""qbt_releases' own options are refused before any request, naming the option; the summary says what changed."""

from __future__ import annotations

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_module import (
    check_releases_options,
    releases_argument_spec,
    summary,
)

MANIFEST = dict(dir="/srv/manifest", name="releases", mode=None)
FEED = dict(base_url="https://releases.example/torrents/")


def params(**changes):
    values = dict(dir_mode="0755", manifest=None, feed=None)
    values.update(changes)
    return values


def test_the_spec_holds_the_module_options_only():
    spec = releases_argument_spec()
    assert spec["releases"]["required"] is True and spec["dir_mode"]["default"] == "0755"
    assert "host" not in spec and "show_tracker_secrets" not in spec  # added by the module runner


@pytest.mark.parametrize("changes", [{}, dict(manifest=dict(MANIFEST, mode="0640"), feed=FEED)])
def test_good_options_pass(changes):
    check_releases_options(params(**changes))


@pytest.mark.parametrize("changes, message", [
    (dict(dir_mode="rwx"), "dir_mode: 'rwx' is not an octal mode such as '0755'"),
    (dict(manifest=dict(MANIFEST, mode="0698")), "manifest.mode: '0698' is not an octal mode such as '0644'"),
    (dict(manifest=dict(MANIFEST, name="../up")), "manifest: name '../up' holds '/'"),
    (dict(feed=FEED), "feed: the feed is written beside the manifest (<manifest.dir>/<manifest.name>.rss): set "
                      "manifest too"),
    (dict(manifest=MANIFEST, feed=dict(base_url="ftp://x/")), "feed.base_url: 'ftp://x/' is not an http:// or "
                                                              "https:// URL"),
])
def test_bad_options_are_refused_naming_the_option(changes, message):
    with pytest.raises(OptionError) as caught:
        check_releases_options(params(**changes))
    assert caught.value.msg.startswith(message)


def test_summary_lists_what_changed_or_failed():
    results = [dict(name="a", changed=True, actions=["built", "added to the session"]),
               dict(name="b", changed=False, actions=[]),
               dict(name="c", changed=True, actions=[]),
               dict(name="d", changed=False, failed=True, msg="data does not match", actions=[])]
    assert summary(results) == ["a: built; added to the session", "c: changed", "d: FAILED: data does not match"]
