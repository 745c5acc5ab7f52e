# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The backend that converges a list of releases in one process (qbt_releases, and so the release role).

It drives the same code as the single-release modules, so every rule exists once:

* each release's .torrent is decided and written by a ``TorrentFileBackend`` (``plan()``: keep, rewrite in place
  or create), and the creator tasks of all releases that need one are queued at once (``CreatorBatch``);
* each seeded release is compared with the session through a ``TorrentSessionBackend`` (``describe``/``wanted``),
  repaired with its ``update`` or, for anything unusual (a moved save path), its whole ``run``; torrents that are
  missing are added in a few ``torrents/add`` requests (one per set of add options) and waited for together.

The session is read once (one ``torrents/info`` listing); a release that matches costs two small requests
(its trackers and web seeds). A release that fails at run time is recorded with its message and the others go on.

Private module_utils file: its API may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import CreateOptions
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._creator import CreatorBatch
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import (
    CreatorError,
    Interrupted,
    OptionError,
    QbtError,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._formats import seed_save_path, session_name
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._piece_check import check_copy
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._release_name import release_dest
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_backend import TorrentSessionBackend
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
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_options import (
    SessionOptions,
    normalize_path,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_file_backend import (
    RESULT_FIELDS,
    TorrentFileBackend,
    torrent_file_params,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta, TorrentMetaError

COMPARED = ("save_path", "category", "tags", "started", "trackers", "url_seeds")


class Release:
    """One release's options, backends, result and failure."""

    def __init__(self, params, index, received=None):
        self.params = params
        self.index = index
        self.name = params["name"]
        self.dest = release_dest(params)
        self.options = None
        self.file = None  # TorrentFileBackend
        self.meta = None  # the final .torrent
        self.data = received  # the .torrent another host built (build once, seed everywhere), bytes
        self.received = received is not None
        self.data_check = None  # a received release's copy: "module" (checked here) or "qbittorrent" (by the server)
        self.error = None
        self.actions = []
        self.result = dict(name=self.name, dest=self.dest, state=params["state"], changed=False, seed=params["seed"],
                           source_path=params.get("source_path"))

    def fail(self, exc):
        if self.error is None:
            self.error = exc.msg if isinstance(exc, QbtError) else str(exc)

    @property
    def failed(self):
        return self.error is not None

    def source_is_dir(self):
        """Whether source_path is a directory, as far as this host can tell (None: it cannot see the source)."""
        tree = self.file.decision.tree if self.file is not None and self.file.decision is not None else None
        if tree is not None:
            return not tree.single_file
        if self.options is None or not self.options.source_path:
            return None
        mapped = self.options.path_map.lookup(self.options.source_path)
        path = mapped.path if mapped else self.options.source_path
        return os.path.isdir(path) if os.path.exists(path) else None


class ReleasesBackend:
    """Converge ``releases`` (validated release dicts, in input order) on one qBittorrent; ``received`` holds the
    .torrent files another host built ({release name: bytes}, from its bundle): those releases are not built here."""

    def __init__(self, releases, client, files, check_mode=False, create_dirs=True, dir_mode="0755", received=None):
        received = received or {}
        self.releases = [Release(params, index, received.get(params["name"]))
                         for index, params in enumerate(releases)]
        self.client = client
        self.files = files
        self.check_mode = check_mode
        self.create_dirs = create_dirs
        self.dir_mode = dir_mode
        self.warnings = []
        self.diffs = []
        self.session = None

    # ---- the whole run -----------------------------------------------------------------------------------------
    def run(self):
        self.prepare()
        present = [r for r in self.releases if r.params["state"] == "present"]
        for release in present:
            self.plan(release)
        self.build([r for r in present if not r.failed and r.file is not None and r.file.decision.action == "create"])
        for release in present:
            if not release.failed and release.file is not None and release.file.decision.action == "rewrite":
                self.guard(release, release.file.rewrite)
            if not release.failed and release.file is not None and release.file.decision.action == "keep":
                self.guard(release, release.file.keep)
        self.seed([r for r in present if not r.failed and r.params["seed"]])
        self.unseed([r for r in present if not r.failed and not r.params["seed"]])
        for release in self.releases:
            if release.params["state"] == "absent":
                self.guard(release, lambda release=release: self.withdraw(release))
        return [self.report(release) for release in self.releases]

    def guard(self, release, step):
        try:
            step()
        except QbtError as exc:
            release.fail(exc)
        except (Interrupted, KeyboardInterrupt):
            raise
        except Exception as exc:  # pylint: disable=broad-except
            release.fail(self.client.describe(exc) if self.client else exc)

    # ---- before any change: every release's options (all or nothing) ------------------------------------------
    def prepare(self):
        """Validate every present release's options; raise one OptionError naming each bad release."""
        problems = []
        missing_dirs = set()  # the releases' directories that do not exist
        for release in self.releases:
            directory = os.path.dirname(os.path.abspath(release.dest))
            if release.params["state"] == "present" and not os.path.isdir(directory) and self.create_dirs:
                missing_dirs.add(directory)
        to_create = set(missing_dirs)  # ... and their missing parents, all created with dir_mode
        for directory in missing_dirs:
            parent = os.path.dirname(directory)
            while parent != directory and not os.path.lexists(parent):
                to_create.add(parent)
                directory, parent = parent, os.path.dirname(parent)
        for release in self.releases:
            params = dict(release.params)
            params["dest"] = release.dest
            params["start_seeding"] = False  # seeding is done below, with the release's category and tags
            if params["state"] != "present":
                continue
            try:
                options = CreateOptions(params)
                if os.path.dirname(os.path.abspath(release.dest)) in missing_dirs:
                    options.validate(check_dest_dir=False)
                else:
                    options.validate()
                if release.received:
                    release.meta = TorrentMeta.from_bytes(release.data)
            except OptionError as exc:
                problems.append("release %s: %s" % (release.name, exc.msg))
                continue
            except TorrentMetaError as exc:
                problems.append("release %s: built_bundle's file for it (from %s) is not a .torrent (%s)"
                                % (release.name, release.params.get("built_by") or "the builder", exc))
                continue
            release.options = options
        if problems:
            raise OptionError("; ".join(problems) + " (nothing was changed)")
        self.created_dirs = sorted(to_create)  # parents sort before their children
        if not self.check_mode:
            for directory in self.created_dirs:
                try:
                    os.mkdir(directory)
                except FileExistsError:  # another host's run made it meanwhile (same file system)
                    if not os.path.isdir(directory):
                        raise QbtError("cannot create directory %s for the .torrent files: a file of that name "
                                       "exists" % directory)
                    continue
                except OSError as exc:
                    raise QbtError("cannot create directory %s for the .torrent files: %s"
                                   % (directory, exc.strerror or exc))
                os.chmod(directory, int(self.dir_mode, 8))

    # ---- the .torrent files ------------------------------------------------------------------------------------
    def plan(self, release):
        if release.received:
            self.guard(release, lambda: self.receive(release))
            return
        release.file = TorrentFileBackend(release.options, self.files, client=self.client, check_mode=self.check_mode)
        self.guard(release, release.file.plan)
        if release.failed:
            release.file = None

    def receive(self, release):
        """A .torrent built by another host (build once, seed everywhere): written as is when it differs."""
        current = None
        if os.path.exists(release.dest):
            with open(release.dest, "rb") as handle:
                current = handle.read()
        if current != release.data:
            builder = release.params.get("built_by") or "the builder"
            release.actions.append("received the .torrent built by %s" % builder)
            release.result["changed"] = True
            if not self.check_mode:
                self.files.write(release.dest, release.data, backup=release.params["backup"])
        params = torrent_file_params(dict(release.params, dest=release.dest), release.meta.private)
        if os.path.exists(release.dest):
            release.result["changed"] = self.files.set_attributes(release.dest, params, release.result["changed"])

    def build(self, releases):
        """Queue every needed creator task at once; each release gets its .torrent as its task ends."""
        if not releases:
            return
        if self.check_mode:
            for release in releases:
                release.file.result["changed"] = True
                release.file.would_create()
            return
        by_key = dict((release.index, release) for release in releases)
        jobs = [(release.index, release.options.add_task_params(self.client), release.params["timeout"])
                for release in releases]
        batch = CreatorBatch(self.client.api)
        try:
            with batch:
                for key, task_id, outcome in batch.run(jobs):
                    release = by_key.pop(key)
                    release.file.result["task_id"] = task_id
                    if isinstance(outcome, CreatorError):
                        if outcome.seeding_conflict:
                            data = release.file.export_from_session()
                            if data is not None:
                                self.guard(release, lambda r=release, d=data: r.file.built(d))
                                continue
                        release.fail("%s (creator task %s was deleted)" % (outcome.msg, task_id)
                                     if task_id else outcome.msg)
                        continue
                    self.guard(release, lambda r=release, d=outcome: r.file.built(d))
        except (Interrupted, KeyboardInterrupt) as exc:
            raise QbtError("interrupted (%s) while creating .torrent files; %s"
                           % (str(exc) or "SIGINT", self.leftovers(batch)))
        except Exception as exc:  # pylint: disable=broad-except
            message = "qBittorrent at %s stopped answering while creator tasks ran: %s; %s" % (
                self.client.host, self.client.describe_lost(exc), self.leftovers(batch))
            for release in by_key.values():
                release.fail(message)

    @staticmethod
    def leftovers(batch):
        if batch.delete_errors:
            return ("creator tasks %s could not be deleted: delete them once qBittorrent answers "
                    "(qbt_torrent_create_info lists them; a restart also drops them)"
                    % ", ".join(sorted(batch.delete_errors)))
        return "every creator task this run started was deleted"

    # ---- the session -------------------------------------------------------------------------------------------
    def final_meta(self, release):
        if release.received:
            return release.meta
        if release.file is None:
            return None
        if release.file.decision.action == "keep":
            return release.file.decision.existing
        if self.check_mode and release.file.decision.action == "create":
            return None
        try:
            return TorrentMeta.from_file(release.dest)
        except (TorrentMetaError, IOError, OSError):
            return None

    def session_backend(self, release, meta):
        params = dict(
            state="present", torrent_file=release.dest, info_hash=None,
            save_path=seed_save_path(release.options.source_path, meta, release.source_is_dir()),
            category=release.params.get("category"), tags=release.params.get("tags"), started=True,
            trackers=[list(tier) for tier in meta.trackers],
            url_seeds=list(meta.url_seeds) if self.client.has_webseeds else None,
            skip_checking=not release.received or release.data_check == "module", supersede=True,
            timeout=max(30.0, float(release.params["timeout"] or 0) if release.received else 30.0),
        )
        options = SessionOptions(params)
        options.meta, options.data = meta, meta.data
        options.wanted_tiers = params["trackers"]
        return TorrentSessionBackend(options, self.client, check_mode=self.check_mode)

    def listing(self):
        if self.session is None:  # with every torrent's trackers where the server can (5.1+): converge's no-op
            self.session = (self.client.api.torrents_info(include_trackers=True) if self.client.lists_trackers
                            else self.client.api.torrents_info())
        return self.session

    def seed(self, releases):
        if not releases:
            return
        try:
            listing = self.listing()
        except Exception as exc:  # pylint: disable=broad-except
            for release in releases:
                release.fail("cannot read qBittorrent's session: %s" % self.client.describe(exc))
            return
        by_id = dict((torrent["hash"], torrent) for torrent in listing)
        by_place = {}  # (name, save path) -> torrents: the candidates for superseded, found without a scan each
        for torrent in listing:
            by_place.setdefault((torrent.get("name"), normalize_path(torrent.get("save_path"))), []).append(torrent)
        to_add = []
        for release in releases:
            meta = self.final_meta(release)
            if meta is None:
                release.actions.append("would be seeded once built")
                continue
            ids = session_ids(meta.info_hash_v1, meta.info_hash_v2)
            entry = next((by_id[i] for i in ids if i in by_id), None)
            if release.received and entry is None:
                self.guard(release, lambda r=release, m=meta: self.check_copy(r, m))
                if release.failed:
                    continue
            backend = self.session_backend(release, meta)
            save_path = backend.params["save_path"]
            superseded = [t for t in by_place.get((session_name(meta), normalize_path(save_path)), ())
                          if t["hash"] not in ids]
            if entry is None and release.received and superseded:
                # an older build of the same content: out of the session first, then added as below (checked)
                self.guard(release, lambda r=release, b=backend, s=superseded: self.remove_superseded(r, b, s))
                if release.failed:
                    continue
                superseded = []
            if entry is None and not superseded:
                to_add.append((release, backend, meta))
                continue
            self.guard(release, lambda r=release, b=backend, e=entry, s=superseded: self.converge(r, b, e, s))
        self.add_new(to_add)

    def check_copy(self, release, meta):
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

    def remove_superseded(self, release, backend, superseded):
        release.result["changed"] = True
        release.actions.append("removed %d other torrent(s) with the same content from the session (data kept): %s"
                               % (len(superseded), ", ".join(t["hash"] for t in superseded)))
        if not self.check_mode:
            for other in superseded:
                backend.remove(other["hash"])

    def converge(self, release, backend, entry, superseded):
        """An existing seeding copy: nothing to do when it matches and seeds, else qbt_torrent's own update/run."""
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

    def add_new(self, items):
        """Add every missing torrent in one torrents/add per set of options, wait for all, then check each."""
        if not items:
            return
        checked_by = {"module": " (its data checked against the .torrent by the module)",
                      "qbittorrent": " (its data checked by qBittorrent)"}
        for release, backend, meta in items:
            release.result["changed"] = True
            release.actions.append("added to the session" + checked_by.get(release.data_check, ""))
        if self.check_mode:
            return
        groups = {}
        try:
            categories = set(self.client.api.torrents_categories())
            for release, backend, meta in items:
                wanted = backend.wanted(dict(present=False))
                if wanted["category"] and wanted["category"] not in categories:
                    backend.ensure_category(wanted["category"])
                    categories.add(wanted["category"])
                kwargs = backend.add_kwargs(wanted)
                if release.data_check == "qbittorrent":
                    # checked by qBittorrent and stopped right after (libtorrent's stop_when_ready): nothing is
                    # fetched from peers before add_new has seen the whole copy there
                    kwargs["stop_condition"] = "FilesChecked"
                key = repr(sorted(kwargs.items()))
                groups.setdefault(key, (kwargs, []))[1].append((release, backend, meta))
            for kwargs, members in groups.values():
                files = dict(("%s-%d.torrent" % (meta.name, release.index), meta.data)
                             for release, backend, meta in members)
                self.client.api.torrents_add(torrent_files=files, **kwargs)
        except Exception as exc:  # pylint: disable=broad-except
            for release, backend, meta in items:
                release.fail("could not add the torrent to qBittorrent's session: %s"
                             % (exc.msg if isinstance(exc, QbtError) else self.client.describe(exc)))
            return
        ids = dict((session_ids(meta.info_hash_v1, meta.info_hash_v2)[0], (release, backend, meta))
                   for release, backend, meta in items)
        api = self.client.api
        limit = max(backend.params["timeout"] for release, backend, meta in items)

        held = set(i for i, (release, backend, meta) in ids.items() if release.data_check == "qbittorrent")

        def all_settled():
            found = api.torrents_info(torrent_hashes=list(ids))
            if len(found) < len(ids) or any(t.get("state") in CHECKING_STATES for t in found):
                return None
            if any(t["hash"] in held and not is_stopped(t.get("state")) and t.get("state") not in PROBLEM_STATES
                   for t in found):
                return None  # its stop condition has not fired yet
            return found
        found = wait_for(all_settled, limit, first=0.05, longest=0.5) or api.torrents_info(torrent_hashes=list(ids))
        by_id = dict((torrent["hash"], torrent) for torrent in found)
        complete = [i for i in held if i in by_id and float(by_id[i].get("progress") or 0) >= 1.0
                    and is_stopped(by_id[i].get("state"))]
        if complete:  # qBittorrent found the whole copy: now it may seed
            try:
                api.torrents_start(torrent_hashes=complete)

                def started():
                    now = api.torrents_info(torrent_hashes=complete)
                    return now if all(is_seeding(t) for t in now) and len(now) == len(complete) else None
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
            self.guard(release, lambda r=release, b=backend, m=meta, e=entry, i=torrent_id:
                       self.check_added(r, b, m, e, i, extra_trackers))

    def check_added(self, release, backend, meta, entry, torrent_id, extra_trackers):
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

    def take_back(self, backend, torrent_id):
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

    def unseed(self, releases):
        """seed=false: the release's torrent leaves the session (its data stays)."""
        if not releases:
            return
        try:
            by_id = dict((t["hash"], t) for t in self.listing())
        except Exception as exc:  # pylint: disable=broad-except
            for release in releases:
                release.fail("cannot read qBittorrent's session: %s" % self.client.describe(exc))
            return
        for release in releases:
            meta = self.final_meta(release)
            if meta is None:
                continue
            release.result["seeding"] = False
            for torrent_id in session_ids(meta.info_hash_v1, meta.info_hash_v2):
                if torrent_id in by_id:
                    release.result["changed"] = True
                    release.actions.append("removed from the session (seed=false; data kept)")
                    if not self.check_mode:
                        self.guard(release, lambda r=release, m=meta, i=torrent_id:
                                   self.session_backend(r, m).remove(i))

    def withdraw(self, release):
        """state=absent: out of the session (data kept) and its .torrent removed; unknown once the file is gone."""
        if not os.path.lexists(release.dest):
            return
        try:
            meta = TorrentMeta.from_file(release.dest)
        except (TorrentMetaError, IOError, OSError):
            meta = None
        if meta is not None and self.client is not None:
            by_id = dict((t["hash"], t) for t in self.listing())
            for torrent_id in session_ids(meta.info_hash_v1, meta.info_hash_v2):
                if torrent_id in by_id:
                    release.actions.append("removed from the session (data kept)")
                    if not self.check_mode:
                        self.client.api.torrents_delete(delete_files=False, torrent_hashes=torrent_id)
        release.actions.append(".torrent removed")
        release.result["changed"] = True
        if not self.check_mode:
            backup_file = self.files.remove(release.dest, backup=release.params["backup"])[1]
            if backup_file:
                release.result["backup_file"] = backup_file

    # ---- results -----------------------------------------------------------------------------------------------
    def contents(self):
        """{name: .torrent bytes} of every present release that did not fail and whose .torrent exists."""
        found = {}
        for release in self.releases:
            if release.params["state"] != "present" or release.failed:
                continue
            meta = self.final_meta(release)
            if meta is not None:
                found[release.name] = meta.data
        return found

    def report(self, release):
        result = dict(release.result)
        if release.file is not None:
            file_result = release.file.finish()
            diff = file_result.pop("diff", None)
            for key, value in file_result.items():
                if key not in ("changed", "name"):
                    result[key] = value
            if "name" in file_result:
                result["torrent_name"] = file_result["name"]
            if file_result.get("changed"):
                result["changed"] = True
                what = {"create": "built", "rewrite": "rewritten in place"}
                what = what.get(release.file.decision.action, "updated")
                release.actions.insert(0, ".torrent %s: %s" % (what, "; ".join(file_result.get("reasons") or [])))
            self.warnings.extend("release %s: %s" % (release.name, w) for w in release.file.warnings)
            if diff and file_result.get("changed"):
                diff = dict(diff, before_header="%s (%s)" % (release.name, release.dest),
                            after_header="%s (%s)" % (release.name, release.dest))
                self.diffs.append(diff)
        elif release.meta is not None:
            meta = release.meta
            for key in RESULT_FIELDS:
                if key != "name":  # a result's name is the release's
                    result[key] = getattr(meta, key)
            result["magnet_uri"] = meta.magnet_uri()
            result["torrent_name"] = meta.name
            result["received"] = True
        result["actions"] = release.actions
        if release.failed:
            result["failed"] = True
            result["msg"] = release.error
            result["changed"] = False if not release.actions else result["changed"]
        return result
