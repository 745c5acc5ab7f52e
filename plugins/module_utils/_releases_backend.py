# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The backend that converges a list of releases in one process (qbt_releases, and so the release role).

It drives the same code as the single-release modules, so every rule exists once:

* every present release's options are validated before anything changes (all or nothing), and the missing
  directories of the .torrent files are created (``prepare``);
* each release's .torrent is decided and written by a ``TorrentFileBackend`` (``plan()``: keep, rewrite in place
  or create), and the creator tasks of all releases that need one are queued at once (``CreatorBatch``); a release
  built by another host (build once, seed everywhere) is written as received;
* the session half, ``ReleaseSeeding`` (``_releases_session.py``), then seeds, unseeds or withdraws each release's
  torrent through qbt_torrent's backend (``TorrentSessionBackend``), reading the session once;
* ``report`` gives each release's result (what its .torrent and its torrent became, its actions, its failure).

A release that fails at run time is recorded with its message and the others go on.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import os
import typing as t

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import CreateOptions
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._creator import CreatorBatch, undeleted_tasks
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import (
    CreatorError,
    Interrupted,
    OptionError,
    QbtError,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_session import Release, ReleaseSeeding
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_file_backend import (
    RESULT_FIELDS,
    TorrentFileBackend,
    torrent_file_params,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta, TorrentMetaError

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._io import ModuleFiles


class ReleasesBackend:
    """Converge ``releases`` (validated release dicts, in input order) on one qBittorrent; ``received`` holds the
    .torrent files another host built ({release name: bytes}, from its bundle): those releases are not built here."""

    def __init__(self, releases: list[dict], client: QbtClient | None, files: ModuleFiles, check_mode: bool = False,
                 create_dirs: bool = True, dir_mode: str = "0755", received: dict[str, bytes] | None = None) -> None:
        received = received or {}
        self.releases = [Release(params, index, received.get(params["name"]))
                         for index, params in enumerate(releases)]
        self.client = client
        self.files = files
        self.check_mode = check_mode
        self.create_dirs = create_dirs
        self.dir_mode = dir_mode
        self.warnings: list[str] = []
        self.diffs: list[dict] = []
        self.created_dirs: list[str] = []
        self.seeding = ReleaseSeeding(client, check_mode=check_mode, warnings=self.warnings)

    # ---- the whole run -----------------------------------------------------------------------------------------
    def run(self) -> list[dict]:
        """Converge every release; returns their results, in input order (a failed release says so in its own)."""
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
        self.seeding.seed([r for r in present if not r.failed and r.params["seed"]])
        self.seeding.unseed([r for r in present if not r.failed and not r.params["seed"]])
        for release in self.releases:
            if release.params["state"] == "absent":
                self.guard(release, lambda release=release: self.withdraw(release))
        return [self.report(release) for release in self.releases]

    def guard(self, release: Release, step: t.Callable[[], object]) -> None:
        release.guard(step, self.client)

    # ---- before any change: every release's options (all or nothing) ------------------------------------------
    def prepare(self) -> None:
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
    def plan(self, release: Release) -> None:
        if release.received:
            self.guard(release, lambda: self.receive(release))
            return
        release.file = TorrentFileBackend(release.options, self.files, client=self.client, check_mode=self.check_mode)
        self.guard(release, release.file.plan)
        if release.failed:
            release.file = None

    def receive(self, release: Release) -> None:
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

    def build(self, releases: list[Release]) -> None:
        """Queue every needed creator task at once; each release gets its .torrent as its task ends."""
        if not releases:
            return
        if self.check_mode:
            for release in releases:
                release.file.result["changed"] = True
                release.file.would_create()
            return
        by_key = {release.index: release for release in releases}
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
    def leftovers(batch: CreatorBatch) -> str:
        """What became of the batch's creator tasks, for a message about a run that stopped while they ran."""
        if batch.delete_errors:
            return undeleted_tasks(sorted(batch.delete_errors))
        return "every creator task this run started was deleted"

    # ---- the session -------------------------------------------------------------------------------------------
    def withdraw(self, release: Release) -> None:
        """state=absent: out of the session (data kept) and its .torrent removed; unknown once the file is gone."""
        if not os.path.lexists(release.dest):
            return
        try:
            meta = TorrentMeta.from_file(release.dest)
        except (TorrentMetaError, OSError):
            meta = None
        if meta is not None and self.client is not None:
            self.seeding.withdraw(release, meta)
        release.actions.append(".torrent removed")
        release.result["changed"] = True
        if not self.check_mode:
            backup_file = self.files.remove(release.dest, backup=release.params["backup"])[1]
            if backup_file:
                release.result["backup_file"] = backup_file

    # ---- results -----------------------------------------------------------------------------------------------
    def contents(self) -> dict[str, bytes]:
        """{name: .torrent bytes} of every present release that did not fail and whose .torrent exists."""
        found = {}
        for release in self.releases:
            if release.params["state"] != "present" or release.failed:
                continue
            meta = release.final_meta(self.check_mode)
            if meta is not None:
                found[release.name] = meta.data
        return found

    def report(self, release: Release) -> dict:
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
                what = dict(create="built", rewrite="rewritten in place").get(release.file.decision.action, "updated")
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
