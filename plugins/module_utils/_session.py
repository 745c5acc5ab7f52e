# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The work of qbt_torrent: one torrent in qBittorrent's session, found by info hash, made to match the options.

What the server does that this code works around (seen live on qBittorrent 5.1.0 and 5.3.0):

- A torrent's id in the session (``hash`` in torrents/info, the ``hash``/``hashes`` parameters everywhere) is its v1
  info hash for a v1 torrent, but the v2 info hash cut to 40 digits for a v2 *or hybrid* torrent. Neither the full
  v2 hash nor a hybrid torrent's v1 hash finds it. Servers built with libtorrent 1.2 use the v1 hash of a hybrid.
- torrents/add answers before the torrent is in the session: poll until it shows up. A torrent that is already there
  makes 5.1 answer ``Fails.`` and 5.3 answer 409.
- addTrackers takes one URL a line, an empty line starts the next tier (tiers are absolute, counted from 0), and a
  URL that is already there is not added again, whatever its tier. removeTrackers, addWebSeeds and removeWebSeeds
  split on ``|`` and percent-decode each piece, and web seeds are then parsed strictly: every URL is sent fully
  percent-encoded so it arrives exactly as given.
- torrents/setLocation and setSavePath *move the files*. A release's data stays where it is: a torrent whose save
  path must change is removed from the session (never its files) and added again at the new path.
- Setting a category that does not exist answers 409: it is created first.
- Start and stop show in torrents/info with a delay (about a second on 5.1): the module waits for them to show.

Private module_utils file: its API may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

try:
    from urllib.parse import quote, unquote, urlsplit, urlunsplit
except ImportError:  # pragma: no cover
    from urllib import quote, unquote  # type: ignore
    from urlparse import urlsplit, urlunsplit  # type: ignore

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import (
    TRACKER_SCHEMES,
    WEB_SEED_SCHEMES,
    OptionError,
    check_url,
    tracker_tiers,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import (
    BENCODE_IMPORT_ERROR,
    TorrentMeta,
    TorrentMetaError,
)

from ansible.module_utils.basic import missing_required_lib

try:
    from qbittorrentapi import Conflict409Error
except ImportError:  # QbtClient reports the missing library
    class Conflict409Error(Exception):
        pass

WEBSEEDS_WEBAPI = (2, 11, 3)  # torrents/webseeds, addWebSeeds, removeWebSeeds (qBittorrent 5.1)
EXPORT_WEBAPI = (2, 8, 14)  # torrents/export
TRACKER_REMOVAL_DECODES = (5, 1, 0)  # removeTrackers percent-decodes each URL from this qBittorrent version on
STICKY_TRACKER = "** ["  # the DHT, PeX and LSD pseudo-trackers that torrents/trackers lists first
HEX40 = re.compile(r"^[0-9a-f]{40}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
PROBLEM_STATES = ("error", "missingFiles")
TRANSIENT_STATES = ("checkingResumeData", "allocating", "metaDL", "forcedMetaDL", "moving", "unknown")


def session_argument_spec():
    return dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        torrent_file=dict(type="path"),
        info_hash=dict(type="str"),
        save_path=dict(type="str"),
        category=dict(type="str"),
        tags=dict(type="list", elements="str"),
        started=dict(type="bool", default=True),
        trackers=dict(type="list", elements="raw", no_log=False),
        url_seeds=dict(type="list", elements="str"),
        skip_checking=dict(type="bool", default=True),
        supersede=dict(type="bool", default=False),
        timeout=dict(type="float", default=30.0),
    )


# ------------------------------------------------------------------------------------------------- pure helpers
def session_ids(info_hash_v1, info_hash_v2):
    """The ids a torrent can have in a session: truncated v2 (libtorrent 2 builds) first, then v1."""
    ids = []
    if info_hash_v2:
        ids.append(info_hash_v2[:40])
    if info_hash_v1:
        ids.append(info_hash_v1)
    return ids


def is_stopped(state):
    """qBittorrent 5 says stoppedUP/stoppedDL, 4.x pausedUP/pausedDL."""
    return str(state or "").startswith(("stopped", "paused"))


def normalize_path(path):
    """A save path as qBittorrent reports it: no trailing separator (except for a root)."""
    if path is None:
        return None
    path = str(path)
    stripped = path.rstrip("/\\")
    if not stripped or re.match(r"^[A-Za-z]:$", stripped):
        return path[:len(stripped) + 1] if stripped else path[:1]
    return stripped


def is_absolute(path):
    """POSIX (/srv/x) or Windows (C:\\x, C:/x, \\\\server\\share) absolute path: qBittorrent may run on either."""
    return bool(path) and (path.startswith("/") or bool(re.match(r"^([A-Za-z]:[\\/]|\\\\)", path)))


def parse_tags(value):
    """torrents/info gives "a, b" (5.x) or "a,b" (4.x)."""
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = str(value or "").split(",")
    return sorted(set(item.strip() for item in items if item and item.strip()))


def session_tiers(entries):
    """torrents/trackers entries -> tiers (lists of URLs), by tier number; pseudo-trackers left out."""
    by_tier = {}
    for entry in entries:
        url = entry.get("url") or ""
        tier = entry.get("tier")
        if not url or url.startswith(STICKY_TRACKER) or not isinstance(tier, int) or tier < 0:
            continue
        by_tier.setdefault(tier, []).append(url)
    return [by_tier[tier] for tier in sorted(by_tier)]


def tiers_key(tiers):
    """What makes two tier lists the same: the order of tiers, not their numbers nor the order inside a tier
    (clients shuffle each tier anyway, BEP 12)."""
    return [sorted(set(tier)) for tier in tiers if tier]


def plan_trackers(entries, wanted):
    """What to send so the session's trackers become ``wanted`` (tiers).

    Returns (urls to remove, text for addTrackers or None). The server only adds URLs it does not have and keeps a
    URL's tier, so a tracker in the wrong tier is removed and added again.
    """
    current = session_tiers(entries)
    if tiers_key(current) == tiers_key(wanted):
        return [], None
    current_tier = {}
    for index, tier in enumerate(current):
        for url in tier:
            current_tier[url] = index
    # absolute tier numbers as the server has them
    absolute = {}
    for entry in entries:
        url = entry.get("url") or ""
        if url in current_tier and isinstance(entry.get("tier"), int):
            absolute[url] = entry["tier"]
    wanted_tier = {}
    for index, tier in enumerate(t for t in wanted if t):
        for url in tier:
            wanted_tier.setdefault(url, index)
    remove = [url for url in absolute if wanted_tier.get(url) != absolute[url]]
    add = {}
    for url, index in wanted_tier.items():
        if absolute.get(url) != index:
            add.setdefault(index, []).append(url)
    lines = []
    level = 0
    for index in sorted(add):
        while level < index:  # each empty line moves to the next tier
            lines.append("")
            level += 1
        lines.extend(add[index])
    return remove, ("\n".join(lines) if add else None)


def url_key(url):
    """Web seeds come back through QUrl::toString(): scheme and host lower-cased, percent-escapes such as %20
    decoded. Compare on that."""
    try:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), unquote(parts.path), unquote(parts.query),
                           unquote(parts.fragment)))
    except ValueError:
        return url


def requote(url):
    """A web seed as the server lists it (``rel hybrid``) -> the form it was given in (``rel%20hybrid``): what
    addWebSeeds/removeWebSeeds parse strictly, and what a person compares with their options."""
    return quote(url, safe="!#$%&'()*+,/:;=?@[]~")


def plan_url_seeds(current, wanted):
    """(urls to remove as the server spells them, urls to add as given)."""
    current_keys = dict((url_key(url), url) for url in current)
    wanted_keys = dict((url_key(url), url) for url in wanted)
    remove = [url for key, url in current_keys.items() if key not in wanted_keys]
    add = [url for key, url in wanted_keys.items() if key not in current_keys]
    return remove, add


def encode_urls(urls):
    """For endpoints that split on | and percent-decode each piece: the URL arrives byte for byte."""
    return "|".join(quote(url, safe="") for url in urls)


def encode_tracker_removal(urls, version):
    """removeTrackers percent-decodes each |-separated URL since qBittorrent 5.1.0; before, it takes them as they
    are, so a URL with a | in it cannot be removed there."""
    if version >= TRACKER_REMOVAL_DECODES:
        return encode_urls(urls)
    for url in urls:
        if "|" in url:
            raise SessionError("tracker %s contains '|', which qBittorrent before 5.1 reads as a separator when "
                               "removing trackers: remove it in the Web UI, or upgrade qBittorrent" % url)
    return "|".join(urls)


def wait_for(predicate, timeout, first=0.05, longest=0.5):
    """Call predicate() until it returns something true or timeout seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    delay = first
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 1.5, longest)


class SessionError(Exception):
    """A failure with a message meant for a person."""


# ------------------------------------------------------------------------------------------------- the module's work
class TorrentSession:
    """Make one torrent in the session match the options of qbt_torrent."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        self.client = None
        self.api = None
        self.meta = None
        self.data = None
        self.info_hash = None
        self.actions = []
        self.warnings = []
        self.wanted_tiers = None

    # ---- entry point -------------------------------------------------------------------------------------------
    def run(self):
        try:
            self.validate()
            self.client = QbtClient(self.module, need_creator=False)
            self.api = self.client.api
            try:
                result = self.absent() if self.params["state"] == "absent" else self.present()
            except SessionError:
                raise
            except Exception as exc:  # pylint: disable=broad-except
                self.client.fail(exc, actions=self.actions, **self.client.server_facts())
        except (OptionError, SessionError) as exc:
            extra = self.client.server_facts() if self.client is not None else {}
            self.module.fail_json(msg=str(exc), actions=self.actions, **extra)
        for warning in self.warnings:
            self.module.warn(warning)
        if not self.module._diff:
            result.pop("diff", None)
        result.update(self.client.server_facts())
        result["actions"] = self.actions
        self.module.exit_json(**result)

    # ---- validation before any request -------------------------------------------------------------------------
    def validate(self):
        params = self.params
        if params["torrent_file"] is None and not params["info_hash"]:
            raise OptionError("give torrent_file (the .torrent to add) or info_hash (of a torrent in the session)")
        if params["info_hash"]:
            value = params["info_hash"].strip().lower()
            if not (HEX40.match(value) or HEX64.match(value)):
                raise OptionError("info_hash: %r is not a v1 (40 hex digits) or v2 (64 hex digits) info hash"
                                  % params["info_hash"])
            self.info_hash = value
        if params["save_path"] is not None and not is_absolute(params["save_path"]):
            raise OptionError("save_path: %r is relative; give the absolute path of the directory that holds the "
                              "torrent's content, as the qBittorrent host sees it" % params["save_path"])
        if params["category"] is not None:
            category = params["category"]
            if category != category.strip() or category.startswith("/") or category.endswith("/") or "//" in category:
                raise OptionError("category: %r is not a valid category name (no surrounding spaces, no leading, "
                                  "trailing or double '/')" % category)
        if params["tags"] is not None:
            for tag in params["tags"]:
                if not tag or tag != tag.strip() or "," in tag:
                    raise OptionError("tags: %r is not a valid tag (not empty, no surrounding spaces, no comma)" % tag)
        if params["trackers"] is not None:
            self.wanted_tiers = tracker_tiers(params["trackers"])
            seen = set()
            for tier in self.wanted_tiers:
                for url in tier:
                    check_url("trackers", url, TRACKER_SCHEMES)
                    if url in seen:
                        raise OptionError("trackers: %s is listed twice; a tracker can be in one tier only" % url)
                    seen.add(url)
        if params["url_seeds"] is not None:
            for url in params["url_seeds"]:
                check_url("url_seeds", url, WEB_SEED_SCHEMES)
        if params["timeout"] <= 0:
            raise OptionError("timeout: must be a positive number of seconds")
        self.read_torrent_file()

    def read_torrent_file(self):
        path = self.params["torrent_file"]
        if path is None:
            return
        if BENCODE_IMPORT_ERROR is not None:
            self.module.fail_json(msg=missing_required_lib("fastbencode", url="https://pypi.org/project/fastbencode/"),
                                  exception=BENCODE_IMPORT_ERROR)
        try:
            self.meta = TorrentMeta.from_file(path)
        except TorrentMetaError as exc:
            if self.info_hash and self.params["state"] == "absent":
                # removing by hash: a .torrent that is already gone does not matter
                self.warnings.append("%s; using info_hash" % exc)
                return
            raise SessionError("torrent_file: %s" % exc)
        self.data = self.meta.data
        if self.info_hash:
            known = [h for h in (self.meta.info_hash_v1, self.meta.info_hash_v2) if h]
            known += [h[:40] for h in known if len(h) == 64]
            if self.info_hash not in known:
                file_hashes = " / ".join(h for h in (self.meta.info_hash_v1, self.meta.info_hash_v2) if h)
                raise OptionError("info_hash %s is not the info hash of %s (%s); leave info_hash out to use the file's"
                                  % (self.info_hash, path, file_hashes))

    # ---- reading the session -----------------------------------------------------------------------------------
    def candidate_ids(self):
        if self.meta is not None:
            return session_ids(self.meta.info_hash_v1, self.meta.info_hash_v2)
        if len(self.info_hash) == 64:
            return [self.info_hash[:40]]
        return [self.info_hash]

    def find(self):
        """The torrent's torrents/info entry, or None."""
        found = self.api.torrents_info(torrent_hashes=self.candidate_ids())
        if found:
            return found[0]
        if self.meta is None and len(self.info_hash) == 40:
            # a bare 40-digit hash may be the v1 hash of a hybrid torrent, which is not its id: look at every torrent
            for torrent in self.api.torrents_info():
                if self.info_hash in (torrent.get("infohash_v1"), torrent.get("hash")):
                    return torrent
        return None

    def refresh(self, torrent_id):
        found = self.api.torrents_info(torrent_hashes=torrent_id)
        return found[0] if found else None

    def webseeds_supported(self):
        return self.client.webapi >= WEBSEEDS_WEBAPI

    def describe(self, torrent):
        """The torrent's session state as the module manages it (the diff's before/after)."""
        if torrent is None:
            return dict(present=False)
        torrent_id = torrent["hash"]
        state = dict(
            present=True,
            name=torrent.get("name"),
            info_hash_v1=torrent.get("infohash_v1") or None,
            info_hash_v2=torrent.get("infohash_v2") or None,
            torrent_id=torrent_id,
            save_path=normalize_path(torrent.get("save_path")),
            category=torrent.get("category") or "",
            tags=parse_tags(torrent.get("tags")),
            started=not is_stopped(torrent.get("state")),
            auto_managed=bool(torrent.get("auto_tmm")),
            trackers=session_tiers(self.api.torrents_trackers(torrent_hash=torrent_id)),
        )
        if self.webseeds_supported():
            state["url_seeds"] = sorted(requote(entry["url"])
                                        for entry in self.api.torrents_webseeds(torrent_hash=torrent_id))
        return state

    # ---- state=absent ------------------------------------------------------------------------------------------
    def absent(self):
        torrent = self.find()
        before = self.describe(torrent)
        result = dict(changed=False, state="absent", **self.identity(torrent))
        if torrent is not None:
            result["changed"] = True
            self.actions.append("removed from the session (data kept)")
            if not self.check_mode:
                self.remove(torrent["hash"])
        result["diff"] = dict(before=before, after=dict(present=False))
        return result

    def remove(self, torrent_id):
        """Remove from the session, never the files, and wait until it is gone."""
        self.api.torrents_delete(delete_files=False, torrent_hashes=torrent_id)
        if not wait_for(lambda: self.refresh(torrent_id) is None, self.params["timeout"]):
            raise SessionError("qBittorrent did not remove torrent %s from its session within %s s"
                               % (torrent_id, self.params["timeout"]))

    def identity(self, torrent):
        meta = self.meta
        v1 = (meta.info_hash_v1 if meta else None) or (torrent or {}).get("infohash_v1") or None
        v2 = (meta.info_hash_v2 if meta else None) or (torrent or {}).get("infohash_v2") or None
        if meta is None and torrent is None:
            v1 = self.info_hash if len(self.info_hash) == 40 else None
            v2 = self.info_hash if len(self.info_hash) == 64 else None
        return dict(
            info_hash=v1 or v2,
            info_hash_v1=v1,
            info_hash_v2=v2,
            torrent_id=torrent["hash"] if torrent else (self.candidate_ids()[0] if self.candidate_ids() else None),
            name=(torrent or {}).get("name") or (meta.name if meta else None),
        )

    # ---- state=present -----------------------------------------------------------------------------------------
    def wanted(self, current):
        """The state to reach: the options, and for what they leave unset, what is there (or qBittorrent's choice)."""
        params = self.params
        base = dict(current) if current.get("present") else dict(
            present=True, name=self.meta.name if self.meta else None,
            info_hash_v1=self.meta.info_hash_v1 if self.meta else None,
            info_hash_v2=self.meta.info_hash_v2 if self.meta else None,
            torrent_id=self.candidate_ids()[0], save_path=None, category="", tags=[], started=True,
            auto_managed=False, trackers=self.meta.trackers if self.meta else [])
        if not current.get("present") and self.webseeds_supported():
            base["url_seeds"] = sorted(self.meta.url_seeds) if self.meta else []
        wanted = dict(base)
        if params["save_path"] is not None:
            wanted["save_path"] = normalize_path(params["save_path"])
            wanted["auto_managed"] = False  # automatic management would move the files to the category's path
        if params["category"] is not None:
            wanted["category"] = params["category"]
        if params["tags"] is not None:
            wanted["tags"] = parse_tags(params["tags"])
        wanted["started"] = params["started"]
        if self.wanted_tiers is not None:
            wanted["trackers"] = self.wanted_tiers
        if params["url_seeds"] is not None:
            wanted["url_seeds"] = sorted(params["url_seeds"])
        return wanted

    def present(self):
        params = self.params
        if params["url_seeds"] is not None and not self.webseeds_supported():
            raise SessionError("url_seeds: qBittorrent %s (Web API %s) cannot list or change a torrent's web seeds; "
                               "that needs qBittorrent 5.1 or newer (Web API 2.11.3): leave url_seeds out"
                               % (self.client.qbittorrent_version, self.client.webapi_version))
        torrent = self.find()
        if torrent is None and self.meta is None:
            raise SessionError("torrent %s is not in qBittorrent's session; give torrent_file to add it"
                               % self.info_hash)
        before = self.describe(torrent)
        wanted = self.wanted(before)
        superseded = self.find_superseded(torrent, wanted) if params["supersede"] else []

        if superseded:
            self.actions.append("removed %d other torrent(s) with the same content from the session (data kept): %s"
                                % (len(superseded), ", ".join(t["hash"] for t in superseded)))
            if not self.check_mode:
                for other in superseded:
                    self.remove(other["hash"])

        if torrent is None:
            if wanted["category"]:
                self.ensure_category(wanted["category"])
            self.actions.append("added" + (" (stopped)" if not wanted["started"] else ""))
            if not self.check_mode:
                torrent = self.add(wanted)
                torrent = self.update(torrent, self.describe(torrent), wanted, after_add=True)
        elif wanted["save_path"] is not None and before["save_path"] != wanted["save_path"]:
            self.actions.append("save path %s -> %s: removed from the session (data kept) and added again at the new "
                                "path (qBittorrent would move the files)" % (before["save_path"], wanted["save_path"]))
            if wanted["category"]:
                self.ensure_category(wanted["category"])
            if not self.check_mode:
                data = self.data if self.data is not None else self.export(torrent["hash"])
                self.remove(torrent["hash"])
                # wanted[] holds the session's trackers, web seeds, category and tags where the options leave them
                # unset: update() puts them back on the new copy
                torrent = self.add(wanted, data)
                torrent = self.update(torrent, self.describe(torrent), wanted, after_add=True)
        else:
            torrent = self.update(torrent, before, wanted)

        changed = bool(self.actions)
        if self.check_mode or not changed:
            after = dict(wanted)
            final = torrent
        else:
            final = self.settle(torrent["hash"], wanted["started"])
            after = self.describe(final)
        result = dict(changed=changed, **self.identity(final))
        result.update(
            state=final["state"] if final else "absent",
            progress=final.get("progress") if final else None,
            save_path=after.get("save_path"),
            category=after.get("category"),
            tags=after.get("tags"),
            started=after.get("started"),
            trackers=after.get("trackers"),
            url_seeds=after.get("url_seeds"),
            superseded=[t["hash"] for t in superseded],
        )
        if final is not None and final.get("state") in PROBLEM_STATES:
            self.warnings.append("qBittorrent reports state %r for %s: check that its data is in %s"
                                 % (final["state"], final.get("name"), final.get("save_path")))
        diff_before = dict(before)
        diff_after = dict(after)
        if params["supersede"]:
            diff_before["same_content_torrents"] = [t["hash"] for t in superseded]
            diff_after["same_content_torrents"] = []
        result["diff"] = dict(before=diff_before, after=diff_after)
        return result

    def find_superseded(self, torrent, wanted):
        """Other torrents with the same name in the same save path: older builds of the same content."""
        name = wanted.get("name")
        save_path = wanted.get("save_path")
        if save_path is None:
            save_path = normalize_path(self.api.app_default_save_path())
        own = set(self.candidate_ids())
        if torrent is not None:
            own.add(torrent["hash"])
        return [other for other in self.api.torrents_info()
                if other.get("name") == name and normalize_path(other.get("save_path")) == save_path
                and other["hash"] not in own]

    def export(self, torrent_id):
        if self.client.webapi < EXPORT_WEBAPI:
            raise SessionError("moving torrent %s to another save_path needs its .torrent: give torrent_file "
                               "(qBittorrent %s cannot export it)" % (torrent_id, self.client.qbittorrent_version))
        return self.api.torrents_export(torrent_hash=torrent_id)

    def add(self, wanted, data=None):
        """torrents/add, then wait until the torrent is in the session (adding is asynchronous)."""
        params = self.params
        kwargs = dict(
            torrent_files={"%s.torrent" % (wanted.get("name") or "torrent"): data if data is not None else self.data},
            is_skip_checking=params["skip_checking"],
            is_stopped=not wanted["started"],
            content_layout="Original",  # the content is laid out as in the .torrent, whatever the server's default
        )
        if wanted["save_path"] is not None:
            kwargs["save_path"] = wanted["save_path"]
            kwargs["use_auto_torrent_management"] = False
        if wanted["category"]:
            kwargs["category"] = wanted["category"]
        if wanted["tags"]:
            kwargs["tags"] = wanted["tags"]
        answer = None
        try:
            answer = self.api.torrents_add(**kwargs)
        except Conflict409Error:  # 5.3: already in the session (added meanwhile by someone else)
            answer = "409 Conflict"
        torrent = wait_for(self.find, self.params["timeout"])
        if torrent is None:
            raise SessionError("qBittorrent did not show torrent %s in its session within %s s after adding it "
                               "(it answered %r); see its log (Execution Log in the Web UI)"
                               % (self.candidate_ids()[0], self.params["timeout"], str(answer)))
        return torrent

    def ensure_category(self, category):
        if category in self.api.torrents_categories():
            return
        self.actions.append("created category %s" % category)
        if self.check_mode:
            return
        try:
            self.api.torrents_create_category(name=category)
        except Conflict409Error as exc:
            if category not in self.api.torrents_categories():  # not a race with another run: a bad name
                raise SessionError("category: qBittorrent refused to create category %r: %s" % (category, exc))

    def update(self, torrent, current, wanted, after_add=False):
        """Change what differs, one request per kind of change. Returns the torrents/info entry."""
        api = self.api
        torrent_id = torrent["hash"]
        note = (lambda text: None) if after_add else self.actions.append
        check = self.check_mode and not after_add

        if wanted["save_path"] is not None and current.get("auto_managed"):
            note("automatic torrent management turned off (it would move the files)")
            if not check:
                api.torrents_set_auto_management(enable=False, torrent_hashes=torrent_id)
        if wanted["category"] != current["category"]:
            if wanted["category"]:
                self.ensure_category(wanted["category"])
            note("category %r -> %r" % (current["category"], wanted["category"]))
            if not check:
                api.torrents_set_category(category=wanted["category"], torrent_hashes=torrent_id)
        stale = sorted(set(current["tags"]) - set(wanted["tags"]))
        missing = sorted(set(wanted["tags"]) - set(current["tags"]))
        if stale:
            note("tags removed: %s" % ", ".join(stale))
            if not check:
                api.torrents_remove_tags(tags=stale, torrent_hashes=torrent_id)
        if missing:
            note("tags added: %s" % ", ".join(missing))
            if not check:
                api.torrents_add_tags(tags=missing, torrent_hashes=torrent_id)
        if self.wanted_tiers is not None or after_add:
            entries = api.torrents_trackers(torrent_hash=torrent_id)
            remove, add = plan_trackers(entries, wanted["trackers"])
            if remove or add:
                note("trackers %s -> %s" % (session_tiers(entries), tiers_key(wanted["trackers"])))
                if not check:
                    if remove:
                        api.torrents_remove_trackers(torrent_hash=torrent_id,
                                                     urls=encode_tracker_removal(remove, self.client.version))
                    if add:
                        api.torrents_add_trackers(torrent_hash=torrent_id, urls=add)
        if "url_seeds" in wanted and (self.params["url_seeds"] is not None or after_add) and self.webseeds_supported():
            seeds = [requote(entry["url"]) for entry in api.torrents_webseeds(torrent_hash=torrent_id)]
            remove, add = plan_url_seeds(seeds, wanted["url_seeds"])
            if remove or add:
                note("web seeds %s -> %s" % (sorted(seeds), wanted["url_seeds"]))
                if not check:
                    if remove:
                        api.torrents_remove_webseeds(torrent_hash=torrent_id, urls=encode_urls(remove))
                    if add:
                        api.torrents_add_webseeds(torrent_hash=torrent_id, urls=encode_urls(add))
        if wanted["started"] != current["started"]:
            note("started" if wanted["started"] else "stopped")
            if not check:
                if wanted["started"]:
                    api.torrents_start(torrent_hashes=torrent_id)
                else:
                    api.torrents_stop(torrent_hashes=torrent_id)
        return torrent

    def settle(self, torrent_id, started):
        """The torrents/info entry once a start or stop shows (a second or so on 5.1) and the torrent is past the
        short states right after adding; whatever is there after a few seconds otherwise."""
        def shows():
            torrent = self.refresh(torrent_id)
            if torrent is not None and is_stopped(torrent.get("state")) != started \
                    and torrent.get("state") not in TRANSIENT_STATES:
                return torrent
            return None
        torrent = wait_for(shows, min(10.0, self.params["timeout"]))
        return torrent or self.refresh(torrent_id)
