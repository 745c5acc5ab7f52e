# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The backend that drives one torrent in qBittorrent's session (qbt_torrent): found by info hash, made to match
the options. It takes ``SessionOptions`` and a connected ``QbtClient``, returns the result, raises ``QbtError``.

What the server does that this code works around (seen live on qBittorrent 5.1.0 and 5.3.0):

- A torrent's id in the session (``hash`` in torrents/info, the ``hash``/``hashes`` parameters everywhere) is its v1
  info hash for a v1 torrent, but the v2 info hash cut to 40 digits for a v2 *or hybrid* torrent. Neither the full
  v2 hash nor a hybrid torrent's v1 hash finds it. Servers built with libtorrent 1.2 use the v1 hash of a hybrid.
- torrents/add answers before the torrent is in the session: poll until it shows up. A torrent that is already there
  makes 5.1 answer ``Fails.`` and 5.3 answer 409.
- Trackers and web seeds are edited with ``_session_edits`` (tiers, per-version encoding from ``_urls``, and the
  wait for 5.1, which applies edits asynchronously).
- torrents/setLocation and setSavePath *move the files*. A release's data stays where it is: a torrent whose save
  path must change is removed from the session (never its files) and added again at the new path.
- Setting a category that does not exist answers 409: it is created first.
- Start and stop show in torrents/info with a delay (about a second on 5.1): the module waits for them to show.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import typing as t

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import QbtError, SessionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._formats import session_name
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_edits import (
    CHECKING_STATES,
    apply_trackers,
    apply_url_seeds,
    is_seeding,
    is_stopped,
    magnet_url_seeds,
    seeding_problem,
    session_tiers,
    session_url_seeds,
    wait_for,
    wait_until_checked,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_options import normalize_path, parse_tags

try:
    from qbittorrentapi import Conflict409Error
except ImportError:  # QbtClient reports the missing library
    class Conflict409Error(Exception):
        pass

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_options import SessionOptions


def list_session(client: QbtClient) -> list[dict]:
    """Every torrent in the session (one torrents/info), with its trackers where the server lists them (5.1+:
    ``includeTrackers``), as ``describe(torrent, listed=True)`` reads them; SessionError when it cannot be read."""
    try:
        if client.lists_trackers:
            return client.api.torrents_info(include_trackers=True)
        return client.api.torrents_info()
    except Exception as exc:  # pylint: disable=broad-except
        raise SessionError("cannot read qBittorrent's session: %s" % client.describe(exc))


def torrents_by_place(listing: list[dict]) -> dict[tuple[str | None, str | None], list[dict]]:
    """A listing's torrents by (name, save path): where ``find_superseded`` looks, indexed once for many torrents."""
    places = {}
    for torrent in listing:
        places.setdefault((torrent.get("name"), normalize_path(torrent.get("save_path"))), []).append(torrent)
    return places


def remove_torrent(api: t.Any, torrent_id: str, timeout: float) -> None:
    """Remove from the session, never the files, and wait until it is gone (SessionError when it stays)."""
    api.torrents_delete(delete_files=False, torrent_hashes=torrent_id)
    if not wait_for(lambda: not api.torrents_info(torrent_hashes=torrent_id), timeout):
        raise SessionError("qBittorrent did not remove torrent %s from its session within %s s" % (torrent_id, timeout))


class Categories:
    """The session's categories, read on first use (one torrents/categories) and then kept: shared by the backends of
    one module run, so that many releases read them once, and a category made (or, in check mode, to be made) for one
    is not reported again for the next."""

    def __init__(self, client: QbtClient | None) -> None:
        self.client = client
        self.names: set[str] | None = None

    def __contains__(self, name: str) -> bool:
        if self.names is None:
            self.names = set(self.client.api.torrents_categories())
        return name in self.names

    def add(self, name: str) -> None:
        if name not in self:
            self.names.add(name)


class TorrentSessionBackend:
    """Make one torrent in the session match ``SessionOptions`` (qbt_torrent)."""

    def __init__(self, options: SessionOptions, client: QbtClient, check_mode: bool = False,
                 categories: Categories | None = None) -> None:
        self.options = options
        self.params = options.params
        self.meta = options.meta
        self.data = options.data  # the .torrent's bytes (torrent_file), None when only info_hash is given
        self.info_hash = options.info_hash
        self.wanted_tiers = options.wanted_tiers
        self.client = client
        self.api = client.api
        self.check_mode = check_mode
        self.categories = categories if categories is not None else Categories(client)
        self.actions = []
        self.warnings = list(options.warnings)
        self.added = None  # the id of the torrent this run added to the session, if any

    def run(self) -> dict:
        """Converge; returns the result (with ``diff``), raises QbtError with the actions done so far."""
        try:
            result = self.absent() if self.params["state"] == "absent" else self.present()
        except QbtError as exc:
            facts = dict(exc.result)
            facts.update(actions=self.actions, **self.client.server_facts())
            raise type(exc)(exc.msg, **facts)
        except Exception as exc:  # pylint: disable=broad-except
            raise SessionError(self.client.describe(exc), actions=self.actions, **self.client.server_facts())
        result.update(self.client.server_facts())
        result["actions"] = self.actions
        return result

    # ---- reading the session -----------------------------------------------------------------------------------
    def candidate_ids(self) -> list[str]:
        return self.options.candidate_ids()

    def find(self) -> dict | None:
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

    def refresh(self, torrent_id: str) -> dict | None:
        found = self.api.torrents_info(torrent_hashes=torrent_id)
        return found[0] if found else None

    def webseeds_supported(self) -> bool:
        return self.client.has_webseeds

    def describe(self, torrent: dict | None, listed: bool = False) -> dict:
        """The torrent's session state as the module manages it (the diff's before/after).

        ``listed``: ``torrent`` comes from a torrents/info listing read for this comparison (qbt_releases' no-op):
        its trackers (``includeTrackers``, 5.1+) and the web seeds of its magnet link are used, where they are, instead
        of one torrents/trackers and one torrents/webseeds request. Only to find that nothing differs: edits read the
        session again (``apply_trackers``, ``apply_url_seeds``)."""
        if torrent is None:
            return dict(present=False)
        torrent_id = torrent["hash"]
        listed_trackers = torrent.get("trackers") if listed else None
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
            trackers=session_tiers(listed_trackers if isinstance(listed_trackers, list)
                                   else self.api.torrents_trackers(torrent_hash=torrent_id)),
        )
        if self.webseeds_supported():
            seeds = magnet_url_seeds(torrent.get("magnet_uri")) if listed else None
            state["url_seeds"] = seeds if seeds is not None else session_url_seeds(self.api, torrent_id)
        return state

    # ---- state=absent ------------------------------------------------------------------------------------------
    def absent(self) -> dict:
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

    def remove(self, torrent_id: str) -> None:
        """Remove from the session, never the files, and wait until it is gone."""
        remove_torrent(self.api, torrent_id, self.params["timeout"])

    def identity(self, torrent: dict | None) -> dict:
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
    def wanted(self, current: dict) -> dict:
        """The state to reach: the options, and for what they leave unset, what is there (or qBittorrent's choice)."""
        params = self.params
        base = dict(current) if current.get("present") else dict(
            present=True, name=session_name(self.meta) if self.meta else None,
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

    def present(self) -> dict:
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
        superseded = self.find_superseded(torrent, wanted["name"], wanted["save_path"]) if params["supersede"] else []

        if superseded:
            self.remove_superseded(superseded, self.actions)

        if torrent is None:
            if wanted["category"]:
                self.ensure_category(wanted["category"])
            self.actions.append("added" + (" (stopped)" if not wanted["started"] else ""))
            if not self.check_mode:
                torrent = self.add(wanted)
                self.update(torrent, self.describe(torrent), wanted, check_mode=False)
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
                self.update(torrent, self.describe(torrent), wanted, check_mode=False)
        else:
            self.actions.extend(self.update(torrent, before, wanted, check_mode=self.check_mode))

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
            superseded=[other["hash"] for other in superseded],
        )
        result["seeding"] = is_seeding(final)
        if final is not None and not self.check_mode and params["started"] and not result["seeding"]:
            problem = seeding_problem(final)
            if problem is None and final.get("state") in CHECKING_STATES:
                problem = ("qBittorrent was still checking its data after timeout=%s s (state %s, %.1f%%); raise "
                           "timeout" % (params["timeout"], final.get("state"), float(final.get("progress") or 0) * 100))
            if problem:
                raise SessionError("torrent %s (%s) does not seed: %s" % (final.get("name"), final["hash"], problem),
                                   changed=changed, state=final.get("state"), progress=final.get("progress"),
                                   seeding=False, **self.identity(final))
        diff_before = dict(before)
        diff_after = dict(after)
        if params["supersede"]:
            diff_before["same_content_torrents"] = [other["hash"] for other in superseded]
            diff_after["same_content_torrents"] = []
        result["diff"] = dict(before=diff_before, after=diff_after)
        return result

    def find_superseded(self, torrent: dict | None, name: str | None, save_path: str | None,
                        places: dict | None = None) -> list[dict]:
        """Other torrents with the same name in the same save path (the server's default one when None): older
        builds of the same content. ``places``: ``torrents_by_place()`` of a listing already read (qbt_releases,
        for many torrents), else the session is listed."""
        if save_path is None:
            save_path = self.api.app_default_save_path()
        own = set(self.candidate_ids())
        if torrent is not None:
            own.add(torrent["hash"])
        if places is None:
            places = torrents_by_place(self.api.torrents_info())
        return [other for other in places.get((name, normalize_path(save_path)), ()) if other["hash"] not in own]

    def remove_superseded(self, superseded: list[dict], actions: list[str]) -> None:
        """Older builds of the same content out of the session (data kept; not in check mode), said in ``actions``."""
        actions.append("removed %d other torrent(s) with the same content from the session (data kept): %s"
                       % (len(superseded), ", ".join(other["hash"] for other in superseded)))
        if not self.check_mode:
            for other in superseded:
                self.remove(other["hash"])

    def export(self, torrent_id: str) -> bytes:
        if not self.client.can_export:
            raise SessionError("moving torrent %s to another save_path needs its .torrent: give torrent_file "
                               "(qBittorrent %s cannot export it)" % (torrent_id, self.client.qbittorrent_version))
        return self.api.torrents_export(torrent_hash=torrent_id)

    def add_kwargs(self, wanted: dict) -> dict:
        """torrents/add's options for ``wanted`` (the torrent files are added by the caller; several torrents with
        the same options can go in one request)."""
        params = self.params
        kwargs = dict(
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
        return kwargs

    def add(self, wanted: dict, data: bytes | None = None) -> dict:
        """torrents/add, then wait until the torrent is in the session (adding is asynchronous)."""
        kwargs = self.add_kwargs(wanted)
        kwargs["torrent_files"] = {"%s.torrent" % (wanted.get("name") or "torrent"): data if data is not None
                                   else self.options.data}
        answer = None
        try:
            answer = self.api.torrents_add(**kwargs)
        except Conflict409Error as exc:  # 5.3: already in the session (added meanwhile by someone else)
            answer = exc
        torrent = wait_for(self.find, self.params["timeout"])
        if torrent is None:
            raise SessionError("qBittorrent did not show torrent %s in its session within %s s after adding it "
                               "(it answered %r); see its log (Execution Log in the Web UI)"
                               % (self.candidate_ids()[0], self.params["timeout"], str(answer)))
        self.added = torrent["hash"]
        return torrent

    def ensure_category(self, category: str) -> bool:
        """Create the category unless the session has it (in check mode only say so); whether it was made."""
        if category in self.categories:
            return False
        self.actions.append("created category %s" % category)
        if not self.check_mode:
            try:
                self.api.torrents_create_category(name=category)
            except Conflict409Error as exc:
                if category not in self.api.torrents_categories():  # not a race with another run: a bad name
                    raise SessionError("category: qBittorrent refused to create category %r: %s" % (category, exc))
        self.categories.add(category)  # only once it exists (or would, in check mode): a refused one is tried again
        return True

    def update(self, torrent: dict, current: dict, wanted: dict, check_mode: bool) -> list[str]:
        """Change what differs from ``current``, one request per kind of change; returns what changed, in words.

        Trackers and web seeds are made exactly ``wanted`` (which holds the session's own where the options leave
        them unset, so nothing moves then; right after an add it drops trackers the server added by default)."""
        api = self.api
        torrent_id = torrent["hash"]
        done = []
        if wanted["save_path"] is not None and current.get("auto_managed"):
            done.append("automatic torrent management turned off (it would move the files)")
            if not check_mode:
                api.torrents_set_auto_management(enable=False, torrent_hashes=torrent_id)
        if wanted["category"] != current["category"]:
            if wanted["category"]:
                self.ensure_category(wanted["category"])
            done.append("category %r -> %r" % (current["category"], wanted["category"]))
            if not check_mode:
                api.torrents_set_category(category=wanted["category"], torrent_hashes=torrent_id)
        stale = sorted(set(current["tags"]) - set(wanted["tags"]))
        missing = sorted(set(wanted["tags"]) - set(current["tags"]))
        if stale:
            done.append("tags removed: %s" % ", ".join(stale))
            if not check_mode:
                api.torrents_remove_tags(tags=stale, torrent_hashes=torrent_id)
        if missing:
            done.append("tags added: %s" % ", ".join(missing))
            if not check_mode:
                api.torrents_add_tags(tags=missing, torrent_hashes=torrent_id)
        change = apply_trackers(self.client, torrent_id, wanted["trackers"], check_mode=check_mode)
        if change is not None:
            done.append("trackers %s -> %s" % (change.before, change.after))
            if change.settled is False:
                self.warnings.append("qBittorrent did not show every tracker change within a few seconds")
        if "url_seeds" in wanted and self.webseeds_supported():
            change = apply_url_seeds(self.client, torrent_id, wanted["url_seeds"], check_mode=check_mode)
            if change is not None:
                done.append("web seeds %s -> %s" % (change.before, change.after))
                if change.settled is False:
                    self.warnings.append("qBittorrent did not show every web seed change within a few seconds")
        if wanted["started"] != current["started"]:
            done.append("started" if wanted["started"] else "stopped")
            if not check_mode:
                if wanted["started"]:
                    api.torrents_start(torrent_hashes=torrent_id)
                else:
                    api.torrents_stop(torrent_hashes=torrent_id)
        return done

    def settle(self, torrent_id: str, started: bool) -> dict | None:
        """The torrents/info entry once a start or stop shows (a second or so on 5.1) and the torrent is past
        checking (qBittorrent's own check of the data when skip_checking=false), within the timeout option."""
        def shows():
            torrent = self.refresh(torrent_id)
            if torrent is not None and is_stopped(torrent.get("state")) != started \
                    and torrent.get("state") not in CHECKING_STATES:
                return torrent
            return None
        torrent = wait_for(shows, min(10.0, self.params["timeout"]))
        if torrent is None:
            torrent = wait_until_checked(self.api, torrent_id, self.params["timeout"])
        return torrent
