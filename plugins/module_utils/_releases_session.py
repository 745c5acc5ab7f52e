# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The session half of qbt_releases' backend: each release's torrent in qBittorrent's session.

``ReleasesBackend`` (``_releases_backend.py``) decides and writes the .torrent files; once they are final it hands
the releases to ``ReleaseSeeding``:

* ``seed``: every release with ``seed=true`` is compared with the session through a ``TorrentSessionBackend``
  (``describe``/``wanted``), repaired with its ``run`` when it differs, or added; older builds of the same release
  (same name, same save path) are found by the session backend's own rule (``find_superseded``) on one index of the
  listing; torrents that are missing are added in a few ``torrents/add`` requests (one per set of add options) and
  waited for together; a release received from a builder has its copy of the data checked first (``check_copy``);
* ``unseed``: ``seed=false``, out of the session (data kept);
* ``withdraw``: ``state=absent``, out of the session (data kept); the backend then removes the .torrent.

The session is read once (``list_session``: one ``torrents/info`` listing, with every torrent's trackers on 5.1+);
a release that matches costs no request of its own there (on older servers, one for its trackers). A release that
fails is recorded with its message (``Release.fail``) and the others go on.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import os
import typing as t

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import Interrupted, QbtError, SessionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._formats import seed_save_path, session_name
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._piece_check import check_copy
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._release_name import release_dest
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_backend import (
    Categories,
    TorrentSessionBackend,
    list_session,
    remove_torrent,
    torrents_by_place,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_edits import (
    CHECKING_STATES,
    PROBLEM_STATES,
    apply_trackers,
    is_seeding,
    is_stopped,
    seeding_problem,
    session_ids,
    wait_for,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_options import SessionOptions
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta, TorrentMetaError

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import CreateOptions
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_file_backend import TorrentFileBackend

COMPARED = ("save_path", "category", "tags", "started", "trackers", "url_seeds")
SESSION_TIMEOUT = 30.0  # how long a release built here waits for the session (an add, a removal)


class Release:
    """One release as both halves of the backend see it: its options, its .torrent, its result and failure."""

    def __init__(self, params: dict, index: int, received: bytes | None = None) -> None:
        self.params = params
        self.index = index
        self.name = params["name"]
        self.dest = release_dest(params)
        self.options: CreateOptions | None = None
        self.file: TorrentFileBackend | None = None
        self.meta: TorrentMeta | None = None  # the .torrent received from the builder
        self.data = received  # the .torrent another host built (build once, seed everywhere), bytes
        self.received = received is not None
        self.data_check = None  # a received release's copy: "module" (checked here) or "qbittorrent" (by the server)
        self.error: str | None = None
        self.actions: list[str] = []
        self.result = dict(name=self.name, dest=self.dest, state=params["state"], changed=False, seed=params["seed"],
                           source_path=params.get("source_path"))

    def fail(self, exc: BaseException | str) -> None:
        """Record the first failure (its message) of this release."""
        if self.error is None:
            self.error = exc.msg if isinstance(exc, QbtError) else str(exc)

    @property
    def failed(self) -> bool:
        return self.error is not None

    def guard(self, step: t.Callable[[], object], client: QbtClient | None) -> None:
        """Run ``step``; what goes wrong fails this release (in words, through ``client.describe``), not the run.
        An interruption (SIGTERM, SIGINT) goes on up."""
        try:
            step()
        except QbtError as exc:
            self.fail(exc)
        except (Interrupted, KeyboardInterrupt):
            raise
        except Exception as exc:  # pylint: disable=broad-except
            self.fail(client.describe(exc) if client else exc)

    def source_is_dir(self) -> bool | None:
        """Whether source_path is a directory, as far as this host can tell (None: it cannot see the source)."""
        tree = self.file.decision.tree if self.file is not None and self.file.decision is not None else None
        if tree is not None:
            return not tree.single_file
        if self.options is None or not self.options.source_path:
            return None
        mapped = self.options.path_map.lookup(self.options.source_path)
        path = mapped.path if mapped else self.options.source_path
        return os.path.isdir(path) if os.path.exists(path) else None

    def final_meta(self, check_mode: bool) -> TorrentMeta | None:
        """The release's .torrent once the file half is done (None: none, or only built outside check mode)."""
        if self.received:
            return self.meta
        if self.file is None:
            return None
        if self.file.decision.action == "keep":
            return self.file.decision.existing
        if check_mode and self.file.decision.action == "create":
            return None
        try:
            return TorrentMeta.from_file(self.dest)
        except (TorrentMetaError, OSError):
            return None


class ReleaseSeeding:
    """The releases' torrents in one qBittorrent's session: seeded, unseeded or withdrawn (see the file's doc).
    ``warnings`` is the run's list of warnings (the session backends' are added to it)."""

    def __init__(self, client: QbtClient, check_mode: bool = False, warnings: list[str] | None = None) -> None:
        self.client = client
        self.check_mode = check_mode
        self.warnings = warnings if warnings is not None else []
        self.session: list[dict] | None = None
        self.session_by_id: dict[str, dict] = {}  # the same listing by torrent id
        self.categories = Categories(client)  # read once, shared by every release's session backend

    # ---- reading the session -----------------------------------------------------------------------------------
    def listing(self) -> list[dict]:
        """The session, read once per run (with every torrent's trackers where the server can: converge's no-op);
        SessionError when it cannot be read."""
        if self.session is None:
            self.session = list_session(self.client)
            self.session_by_id = {torrent["hash"]: torrent for torrent in self.session}
        return self.session

    def read_session(self, releases: list[Release]) -> list[dict] | None:
        """The listing, or None when it cannot be read: then each of ``releases`` fails, saying so."""
        try:
            return self.listing()
        except SessionError as exc:
            for release in releases:
                release.fail(exc)
            return None

    def session_backend(self, release: Release, meta: TorrentMeta) -> TorrentSessionBackend:
        """qbt_torrent's backend for the release's torrent, with the options the release implies."""
        params = dict(
            state="present", torrent_file=release.dest, info_hash=None,
            save_path=seed_save_path(release.options.source_path, meta, release.source_is_dir()),
            category=release.params.get("category"), tags=release.params.get("tags"), started=True,
            trackers=[list(tier) for tier in meta.trackers],
            url_seeds=list(meta.url_seeds) if self.client.has_webseeds else None,
            skip_checking=not release.received or release.data_check == "module", supersede=True,
            timeout=(max(SESSION_TIMEOUT, float(release.params["timeout"] or 0)) if release.received
                     else SESSION_TIMEOUT),
        )
        options = SessionOptions(params)
        options.meta, options.data = meta, meta.data
        options.wanted_tiers = params["trackers"]
        return TorrentSessionBackend(options, self.client, check_mode=self.check_mode, categories=self.categories)

    # ---- seed=true ---------------------------------------------------------------------------------------------
    def seed(self, releases: list[Release]) -> None:
        """Each release's torrent seeding as its options say: left alone, repaired, replacing an older build, or
        added (all the missing ones together)."""
        if not releases:
            return
        listing = self.read_session(releases)
        if listing is None:
            return
        by_id = self.session_by_id
        places = torrents_by_place(listing)
        to_add = []
        for release in releases:
            meta = release.final_meta(self.check_mode)
            if meta is None:
                release.actions.append("would be seeded once built")
                continue
            ids = session_ids(meta.info_hash_v1, meta.info_hash_v2)
            entry = next((by_id[i] for i in ids if i in by_id), None)
            if release.received and entry is None:
                release.guard(lambda r=release, m=meta: self.check_copy(r, m), self.client)
                if release.failed:
                    continue
            backend = self.session_backend(release, meta)
            superseded = backend.find_superseded(entry, session_name(meta), backend.params["save_path"], places)
            if entry is None and release.received and superseded:
                # an older build of the same content: out of the session first, then added as below (checked)
                release.guard(lambda r=release, b=backend, s=superseded: self.remove_superseded(r, b, s), self.client)
                if release.failed:
                    continue
                superseded = []
            if entry is None and not superseded:
                to_add.append((release, backend, meta))
                continue
            release.guard(lambda r=release, b=backend, e=entry, s=superseded: self.converge(r, b, e, s), self.client)
        self.add_new(to_add)

    def check_copy(self, release: Release, meta: TorrentMeta) -> None:
        """A received release about to be added: check this host's copy of the data against the .torrent here when
        this host sees it (``source_check`` and ``path_map``, as for building), else leave it to qBittorrent's check
        (``data_check``). Raises QbtError when the copy is missing, incomplete or different: nothing is added."""
        options = release.options
        mode = release.params["source_check"]
        release.result["data_check"] = release.data_check = "qbittorrent"
        if mode == "never":
            return
        mapped = options.path_map.lookup(options.source_path)
        local_source = mapped.path if mapped else options.source_path
        if not os.path.exists(local_source):
            if mode == "always":
                release.result.update(seeding=False)
                raise QbtError("source_check=always but this host does not see %s%s; set path_map to where this host "
                               "sees qBittorrent's files, or run the module on the qBittorrent host (delegate_to)"
                               % (local_source, " (%s)" % options.path_map.describe(mapped) if mapped else ""))
            return  # qBittorrent checks it (add_new), and it is only started once complete
        release.result["data_check"] = release.data_check = "module"
        save_path = seed_save_path(options.source_path, meta, release.source_is_dir())
        mapped_save = options.path_map.lookup(save_path)
        if mapped_save:
            local_save = mapped_save.path
        elif save_path == (options.source_path.rstrip("/") or "/"):  # a v2 torrent of a one-file directory
            local_save = local_source
        else:  # path_map maps the source itself (or nothing): its parent here
            local_save = os.path.dirname(local_source.rstrip("/")) or "/"
        problem = check_copy(meta, local_save)
        if problem:
            release.result.update(seeding=False)
            raise QbtError("this host's copy of the data does not match the .torrent built by %s: %s; it was not "
                           "added to the session, so that a broken copy is not seeded: fix the data at %s (copy it "
                           "from %s again), then run again"
                           % (release.params.get("built_by") or "the builder", problem, options.source_path,
                              release.params.get("built_by") or "the builder"))

    def remove_superseded(self, release: Release, backend: TorrentSessionBackend, superseded: list[dict]) -> None:
        release.result["changed"] = True
        backend.remove_superseded(superseded, release.actions)

    def converge(self, release: Release, backend: TorrentSessionBackend, entry: dict | None,
                 superseded: list[dict]) -> None:
        """An existing seeding copy: nothing to do when it matches and seeds, else qbt_torrent's own run."""
        if release.received and entry is not None and float(entry.get("progress") or 0) < 1.0 \
                and entry.get("state") not in CHECKING_STATES:
            # never started to fetch the rest from peers: a seeder seeds its own complete copy or nothing
            release.result.update(seeding=False, seeding_state=entry.get("state"))
            raise QbtError("this host's copy of the data does not match the .torrent built by %s: its torrent is in "
                           "qBittorrent's session with %.1f%% of the data (state %s) and was left as it is; "
                           "fix the data at %s, remove the torrent from the session (keeping the data), "
                           "then run again" % (release.params.get("built_by") or "the builder",
                                               float(entry.get("progress") or 0) * 100, entry.get("state"),
                                               release.options.source_path))
        if entry is not None and not superseded:
            before = backend.describe(entry, listed=True)
            wanted = backend.wanted(before)
            if all(before.get(key) == wanted.get(key) for key in COMPARED if key in wanted) and is_seeding(entry):
                release.result.update(seeding=True, seeding_state=entry.get("state"))
                return
        try:
            result = backend.run()
        except QbtError as exc:
            raise QbtError(exc.msg + self.take_back(backend, backend.added), **exc.result)
        finally:
            self.warnings.extend("release %s: %s" % (release.name, w) for w in backend.warnings)
        if result["changed"]:
            release.result["changed"] = True
            release.actions.extend("session: %s" % action for action in result["actions"])
        release.result.update(seeding=result.get("seeding", False), seeding_state=result.get("state"))

    def add_new(self, items: list[tuple[Release, TorrentSessionBackend, TorrentMeta]]) -> None:
        """Add every missing torrent in one torrents/add per set of options, wait for all, then check each."""
        if not items:
            return
        checked_by = {"module": " (its data checked against the .torrent by the module)",
                      "qbittorrent": " (its data checked by qBittorrent)"}

        def added(release: Release) -> None:
            release.result["changed"] = True
            release.actions.append("added to the session" + checked_by.get(release.data_check, ""))

        groups = {}
        try:
            for release, backend, meta in items:
                wanted = backend.wanted(dict(present=False))
                # made (not in check mode) for the first release that needs it, and said there (backend.actions)
                if wanted["category"] and backend.ensure_category(wanted["category"]):
                    release.actions.extend(backend.actions)
                    release.result["changed"] = True
                if self.check_mode:
                    added(release)
                    continue
                kwargs = backend.add_kwargs(wanted)
                if release.data_check == "qbittorrent":
                    # checked by qBittorrent and stopped right after (libtorrent's stop_when_ready): nothing is
                    # fetched from peers before add_new has seen the whole copy there
                    kwargs["stop_condition"] = "FilesChecked"
                key = repr(sorted(kwargs.items()))
                groups.setdefault(key, (kwargs, []))[1].append((release, backend, meta))
            for kwargs, members in groups.values():
                files = {"%s-%d.torrent" % (meta.name, release.index): meta.data for release, backend, meta in members}
                self.client.api.torrents_add(torrent_files=files, **kwargs)
                for release, backend, meta in members:
                    added(release)
        except Exception as exc:  # pylint: disable=broad-except
            for release, backend, meta in items:
                release.fail("could not add the torrent to qBittorrent's session: %s"
                             % (exc.msg if isinstance(exc, QbtError) else self.client.describe(exc)))
            return
        if self.check_mode:
            return
        ids = {session_ids(meta.info_hash_v1, meta.info_hash_v2)[0]: (release, backend, meta)
               for release, backend, meta in items}
        api = self.client.api
        limit = max(backend.params["timeout"] for release, backend, meta in items)

        held = {i for i, (release, backend, meta) in ids.items() if release.data_check == "qbittorrent"}

        def all_settled():
            found = api.torrents_info(torrent_hashes=list(ids))
            if len(found) < len(ids) or any(torrent.get("state") in CHECKING_STATES for torrent in found):
                return None
            if any(torrent["hash"] in held and not is_stopped(torrent.get("state"))
                   and torrent.get("state") not in PROBLEM_STATES for torrent in found):
                return None  # its stop condition has not fired yet
            return found
        found = wait_for(all_settled, limit, first=0.05, longest=0.5) or api.torrents_info(torrent_hashes=list(ids))
        by_id = {torrent["hash"]: torrent for torrent in found}
        complete = [i for i in held if i in by_id and float(by_id[i].get("progress") or 0) >= 1.0
                    and is_stopped(by_id[i].get("state"))]
        if complete:  # qBittorrent found the whole copy: now it may seed
            try:
                api.torrents_start(torrent_hashes=complete)

                def started():
                    now = api.torrents_info(torrent_hashes=complete)
                    return now if all(is_seeding(torrent) for torrent in now) and len(now) == len(complete) else None
                for torrent in wait_for(started, limit, first=0.05, longest=0.5) or \
                        api.torrents_info(torrent_hashes=complete):
                    by_id[torrent["hash"]] = torrent
            except Exception as exc:  # pylint: disable=broad-except
                for torrent_id in complete:
                    release, backend, meta = ids[torrent_id]
                    release.fail("could not start the torrent once qBittorrent had checked its data: %s%s"
                                 % (self.client.describe(exc), self.take_back(backend, torrent_id)))
        extra_trackers = bool((api.app_preferences() or {}).get("add_trackers_enabled"))
        for torrent_id, (release, backend, meta) in ids.items():
            entry = by_id.get(torrent_id)
            if release.failed:
                continue
            release.guard(lambda r=release, b=backend, m=meta, e=entry, i=torrent_id:
                          self.check_added(r, b, m, e, i, extra_trackers), self.client)

    def check_added(self, release: Release, backend: TorrentSessionBackend, meta: TorrentMeta, entry: dict | None,
                    torrent_id: str, extra_trackers: bool) -> None:
        """A torrent this run added: seeding, or the release fails and the torrent is taken out again."""
        if entry is None:
            release.fail("qBittorrent did not show the torrent in its session after adding it; see its Execution Log")
            return
        if extra_trackers:  # the server appends its default trackers to every new torrent: take them off again
            apply_trackers(self.client, torrent_id, [list(tier) for tier in meta.trackers])
        if is_seeding(entry):
            release.result.update(seeding=True, seeding_state=entry.get("state"))
            return
        problem = seeding_problem(entry) or "state %s" % entry.get("state")
        if release.data_check == "qbittorrent" and is_stopped(entry.get("state")):
            problem = ("qBittorrent's check found %.1f%% of the data at %s (nothing was fetched from peers)"
                       % (float(entry.get("progress") or 0) * 100, entry.get("content_path") or entry.get("save_path")))
        release.result.update(seeding=False, seeding_state=entry.get("state"))
        if release.received:
            release.fail("this host's copy of the data does not match the .torrent built by %s: %s%s so that a "
                         "broken copy is not seeded" % (release.params.get("built_by") or "the builder", problem,
                                                        self.take_back(backend, torrent_id)))
        else:
            release.fail("the torrent does not seed: %s%s" % (problem, self.take_back(backend, torrent_id)))

    def take_back(self, backend: TorrentSessionBackend, torrent_id: str | None) -> str:
        """A release failed after this run added its torrent: out of the session again (data kept), so that no
        torrent is left behind in missingFiles or half checked. Returns the words that say so."""
        if torrent_id is None or self.check_mode:
            return ""
        try:
            backend.remove(torrent_id)
        except Exception as exc:  # pylint: disable=broad-except
            return ("; the torrent this run added (%s) could not be taken out of the session again (%s): remove it "
                    "in qBittorrent" % (torrent_id, exc.msg if isinstance(exc, QbtError) else self.client.describe(exc)))
        return "; the torrent was taken out of the session again (data kept)"

    # ---- seed=false and state=absent ---------------------------------------------------------------------------
    def unseed(self, releases: list[Release]) -> None:
        """seed=false: the release's torrent leaves the session (its data stays)."""
        if not releases:
            return
        listing = self.read_session(releases)
        if listing is None:
            return
        by_id = self.session_by_id
        for release in releases:
            meta = release.final_meta(self.check_mode)
            if meta is None:
                continue
            release.result["seeding"] = False
            for torrent_id in session_ids(meta.info_hash_v1, meta.info_hash_v2):
                if torrent_id in by_id:
                    release.result["changed"] = True
                    release.actions.append("removed from the session (seed=false; data kept)")
                    if not self.check_mode:
                        release.guard(lambda r=release, m=meta, i=torrent_id: self.session_backend(r, m).remove(i),
                                      self.client)

    def withdraw(self, release: Release, meta: TorrentMeta) -> None:
        """state=absent: the torrent of ``meta`` (the .torrent at the release's dest) out of the session, data
        kept, and gone from it before this returns. Raises (SessionError when the session cannot be read or the
        torrent stays) before the caller removes the .torrent."""
        self.listing()
        by_id = self.session_by_id
        for torrent_id in session_ids(meta.info_hash_v1, meta.info_hash_v2):
            if torrent_id in by_id:
                release.actions.append("removed from the session (data kept)")
                if not self.check_mode:
                    remove_torrent(self.client.api, torrent_id, SESSION_TIMEOUT)
