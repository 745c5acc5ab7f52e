# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The backend that drives a .torrent file at ``dest``: read what is there, decide, create with qBittorrent's creator
or rewrite in place, write safely, report.

It takes parsed options (``CreateOptions``), a connected ``QbtClient`` (or None for state=absent), file operations
(``_io.ModuleFiles``) and the check mode flag, never an ``AnsibleModule``; it returns results and raises ``QbtError``
subclasses. qbt_torrent_create drives one; the many-release backend drives one per release, calling the steps
``plan()``, ``CreatorTask`` and ``built()`` itself so that all creator tasks are queued at once.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import os
import posixpath
import time
import typing as t

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._creator import CreatorTask, undeleted_tasks
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._decision import metadata_changes, needs_regeneration
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import (
    CreatorError,
    Interrupted,
    QbtError,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._formats import seed_save_path
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_edits import (
    apply_trackers,
    apply_url_seeds,
    is_seeding,
    seeding_problem,
    session_ids,
    wait_for,
    wait_until_checked,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_options import normalize_path
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._source_tree import SourceTree, SourceTreeError, scan_source
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta, TorrentMetaError

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import CreateOptions
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._io import ModuleFiles

RESULT_FIELDS = ("name", "info_hash_v1", "info_hash_v2", "format", "piece_size", "total_size", "file_count", "private",
                 "trackers", "url_seeds", "comment", "source")
PRIVATE_DEFAULT_MODE = "0600"  # a private torrent's announce URLs usually carry a passkey


def torrent_file_params(params, private):
    """The file attributes for a .torrent: ``params``', with mode 0600 for a private torrent that sets no mode."""
    params = dict(params)
    if params.get("mode") is None and private:
        params["mode"] = PRIVATE_DEFAULT_MODE
    return params


class Plan(t.NamedTuple):
    """What plan() decided: ``action`` "keep" (nothing to do), "rewrite" (metadata only, same info hash) or "create"
    (creator task), why, the .torrent at dest, the scanned source (None when this host cannot see it) and the
    metadata changes of a rewrite."""

    action: str
    reasons: list[str]
    existing: TorrentMeta | None
    tree: SourceTree | None
    changes: dict


class TorrentFileBackend:
    """One .torrent at ``options.dest`` made to match ``options``."""

    def __init__(self, options: CreateOptions, files: ModuleFiles, client: QbtClient | None = None,
                 check_mode: bool = False) -> None:
        self.options = options
        self.params = options.params
        self.files = files
        self.client = client
        self.check_mode = check_mode
        self.dest = options.dest
        self.warnings = []
        self.result = dict(changed=False, dest=self.dest, task_id=None, reasons=[])
        self.diff = dict(before={}, after={}, before_header=self.dest, after_header=self.dest)
        self.decision = None  # the Plan that plan() made: keep, rewrite or create, and why
        if client is not None:
            self.result.update(client.server_facts())

    @property
    def existing(self) -> TorrentMeta | None:
        """The .torrent that plan() found at dest (its trackers may hold an old passkey); None before plan() or when
        there was none."""
        return self.decision.existing if self.decision is not None else None

    # ---- whole runs ----------------------------------------------------------------------------------------------
    def run(self) -> dict:
        """Converge and return the result (with ``diff``; the module drops it outside diff mode)."""
        if self.params["state"] == "absent":
            self.absent()
        else:
            plan = self.plan()
            if plan.action == "create":
                self.create_now()
            elif plan.action == "rewrite":
                self.rewrite()
            else:
                self.keep()
        return self.finish()

    def finish(self):
        result = dict(self.result)
        result["diff"] = self.diff
        return result

    def error(self, exc_or_msg, **extra):
        """A QbtError carrying this run's facts; failures never report a change."""
        if isinstance(exc_or_msg, QbtError):
            msg, facts = exc_or_msg.msg, dict(exc_or_msg.result)
        else:
            msg, facts = str(exc_or_msg), {}
        result = dict(self.result)
        result.update(facts)
        result.update(extra)
        result["changed"] = False
        result.pop("diff", None)
        return QbtError(msg, **result)

    # ---- state=absent ------------------------------------------------------------------------------------------
    def absent(self):
        existing = self.read_existing()[0]
        if existing is not None:
            self.diff["before"] = self.describe(existing)
        elif os.path.lexists(self.dest):
            self.diff["before"] = {"path": self.dest}
        if not os.path.lexists(self.dest):
            return
        self.result["changed"] = True
        self.result["reasons"] = ["state=absent"]
        if not self.check_mode:
            backup_file = self.files.remove(self.dest, backup=self.params["backup"])[1]
            if backup_file:
                self.result["backup_file"] = backup_file

    # ---- state=present: deciding -------------------------------------------------------------------------------
    def plan(self) -> Plan:
        """Decide without changing anything; returns the Plan and keeps it as ``decision``."""
        try:
            self.warnings.extend(self.options.validate_for_server(self.client))
        except QbtError as exc:
            raise self.error(exc)
        tree = self.scan_source()
        existing, unreadable = self.read_existing()
        if existing is not None:
            self.diff["before"] = self.describe(existing)
        changes = {}
        if existing is None:
            action, reasons = "create", [unreadable or "dest does not exist"]
        elif self.params["force"]:
            action, reasons = "create", ["force=true"]
        else:
            reasons = needs_regeneration(existing, self.options, tree)
            if reasons:
                action = "create"
            else:
                changes = metadata_changes(existing, self.options)
                action = "rewrite" if changes else "keep"
                reasons = ["%s changed (rewritten in place, same info hash)" % field for field in sorted(changes)]
        self.result["reasons"] = reasons
        self.decision = Plan(action, reasons, existing, tree, changes)
        return self.decision

    def scan_source(self):
        """The source as the module sees it (through ``path_map``), or None when it cannot (or must not) look."""
        mode = self.params["source_check"]
        server_path = self.options.source_path
        self.result["source_checked"] = False
        if mode == "never":
            return None
        mapped = self.options.path_map.lookup(server_path)
        path = mapped.path if mapped else server_path
        self.result["source_checked_path"] = path
        if not os.path.exists(path):
            why = self.source_not_visible(server_path, mapped)
            if mode == "always":
                raise self.error("source_check=always but %s%s" % (why, "" if mapped else (
                    "; set path_map to where this host sees qBittorrent's files, or run the module on the qBittorrent "
                    "host (delegate_to)")))
            self.warnings.append(
                "source_check=auto compares the options only and content changes (files added, removed, resized or "
                "modified) go unnoticed: %s; to fix it, set path_map to where this host sees qBittorrent's files, run "
                "the module on the qBittorrent host (delegate_to), or set source_check=never to compare the options "
                "only without this warning" % why)
            return None
        try:
            tree = scan_source(path, ignore_dotfiles=self.options.ignore_dotfiles is not False)
        except SourceTreeError as exc:
            where = " (%s)" % self.options.path_map.describe(mapped) if mapped else ""
            raise self.error("source_path: %s%s" % (exc, where))
        if mapped and tree.single_file and tree.name != self.options.name:
            # a file mapped to another name here: the torrent's file is named after source_path, as the server sees it
            tree.files = [(self.options.name, tree.files[0][1])]
            tree.name = self.options.name
        self.result["source_checked"] = True
        if tree.skipped:
            shown = ", ".join(tree.skipped[:5]) + (" and %d more" % (len(tree.skipped) - 5) if len(tree.skipped) > 5
                                                   else "")
            self.warnings.append("source_path %s: left out of the torrent because they are not regular files (broken "
                                 "symlinks, FIFOs, sockets or devices): %s" % (path, shown))
        if tree.latest_mtime is not None and tree.latest_mtime > time.time() + 2:
            self.warnings.append("files in %s have modification times in the future; fix the clock, or content "
                                 "changes of same-sized files go unnoticed" % path)
            tree.latest_mtime = None
        return tree

    @staticmethod
    def source_not_visible(server_path, mapped):
        """Why the module cannot see the source, naming path_map when an entry was used."""
        if mapped is None:
            return ("source_path %s is not visible on the host running the module and no path_map entry matches it"
                    % server_path)
        if not os.path.isdir(mapped.local):
            return ("path_map maps %s to %s, which is not a directory on the host running the module (source_path %s);"
                    " fix that entry's local path or mount qBittorrent's files there"
                    % (mapped.server, mapped.local, server_path))
        return ("source_path %s is %s through path_map (%s -> %s), which does not exist on the host running the module"
                % (server_path, mapped.path, mapped.server, mapped.local))

    def read_existing(self):
        """(TorrentMeta or None, reason it could not be read or None)."""
        if not os.path.lexists(self.dest):
            return None, None
        try:
            return TorrentMeta.from_file(self.dest), None
        except TorrentMetaError as exc:
            return None, "dest is not a readable .torrent (%s)" % exc
        except OSError as exc:
            return None, "dest cannot be read (%s)" % exc

    # ---- the three outcomes ------------------------------------------------------------------------------------
    def keep(self):
        self.report(self.decision.existing)
        self.diff["after"] = self.diff["before"]
        self.apply_file_attributes()

    def rewrite(self):
        existing, changes = self.decision.existing, self.decision.changes
        self.result["changed"] = True
        data = existing.with_metadata(**changes)
        meta = TorrentMeta.from_bytes(data)
        self.report(meta)
        self.diff["after"] = self.describe(meta)
        if self.check_mode:
            return
        self.write(data)
        self.sync_session(meta)
        self.apply_file_attributes()

    def create_now(self):
        """Run one creator task to the end (qbt_torrent_create); the task never outlives this call."""
        self.result["changed"] = True
        if self.check_mode:
            self.would_create()
            return
        task = CreatorTask(self.client.api, self.params["timeout"])
        try:
            with task:
                self.result["task_id"] = task.add(**self.options.add_task_params(self.client))
                task.wait()
                data = task.torrent_file()
        except BaseException as exc:  # pylint: disable=broad-except
            data = self.task_failed(task, exc)
        self.built(data)

    def would_create(self):
        """Check mode: what a creator task would make, as far as it is known before hashing."""
        tree = self.decision.tree
        self.diff["after"] = self.options.wanted()
        self.diff["after"]["info_hash_v1"] = self.diff["after"]["info_hash_v2"] = "(known once created)"
        if tree is not None:
            self.diff["after"].update(file_count=tree.file_count, total_size=tree.total_size)

    def task_failed(self, task, exc):
        """Turn what ended a creator task into an error naming the task and whether it is gone; returns the
        .torrent exported from the session when the only failure was that the torrent is already seeding."""
        task_id = self.result.get("task_id")
        if isinstance(exc, CreatorError) and exc.seeding_conflict:
            data = self.export_from_session()
            if data is not None:
                return data
        leftover = ""
        if task.delete_error is not None and task_id:
            why = self.client.describe_lost(task.delete_error)
            same = (isinstance(exc, Exception) and not isinstance(exc, QbtError)
                    and why == self.client.describe_lost(exc))
            sentence = undeleted_tasks([task_id], "either" if same else "(%s)" % why)
            leftover = " %s%s." % (sentence[0].upper(), sentence[1:])
        elif task_id:
            leftover = " Creator task %s was deleted." % task_id
        if isinstance(exc, CreatorError):
            raise self.error(exc.msg + leftover, task=exc.task)
        if isinstance(exc, (Interrupted, KeyboardInterrupt)):
            raise self.error("interrupted (%s)%s" % (str(exc) or "SIGINT", leftover or " No creator task had started."))
        if isinstance(exc, QbtError):
            raise self.error(exc.msg + leftover)
        if not isinstance(exc, Exception):
            raise exc
        if task_id:
            raise self.error("qBittorrent at %s stopped answering while creator task %s ran: %s; dest was not "
                             "touched.%s" % (self.client.host, task_id, self.client.describe_lost(exc), leftover))
        raise self.error(self.client.describe(exc))

    def built(self, data):
        """A creator task produced ``data``: check it, make it say exactly what was asked, write it, seed."""
        try:
            meta = TorrentMeta.from_bytes(data)
        except TorrentMetaError as exc:
            raise self.error("qBittorrent returned an unreadable .torrent: %s" % exc)
        changes = metadata_changes(meta, self.options)
        if changes:
            # the server altered a URL or the comment (version quirks): make the file say exactly what was asked
            data = meta.with_metadata(**changes)
            meta = TorrentMeta.from_bytes(data)
        self.write(data)
        self.result["changed"] = True
        self.report(meta)
        self.diff["after"] = self.describe(meta)
        self.apply_file_attributes()
        if self.params["start_seeding"]:
            self.check_seeding(meta)
        return meta

    def check_seeding(self, meta, limit=15.0):
        """The server adds the new torrent to its session after the task finished: wait until it shows and seeds.

        ``seeding: true`` only when the session's copy is complete and seeding; otherwise a warning with the state
        and what to do (documented: the .torrent is written either way)."""
        api = self.client.api
        ids = session_ids(meta.info_hash_v1, meta.info_hash_v2)
        try:
            found = wait_for(lambda: api.torrents_info(torrent_hashes=ids), limit, first=0.02)
            torrent = wait_until_checked(api, found[0]["hash"], limit) if found else None
            torrent = self.seed_where_the_data_is(meta, torrent, limit)
        except Exception as exc:  # pylint: disable=broad-except
            self.result["seeding"] = False
            self.warnings.append("could not check that the torrent seeds: %s" % self.client.describe(exc))
            return
        self.result["seeding"] = is_seeding(torrent)
        self.result["seeding_state"] = torrent.get("state") if torrent else None
        if not self.result["seeding"]:
            if torrent is None:
                why = "it did not appear in the session within %d s" % limit
            else:
                why = seeding_problem(torrent) or "state %s" % torrent.get("state")
            self.warnings.append("start_seeding: the torrent does not seed in qBittorrent: %s" % why)

    def seed_where_the_data_is(self, meta, torrent, limit):
        """The server adds a new torrent with the parent of source_path as save path. libtorrent reads a v2 torrent of
        a directory holding one file as that file alone (``_formats.seed_save_path``): qBittorrent then looks for
        it in the parent and reports missingFiles although the data is there. Such a torrent is taken out of the
        session (data kept) and added again with the directory itself as save path, with qBittorrent's check."""
        tree = self.decision.tree if self.decision is not None else None
        save_path = seed_save_path(self.options.source_path, meta, None if tree is None else not tree.single_file)
        parent = posixpath.dirname(self.options.source_path.rstrip("/")) or "/"
        if torrent is None or save_path == parent or normalize_path(torrent.get("save_path")) != normalize_path(parent):
            return torrent  # nothing to correct, or a copy someone else put elsewhere: left alone
        api = self.client.api
        torrent_id = torrent["hash"]
        api.torrents_delete(delete_files=False, torrent_hashes=torrent_id)
        wait_for(lambda: not api.torrents_info(torrent_hashes=torrent_id), limit)
        api.torrents_add(torrent_files={"%s.torrent" % meta.name: meta.data}, save_path=save_path,
                         use_auto_torrent_management=False, content_layout="Original", is_skip_checking=False)
        found = wait_for(lambda: api.torrents_info(torrent_hashes=torrent_id), limit, first=0.02)
        return wait_until_checked(api, torrent_id, limit) if found else None

    def export_from_session(self):
        """The task failed only because the torrent it built is already in the session: export that one."""
        api = self.client.api
        wanted_path = self.options.source_path.rstrip("/")

        def same_content(torrent):
            # content_path is the data's root, but a copy in missingFiles may name its first file instead
            content = (torrent.get("content_path") or "").rstrip("/")
            where = "%s/%s" % ((torrent.get("save_path") or "").rstrip("/"), torrent.get("name") or "")
            return wanted_path in (content, where) or content.startswith(wanted_path + "/")
        try:
            candidates = [t for t in api.torrents_info() if same_content(t)]
        except Exception:  # pylint: disable=broad-except
            return None
        for torrent in candidates:
            try:
                data = api.torrents_export(torrent_hash=torrent["hash"])
                meta = TorrentMeta.from_bytes(data)
            except Exception:  # pylint: disable=broad-except
                continue
            if not needs_regeneration(meta, self.options, self.decision.tree if self.decision else None):
                self.warnings.append(
                    "this torrent (%s) was already in qBittorrent's session, so the server did not start a second "
                    "copy; its .torrent was exported from the session instead" % torrent["hash"])
                self.result["exported_from_session"] = True
                return data
        return None

    def sync_session(self, meta):
        """When the torrent seeds in this qBittorrent, make its trackers (tiers) and web seeds follow the file."""
        client = self.client
        try:
            found = client.api.torrents_info(torrent_hashes=session_ids(meta.info_hash_v1, meta.info_hash_v2))
            if not found:
                return
            torrent_id = found[0]["hash"]
            changes = [apply_trackers(client, torrent_id, meta.trackers)]
            if client.has_webseeds:
                changes.append(apply_url_seeds(client, torrent_id, meta.url_seeds))
            if all(change is None or change.settled for change in changes):
                self.result["session_updated"] = True
            else:
                self.warnings.append("the seeding copy in qBittorrent did not take every tracker / web seed change")
        except QbtError as exc:
            self.warnings.append("the .torrent was updated but the seeding copy in qBittorrent could not be: %s" % exc)
        except Exception as exc:  # pylint: disable=broad-except
            self.warnings.append("the .torrent was updated but the seeding copy in qBittorrent could not be: %s"
                                 % client.describe(exc))

    # ---- output ------------------------------------------------------------------------------------------------
    def write(self, data):
        try:
            backup_file = self.files.write(self.dest, data, backup=self.params["backup"])
        except OSError as exc:
            raise self.error("cannot write dest %s: %s" % (self.dest, exc))
        if backup_file:
            self.result["backup_file"] = backup_file

    def file_params(self):
        """The file attributes to apply (torrent_file_params)."""
        return torrent_file_params(self.params, self.options.private)

    def apply_file_attributes(self):
        self.result["changed"] = self.files.set_attributes(self.dest, self.file_params(), self.result["changed"])

    def report(self, meta):
        for field in RESULT_FIELDS:
            self.result[field] = getattr(meta, field)
        self.result["magnet_uri"] = meta.magnet_uri()

    @staticmethod
    def describe(meta):
        """Parsed metadata for diff mode (the file list is summarised by count and size)."""
        described = meta.to_dict()
        described.pop("files", None)
        return described
