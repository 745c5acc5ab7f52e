# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A qBittorrent following a release feed: an RSS feed, an auto-download rule for it, and the two preferences
without which nothing is downloaded (``rss_processing_enabled``: feeds are fetched; ``rss_auto_downloading_enabled``:
rules are applied).

What differs between servers (``QbtClient`` capabilities):

* rule definitions: qBittorrent 4.5 keeps ``savePath``, ``assignedCategory`` and ``addPaused`` in the rule and has
  no tags; from 4.6 the torrent's options are in ``torrentParams`` (``save_path``, ``category``, ``tags``,
  ``stopped``, ``use_auto_tmm``) and the old keys are ignored when it is present (``rss_rule_torrent_params``);
* ``rss/setFeedURL`` from Web API 2.9.1 (older servers: the feed is removed and added again);
* per-feed refresh intervals in seconds from Web API 2.11.5 (qBittorrent 5.2; ``has_feed_refresh_interval``).

A rule is written whole (``rss/setRule`` replaces it), so the new definition starts from the existing one and only
the keys the options manage change; options left unset are left as they are. Feeds are found by URL anywhere in the
RSS tree (qBittorrent refuses a second feed with the same URL). Removing the feed and the rule never touches the
torrents they added.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import posixpath
import typing as t
from urllib.parse import urlsplit

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError, QbtError, ServerError

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient

PREFERENCES = ("rss_processing_enabled", "rss_auto_downloading_enabled")
SEPARATOR = "\\"  # qBittorrent's RSS item paths: folder\\feed


def subscription_argument_spec() -> dict:
    return dict(
        name=dict(type="str", required=True),
        url=dict(type="str"),
        feed_name=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        enabled=dict(type="bool", default=True),
        save_path=dict(type="str"),
        category=dict(type="str"),
        tags=dict(type="list", elements="str"),
        must_contain=dict(type="str"),
        must_not_contain=dict(type="str"),
        use_regex=dict(type="bool"),
        add_stopped=dict(type="bool"),
        refresh_interval=dict(type="int"),
    )


def validate_options(params: dict) -> None:
    """OptionError (naming the option) for bad input, before any request."""
    if not params.get("name") or not params["name"].strip():
        raise OptionError("name: the rule's name must not be empty")
    if params.get("state", "present") == "present" and not params.get("url"):
        raise OptionError("url: the feed's URL is required with state=present")
    if params.get("url"):
        parts = urlsplit(params["url"])
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise OptionError("url: %r is not an http:// or https:// URL of a feed" % params["url"])
    feed_name = params.get("feed_name")
    if feed_name is not None and (not feed_name.strip() or SEPARATOR in feed_name):
        raise OptionError("feed_name: %r must be a non-empty name without '\\' (the feed sits at the top of "
                          "qBittorrent's RSS tree)" % feed_name)
    if params.get("save_path") is not None and not params["save_path"].strip():
        raise OptionError("save_path: must not be empty; leave it out to keep qBittorrent's default save path")
    if params.get("refresh_interval") is not None and params["refresh_interval"] < 0:
        raise OptionError("refresh_interval: seconds, 0 (the global interval) or more")
    if params.get("tags") is not None and any(not t.strip() or "," in t for t in params["tags"]):
        raise OptionError("tags: each tag must be non-empty and hold no comma")


def find_feeds(tree, prefix=""):
    """{path: {"url": ..., "refresh_interval": ...}} of every feed in rss/items' tree (folders are dicts of items,
    feeds are dicts with a ``uid`` and a ``url``)."""
    feeds = {}
    for name, item in (tree or {}).items():
        path = prefix + name
        if isinstance(item, dict) and isinstance(item.get("url"), str) and "uid" in item:
            feeds[path] = dict(url=item["url"], refresh_interval=int(item.get("refreshInterval") or 0))
        elif isinstance(item, dict):
            feeds.update(find_feeds(item, path + SEPARATOR))
    return feeds


def _norm_path(path):
    if path is None:
        return None
    path = str(path)
    return posixpath.normpath(path) if path.startswith("/") else path.rstrip("/\\")


def rule_view(rule, client):
    """The managed part of a rule definition (as rss/rules returns it), in the module's terms."""
    if rule is None:
        return None
    view = dict(enabled=bool(rule.get("enabled", True)), feeds=list(rule.get("affectedFeeds") or []),
                must_contain=rule.get("mustContain") or "", must_not_contain=rule.get("mustNotContain") or "",
                use_regex=bool(rule.get("useRegex", False)))
    params = rule.get("torrentParams")
    if client.rss_rule_torrent_params and isinstance(params, dict):
        view.update(save_path=_norm_path(params.get("save_path") or "") or "", category=params.get("category") or "",
                    tags=sorted(params.get("tags") or []), add_stopped=params.get("stopped"))
    else:
        stopped = rule.get("addPaused")
        view.update(save_path=_norm_path(rule.get("savePath") or "") or "", category=rule.get("assignedCategory") or "",
                    add_stopped=stopped if isinstance(stopped, bool) else None)
        if client.rss_rule_torrent_params:
            view["tags"] = []
    return view


class SubscriptionBackend:
    """plan() reads the server and decides; run() applies (nothing in check mode) and returns the result."""

    def __init__(self, params: dict, client: QbtClient, check_mode: bool = False) -> None:
        self.params = params
        self.client = client
        self.api = client.api
        self.check_mode = check_mode
        self.name = params["name"]
        self.url = params.get("url")
        self.feed_name = params.get("feed_name") or params["name"]
        self.actions = []
        self.warnings = []  # none so far: the module runner reports a backend's warnings
        self.before = {}
        self.after = {}

    # ---- reading -------------------------------------------------------------------------------------------------
    def _call(self, what, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except Exception as exc:  # pylint: disable=broad-except
            raise ServerError("%s: %s" % (what, self.client.describe(exc)), **self.client.server_facts())

    def read(self):
        self.preferences = dict(self._call("reading the preferences", self.api.app_preferences))
        tree = self._call("reading the RSS feeds", self.api.rss_items) or {}
        self.feeds = find_feeds(tree)
        self.top_level = set(tree)
        self.rules = dict(self._call("reading the RSS rules", self.api.rss_rules) or {})

    def check_server(self):
        if self.params.get("tags") and not self.client.rss_rule_torrent_params:
            raise OptionError("tags: qBittorrent %s cannot tag the torrents an RSS rule adds (rules have tags from "
                              "qBittorrent 4.6); leave tags out for this server (category works), or upgrade it"
                              % self.client.qbittorrent_version, **self.client.server_facts())
        if self.params.get("refresh_interval") and not self.client.has_feed_refresh_interval:
            raise OptionError("refresh_interval: qBittorrent %s (Web API %s) has no per-feed refresh interval (it needs "
                              "5.2, Web API 2.11.5); every feed is fetched every rss_refresh_interval minutes (a "
                              "preference): leave refresh_interval out for this server"
                              % (self.client.qbittorrent_version, self.client.webapi_version),
                              **self.client.server_facts())

    def check_feed_name(self):
        """OptionError when feed_name is taken by a folder, or by another feed while this URL's feed is elsewhere."""
        found = self.feed_by_url()
        if found is None and self.feed_name in self.top_level and self.feed_name not in self.feeds:
            raise OptionError("feed_name: %s is a folder in qBittorrent's RSS tree; choose another feed_name"
                              % self.feed_name, **self.client.server_facts())
        if found is not None and found != self.feed_name and self.feed_name in self.top_level:
            raise OptionError("feed_name: %s is taken in qBittorrent's RSS tree (the feed of %s is at %s); choose "
                              "another feed_name or remove that item" % (self.feed_name, self.url, found),
                              **self.client.server_facts())

    # ---- the decision --------------------------------------------------------------------------------------------
    def feed_by_url(self):
        for path, feed in self.feeds.items():
            if self.url and feed["url"] == self.url:
                return path
        return None

    def wanted_rule(self, existing):
        """The definition to send: the existing one with the managed keys set."""
        params = self.params
        rule = dict(existing or {})
        rule["enabled"] = params["enabled"]
        rule["affectedFeeds"] = [self.url]
        for option, key in (("must_contain", "mustContain"), ("must_not_contain", "mustNotContain"),
                            ("use_regex", "useRegex")):
            if params.get(option) is not None:
                rule[key] = params[option]
            elif existing is None:
                rule[key] = False if option == "use_regex" else ""
        if self.client.rss_rule_torrent_params:
            torrent = dict(rule.get("torrentParams") or {})
            if params.get("save_path") is not None:
                torrent["save_path"] = params["save_path"]
                torrent["use_auto_tmm"] = False  # a save path of its own, as qBittorrent does for old rules
            if params.get("category") is not None:
                torrent["category"] = params["category"]
            if params.get("tags") is not None:
                torrent["tags"] = sorted(set(params["tags"]))
            if params.get("add_stopped") is not None:
                torrent["stopped"] = params["add_stopped"]
            rule["torrentParams"] = torrent
            for legacy in ("savePath", "assignedCategory", "addPaused"):  # ignored next to torrentParams
                rule.pop(legacy, None)
        else:
            for option, key in (("save_path", "savePath"), ("category", "assignedCategory"),
                                ("add_stopped", "addPaused")):
                if params.get(option) is not None:
                    rule[key] = params[option]
        return rule

    def managed(self, view):
        """The part of a rule view the options manage (unset options are not compared)."""
        if view is None:
            return None
        keys = ["enabled", "feeds"] + [k for k in ("must_contain", "must_not_contain", "use_regex", "save_path",
                                                   "category", "tags", "add_stopped")
                                       if self.params.get(k) is not None]
        managed = {k: view.get(k) for k in keys}
        if "save_path" in managed:
            managed["save_path"] = _norm_path(managed["save_path"])
        if "tags" in managed:
            managed["tags"] = sorted(set(managed["tags"] or []))
        return managed

    # ---- applying ------------------------------------------------------------------------------------------------
    def do(self, action, what, method, *args, **kwargs):
        if not self.check_mode:
            self._call(what, method, *args, **kwargs)
        self.actions.append(action)

    def run(self) -> dict:
        """Converge and return the result; a QbtError carries what was done before it (``actions``, ``changed``)."""
        try:
            return self.converge()
        except QbtError as exc:
            exc.result.setdefault("actions", self.actions)
            exc.result.setdefault("changed", bool(self.actions) and not self.check_mode)
            raise

    def converge(self):
        self.read()
        if self.params["state"] == "absent":
            return self.remove()
        self.check_server()
        self.check_feed_name()  # every refusal before the first change
        self.converge_preferences()
        feed_path = self.converge_feed()
        self.converge_rule()
        if self.actions and not self.check_mode and feed_path is not None:
            # fetch the feed now: the rule applies to what it lists without waiting for the next refresh
            self._call("refreshing the feed", self.api.rss_refresh_item, item_path=feed_path)
        return self.result()

    def converge_preferences(self):
        missing = {key: True for key in PREFERENCES if self.preferences.get(key) is not True}
        self.before["preferences"] = {key: self.preferences.get(key) for key in PREFERENCES}
        self.after["preferences"] = dict.fromkeys(PREFERENCES, True)
        if missing:
            self.do("turned on %s" % ", ".join(sorted(missing)), "turning on RSS processing",
                    self.api.app_set_preferences, prefs=missing)

    def converge_feed(self):
        interval = self.params.get("refresh_interval")
        found = self.feed_by_url()
        at_name = self.feeds.get(self.feed_name)
        self.before["feed"] = dict(name=found, url=self.url, refresh_interval=self.feeds[found]["refresh_interval"]) \
            if found else (dict(name=self.feed_name, url=at_name["url"], refresh_interval=at_name["refresh_interval"])
                           if at_name else {})
        self.after["feed"] = dict(name=self.feed_name, url=self.url)
        if found is not None and found != self.feed_name:
            self.do("feed %s moved to %s" % (found, self.feed_name), "moving the feed", self.api.rss_move_item,
                    orig_item_path=found, new_item_path=self.feed_name)
        elif found is None and at_name is not None:
            if self.client.can_set_feed_url:
                self.do("feed %s now follows %s (was %s)" % (self.feed_name, self.url, at_name["url"]),
                        "changing the feed's URL", self.api.rss_set_feed_url, url=self.url, item_path=self.feed_name)
            else:
                self.do("feed %s removed (it followed %s)" % (self.feed_name, at_name["url"]), "removing the old feed",
                        self.api.rss_remove_item, item_path=self.feed_name)
                at_name = None
        if found is None and at_name is None:
            kwargs = dict(url=self.url, item_path=self.feed_name)
            if interval and self.client.has_feed_refresh_interval:
                kwargs["refresh_interval"] = interval
            self.do("feed %s added: %s" % (self.feed_name, self.url), "adding the feed", self.api.rss_add_feed,
                    **kwargs)
            current_interval = interval or 0
        else:
            current_interval = self.feeds[found]["refresh_interval"] if found else at_name["refresh_interval"]
        if interval is not None and self.client.has_feed_refresh_interval:
            self.after["feed"]["refresh_interval"] = interval
            if current_interval != interval:
                self.do("feed %s refresh interval %d s (was %d s)" % (self.feed_name, interval, current_interval),
                        "setting the feed's refresh interval", self.api.rss_set_feed_refresh_interval,
                        item_path=self.feed_name, refresh_interval=interval)
        elif "refresh_interval" in self.before["feed"]:
            self.after["feed"]["refresh_interval"] = current_interval
        return self.feed_name

    def converge_rule(self):
        existing = self.rules.get(self.name)
        if existing is not None:
            existing = dict(existing)
        wanted = self.wanted_rule(existing)
        before = self.managed(rule_view(existing, self.client))
        after = self.managed(rule_view(wanted, self.client))
        self.before["rule"] = before or {}
        self.after["rule"] = after
        self.rule = rule_view(wanted, self.client)
        if existing is None:
            self.do("rule %s created" % self.name, "creating the rule", self.api.rss_set_rule, rule_name=self.name,
                    rule_def=wanted)
        elif before != after:
            changed = sorted(k for k in after if before.get(k) != after[k])
            self.do("rule %s updated: %s" % (self.name, ", ".join(changed)), "updating the rule",
                    self.api.rss_set_rule, rule_name=self.name, rule_def=wanted)

    def remove(self):
        existing = self.rules.get(self.name)
        path = self.feed_by_url() if self.url else (self.feed_name if self.feed_name in self.feeds else None)
        self.before = dict(rule=self.managed(rule_view(existing, self.client)) if existing is not None else {},
                           feed=dict(name=path, url=self.feeds[path]["url"]) if path else {})
        self.after = dict(rule={}, feed={})
        if existing is not None:
            self.do("rule %s removed" % self.name, "removing the rule", self.api.rss_remove_rule, rule_name=self.name)
        if path is not None:
            self.do("feed %s removed (%s)" % (path, self.feeds[path]["url"]), "removing the feed",
                    self.api.rss_remove_item, item_path=path)
        self.rule = None
        return self.result()

    def result(self):
        result = dict(changed=bool(self.actions), actions=list(self.actions), rule=self.rule,
                      feed=dict(name=self.feed_name if self.params["state"] == "present" else None, url=self.url),
                      diff=dict(before=self.before, after=self.after))
        result.update(self.client.server_facts())
        return result
