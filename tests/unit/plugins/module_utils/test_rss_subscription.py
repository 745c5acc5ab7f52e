# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""qbt_rss_subscription's decisions for server versions a live run does not have (4.6's first torrentParams, a
server without rss/setFeedURL) and for states a live server does not show on demand (a feed elsewhere in the tree,
a folder in the way, a rule with keys the module does not manage). The API is the shared fake qBittorrent
(fake_qbt.py), which keeps feeds, rules and preferences like qBittorrent; the integration target
qbt_rss_subscription runs the module against 4.5.2, 5.1.0 and 5.3.0."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError, QbtError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._rss_subscription import (
    SubscriptionBackend,
    find_feeds,
    validate_options,
)
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_qbt import FakeQbt

URL = "https://releases.example/torrents/releases.rss"
VERSIONS = {"4.5.2": "2.8.19", "4.6.0": "2.9.2", "5.1.0": "2.11.4", "5.3.0": "2.16.2"}


CALLS = {  # the changes and refreshes a test looks at, as (what, arguments)
    "app_set_preferences": lambda prefs: ("set_preferences", prefs),
    "rss_add_feed": lambda url, item_path, refresh_interval: ("add_feed", item_path, url, refresh_interval),
    "rss_set_feed_url": lambda url, item_path: ("set_feed_url", item_path, url),
    "rss_set_feed_refresh_interval": lambda item_path, refresh_interval: (
        "set_refresh_interval", item_path, refresh_interval),
    "rss_move_item": lambda orig_item_path, new_item_path: ("move", orig_item_path, new_item_path),
    "rss_remove_item": lambda item_path: ("remove_item", item_path),
    "rss_refresh_item": lambda item_path: ("refresh", item_path),
    "rss_set_rule": lambda rule_name, rule_def: ("set_rule", rule_name, rule_def),
    "rss_remove_rule": lambda rule_name: ("remove_rule", rule_name),
}


def rss_server(version):
    """The shared fake qBittorrent as ``version`` keeps feeds, rules and preferences."""
    qbt = FakeQbt()
    qbt.torrent_params = version >= "4.6"
    return qbt


def calls(api):
    """What the module changed or refreshed on the server, in order."""
    return [CALLS[name](**kwargs) for name, kwargs in api.requests if name in CALLS]


def rss_preferences(api):
    return dict((key, value) for key, value in api.preferences.items() if key.startswith("rss_"))


def params(**overrides):
    base = dict(name="releases", url=URL, feed_name=None, state="present", enabled=True, save_path="/srv/mirror",
                category="distro", tags=None, must_contain=None, must_not_contain="beta", use_regex=None,
                add_stopped=False, refresh_interval=None)
    base.update(overrides)
    return base


def run(api, version, check_mode=False, **overrides):
    client = FakeClient(version=version, webapi=VERSIONS[version], api=api)
    return SubscriptionBackend(params(**overrides), client, check_mode=check_mode).run()


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_subscribe_then_nothing_to_do(version):
    api = rss_server(version)
    first = run(api, version, tags=["volunteer"] if version >= "4.6" else None)
    assert first["changed"] and first["actions"] == [
        "turned on rss_auto_downloading_enabled, rss_processing_enabled", "feed releases added: %s" % URL,
        "rule releases created"]
    assert rss_preferences(api) == dict(rss_processing_enabled=True, rss_auto_downloading_enabled=True)
    assert calls(api)[-1] == ("refresh", "releases")
    rule = api.rules["releases"]
    assert rule["affectedFeeds"] == [URL] and rule["mustNotContain"] == "beta" and rule["enabled"] is True
    if version >= "4.6":
        assert rule["torrentParams"] == dict(save_path="/srv/mirror", use_auto_tmm=False, category="distro",
                                             tags=["volunteer"], stopped=False)
        assert "savePath" not in rule  # ignored next to torrentParams
    else:
        assert rule["savePath"] == "/srv/mirror" and rule["assignedCategory"] == "distro"
        assert rule["addPaused"] is False and "torrentParams" not in rule
    api.requests = []
    second = run(api, version, save_path="/srv/mirror/", tags=["volunteer"] if version >= "4.6" else None)
    assert not second["changed"] and second["actions"] == [] and calls(api) == []
    assert second["diff"]["before"] == second["diff"]["after"]


def failing_server(version, failing):
    """The shared fake qBittorrent, answering until ``failing`` is called, which fails as a dropped connection does."""
    qbt = rss_server(version)

    def fail(*args, **kwargs):
        raise RuntimeError("connection reset")

    setattr(qbt, failing, fail)
    return qbt


@pytest.mark.parametrize("failing, actions", [
    ("rss_items", []),
    ("rss_set_rule", ["turned on rss_auto_downloading_enabled, rss_processing_enabled", "feed releases added: %s" % URL]),
])
def test_a_failure_reports_what_was_done_before_it(failing, actions):
    # the module fails with these facts: what was changed before the failing request
    with pytest.raises(QbtError) as caught:
        run(failing_server("5.1.0", failing), "5.1.0")
    assert caught.value.result["actions"] == actions
    assert caught.value.result["changed"] is bool(actions)


def test_unmanaged_keys_of_the_rule_are_kept():
    api = rss_server("5.1.0")
    run(api, "5.1.0")
    api.rules["releases"]["episodeFilter"] = "1x1-;"
    api.rules["releases"]["torrentParams"]["ratio_limit"] = 2.0
    result = run(api, "5.1.0", category="other")
    assert result["actions"] == ["rule releases updated: category"]
    rule = api.rules["releases"]
    assert rule["episodeFilter"] == "1x1-;" and rule["torrentParams"]["ratio_limit"] == 2.0
    assert rule["torrentParams"]["category"] == "other"


def test_unset_options_are_left_as_they_are():
    api = rss_server("5.3.0")
    run(api, "5.3.0", must_contain="distro")
    result = run(api, "5.3.0", save_path=None, category=None, must_not_contain=None, add_stopped=None)
    assert not result["changed"] and api.rules["releases"]["mustContain"] == "distro"


def test_check_mode_changes_nothing():
    api = rss_server("5.1.0")
    result = run(api, "5.1.0", check_mode=True)
    assert result["changed"] and len(result["actions"]) == 3 and calls(api) == [] and api.tree == {}
    assert result["diff"]["before"]["rule"] == {} and result["diff"]["after"]["rule"]["category"] == "distro"


def test_feed_found_elsewhere_is_moved_and_a_feed_at_the_name_follows_the_url():
    api = rss_server("5.1.0")
    api.tree = {"Linux": {"distro": dict(uid="{2}", url=URL)}}
    result = run(api, "5.1.0", feed_name="mirror")
    assert "feed Linux\\distro moved to mirror" in result["actions"]
    assert api.tree["mirror"]["url"] == URL
    api = rss_server("5.1.0")
    api.tree = {"releases": dict(uid="{3}", url="https://old.example/feed.rss")}
    result = run(api, "5.1.0")
    assert result["actions"][1] == "feed releases now follows %s (was https://old.example/feed.rss)" % URL
    assert ("set_feed_url", "releases", URL) in calls(api)


def test_without_set_feed_url_the_old_feed_is_replaced():
    api = rss_server("4.5.2")
    api.tree = {"releases": dict(uid="{3}", url="https://old.example/feed.rss")}
    run(api, "4.5.2")
    assert [c[0] for c in calls(api) if c[0] in ("remove_item", "add_feed")] == ["remove_item", "add_feed"]
    assert api.tree["releases"]["url"] == URL


def test_a_folder_or_another_feed_in_the_way_is_an_error_naming_feed_name():
    api = rss_server("5.1.0")
    api.tree = {"releases": {"inner": dict(uid="{4}", url="https://x.example/a.rss")}}
    with pytest.raises(OptionError, match="^feed_name: releases is a folder"):
        run(api, "5.1.0")
    api.tree = {"releases": dict(uid="{5}", url="https://x.example/a.rss"), "mine": dict(uid="{6}", url=URL)}
    with pytest.raises(OptionError, match="^feed_name: releases is taken"):
        run(api, "5.1.0")
    assert calls(api) == []


@pytest.mark.parametrize("version, option, value", [
    ("4.5.2", "tags", ["volunteer"]), ("4.5.2", "refresh_interval", 600), ("5.1.0", "refresh_interval", 600)])
def test_what_a_version_cannot_do_fails_before_any_change(version, option, value):
    api = rss_server(version)
    with pytest.raises(OptionError, match="^%s: qBittorrent %s" % (option, version)):
        run(api, version, **{option: value})
    assert calls(api) == []


def test_refresh_interval_on_5_2_and_newer():
    api = rss_server("5.3.0")
    run(api, "5.3.0", refresh_interval=600)
    assert ("add_feed", "releases", URL, 600) in calls(api)
    assert not run(api, "5.3.0", refresh_interval=600)["changed"]
    result = run(api, "5.3.0", refresh_interval=60)
    assert result["actions"] == ["feed releases refresh interval 60 s (was 600 s)"]


def test_absent_removes_rule_and_feed_and_nothing_else():
    api = rss_server("5.1.0")
    run(api, "5.1.0")
    api.tree["other"] = dict(uid="{7}", url="https://other.example/feed.rss")
    api.requests = []
    result = run(api, "5.1.0", state="absent")
    assert result["actions"] == ["rule releases removed", "feed releases removed (%s)" % URL]
    assert api.rules == {} and list(api.tree) == ["other"]
    assert not any(c[0] == "set_preferences" for c in calls(api))
    assert not run(api, "5.1.0", state="absent")["changed"]


def test_find_feeds_walks_folders():
    tree = {"a": dict(uid="1", url="u1"), "F": {"b": dict(uid="2", url="u2", refreshInterval=60), "G": {}}}
    assert find_feeds(tree) == {"a": dict(url="u1", refresh_interval=0), "F\\b": dict(url="u2", refresh_interval=60)}


@pytest.mark.parametrize("overrides, option", [
    (dict(url=None), "url"), (dict(url="ftp://x/feed"), "url"), (dict(feed_name="a\\b"), "feed_name"),
    (dict(save_path=" "), "save_path"), (dict(refresh_interval=-1), "refresh_interval"),
    (dict(tags=["a,b"]), "tags"), (dict(name=" "), "name")])
def test_bad_input_names_the_option(overrides, option):
    with pytest.raises(OptionError, match="^%s: " % option):
        validate_options(params(**overrides))


def test_absent_needs_no_url():
    """The rule is found by its name: unsubscribing needs no URL (subscribing does)."""
    api = rss_server("5.1.0")
    run(api, "5.1.0")
    validate_options(params(state="absent", url=None))
    result = run(api, "5.1.0", state="absent", url=None)
    assert result["changed"] and "rule releases removed" in result["actions"]
    assert api.rules == {}
    with pytest.raises(OptionError, match="^url: the feed's URL is required with state=present"):
        validate_options(params(url=None))
