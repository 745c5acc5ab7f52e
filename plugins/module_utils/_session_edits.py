# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading and editing a torrent in qBittorrent's session: its ids, its trackers and web seeds, whether it seeds.

Used by every backend that touches the session (qbt_torrent's, qbt_torrent_create's follow-up of a seeding copy,
the many-release backend), so each rule exists once.

What the server does (seen live on qBittorrent 4.5.2, 5.1.0 and 5.3.0):

- A torrent's id in the session (``hash``) is its v1 info hash for a v1 torrent, but the v2 info hash cut to 40
  digits for a v2 *or hybrid* torrent (libtorrent 2 builds; libtorrent 1.2 builds use a hybrid's v1 hash).
- addTrackers only adds URLs it does not have and keeps a URL's tier: a tracker in the wrong tier is removed and
  added again. Edits are applied asynchronously (5.1): ``apply_trackers`` / ``apply_url_seeds`` wait until the
  session shows them.
- States: ``uploading``/``stalledUP``/``queuedUP``/``forcedUP`` seed; ``checking*`` and ``queuedForChecking`` are
  on the way; ``error`` and ``missingFiles`` need a person; 5.x says ``stopped*`` where 4.x said ``paused*``.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import time
import typing as t
from urllib.parse import unquote

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._urls import (
    encode_pieces,
    requote,
    tiers_key,
    tracker_removal,
    url_key,
)

STICKY_TRACKER = "** ["  # the DHT, PeX and LSD pseudo-trackers that torrents/trackers lists first
SEEDING_STATES = ("uploading", "stalledUP", "queuedUP", "forcedUP")
CHECKING_STATES = ("checkingUP", "checkingDL", "checkingResumeData", "queuedForChecking", "allocating", "moving",
                   "metaDL", "forcedMetaDL", "unknown")
PROBLEM_STATES = ("error", "missingFiles")
SETTLE_SECONDS = 5.0


class TrackerPlan(t.NamedTuple):
    """What to send so the session's trackers become the wanted tiers: URLs to remove, addTrackers text (or None)."""

    remove: list[str]
    add: str | None

    @property
    def empty(self):
        return not self.remove and self.add is None


class SeedPlan(t.NamedTuple):
    """Web seeds to remove (as the server spells them) and to add (as given)."""

    remove: list[str]
    add: list[str]

    @property
    def empty(self):
        return not self.remove and not self.add


class Change(t.NamedTuple):
    """One edit of the session: what it was, what it becomes, and whether the session shows it (None: not applied,
    check mode)."""

    before: t.Any
    after: t.Any
    settled: bool | None


def session_ids(info_hash_v1, info_hash_v2):
    """The ids a torrent can have in a session: truncated v2 (libtorrent 2 builds) first, then v1."""
    ids = []
    if info_hash_v2:
        ids.append(info_hash_v2[:40])
    if info_hash_v1:
        ids.append(info_hash_v1)
    return ids


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


def is_stopped(state):
    """qBittorrent 5 says stoppedUP/stoppedDL, 4.x pausedUP/pausedDL."""
    return str(state or "").startswith(("stopped", "paused"))


def is_seeding(torrent):
    """Complete and seeding (or queued to seed): what ``seeding: true`` means in every result."""
    return bool(torrent) and torrent.get("state") in SEEDING_STATES and float(torrent.get("progress") or 0) >= 1.0


def seeding_problem(torrent):
    """Why a torrent that should seed does not, in words with what to do; None when it seeds or is on the way."""
    if torrent is None:
        return "it is not in qBittorrent's session"
    state = torrent.get("state")
    where = torrent.get("save_path") or torrent.get("content_path") or "its save path"
    if state == "missingFiles":
        return ("qBittorrent reports state missingFiles: its data is not at %s on the qBittorrent host; put the data "
                "there (or fix source_path / save_path) and run again" % where)
    if state == "error":
        return ("qBittorrent reports state error for it (see the Execution Log in the Web UI; often the data at %s "
                "cannot be read)" % where)
    if state in CHECKING_STATES:
        return None
    progress = float(torrent.get("progress") or 0)
    if progress < 1.0 and not is_stopped(state):
        return ("qBittorrent's check found %.1f%% of its data at %s (state %s): the data there is not the data the "
                ".torrent was made from; fix the data, then run again" % (progress * 100, where, state))
    if progress < 1.0:
        return ("it is stopped with %.1f%% of its data at %s: the data there does not match the .torrent"
                % (progress * 100, where))
    return None


def wait_until_checked(api, torrent_id, timeout):
    """The torrents/info entry once qBittorrent is past checking/allocating (or timeout passes); None if gone."""
    def done():
        found = api.torrents_info(torrent_hashes=torrent_id)
        if not found:
            return {"gone": True}
        if found[0].get("state") in CHECKING_STATES:
            return None
        return found[0]
    torrent = wait_for(done, timeout, first=0.05, longest=1.0)
    if torrent is None:
        found = api.torrents_info(torrent_hashes=torrent_id)
        return found[0] if found else None
    return None if torrent.get("gone") else torrent


# ------------------------------------------------------------------------------------------------- trackers
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


def plan_trackers(entries, wanted):
    """TrackerPlan making the session's trackers (torrents/trackers entries) the ``wanted`` tiers."""
    current = session_tiers(entries)
    if tiers_key(current) == tiers_key(wanted):
        return TrackerPlan([], None)
    current_urls = set(url for tier in current for url in tier)
    absolute = {}  # absolute tier numbers as the server has them
    for entry in entries:
        url = entry.get("url") or ""
        if url in current_urls and isinstance(entry.get("tier"), int):
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
    return TrackerPlan(remove, "\n".join(lines) if add else None)


def apply_trackers(client, torrent_id, wanted, check_mode=False, settle=SETTLE_SECONDS):
    """Make the torrent's trackers the ``wanted`` tiers; None when they already are, else a Change."""
    api = client.api
    entries = api.torrents_trackers(torrent_hash=torrent_id)
    plan = plan_trackers(entries, wanted)
    if plan.empty:
        return None
    change = Change(session_tiers(entries), tiers_key(wanted), None)
    if check_mode:
        return change
    if plan.remove:
        api.torrents_remove_trackers(torrent_hash=torrent_id, urls=tracker_removal(plan.remove, client))
    if plan.add:
        api.torrents_add_trackers(torrent_hash=torrent_id, urls=plan.add)
    settled = wait_for(lambda: plan_trackers(api.torrents_trackers(torrent_hash=torrent_id), wanted).empty, settle)
    return change._replace(settled=bool(settled))


# ------------------------------------------------------------------------------------------------- web seeds
def session_url_seeds(api, torrent_id):
    """The torrent's web seeds in the form they were given (sorted)."""
    return sorted(requote(entry["url"]) for entry in api.torrents_webseeds(torrent_hash=torrent_id))


MAGNET_KEYS = ("xt", "dn", "xl", "tr", "ws", "x.pe", "kt", "mt", "so", "as", "xs", "ko")


def magnet_url_seeds(magnet):
    """The web seeds (``ws=``) of the ``magnet_uri`` torrents/info gives for a torrent, in the form
    ``session_url_seeds`` returns; None when they cannot be read from it for sure.

    qBittorrent builds that link from the torrent's current web seeds (edits included): 4.5 and 5.3 percent-encode
    each one, 5.1 writes it as QUrl::toEncoded(), where a ``&`` of the URL stays as it is. A piece of the link that
    is not ``key=value`` with a known key means such a ``&``: None, and the caller asks torrents/webseeds."""
    if not isinstance(magnet, str) or not magnet.startswith("magnet:?"):
        return None
    seeds = []
    for piece in magnet[len("magnet:?"):].split("&"):
        key, sep, value = piece.partition("=")
        if not sep or key not in MAGNET_KEYS:
            return None
        if key == "ws":
            seeds.append(requote(unquote(value)))
    return sorted(seeds)


def plan_url_seeds(current, wanted):
    current_keys = {url_key(url): url for url in current}
    wanted_keys = {url_key(url): url for url in wanted}
    return SeedPlan([url for key, url in current_keys.items() if key not in wanted_keys],
                    [url for key, url in wanted_keys.items() if key not in current_keys])


def apply_url_seeds(client, torrent_id, wanted, check_mode=False, settle=SETTLE_SECONDS):
    """Make the torrent's web seeds ``wanted`` (needs client.has_webseeds); None when they already are."""
    api = client.api
    current = session_url_seeds(api, torrent_id)
    plan = plan_url_seeds(current, wanted)
    if plan.empty:
        return None
    change = Change(current, sorted(wanted), None)
    if check_mode:
        return change
    if plan.remove:
        api.torrents_remove_webseeds(torrent_hash=torrent_id, urls=encode_pieces(plan.remove))
    if plan.add:
        api.torrents_add_webseeds(torrent_hash=torrent_id, urls=encode_pieces(plan.add))
    settled = wait_for(lambda: plan_url_seeds(session_url_seeds(api, torrent_id), wanted).empty, settle)
    return change._replace(settled=bool(settled))
