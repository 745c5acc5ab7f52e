# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The work of qbt_torrent_create: read what is there, decide, create or rewrite, write safely, report.

Private module_utils file: its API may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient, version_tuple
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import CreateOptions, OptionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._creator import CreatorError, CreatorTask, Interrupted
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._decision import metadata_changes, needs_regeneration
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._io import remove_file, write_file_atomic
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session import (
    WEBSEEDS_WEBAPI,
    encode_tracker_removal,
    encode_urls,
    plan_trackers,
    plan_url_seeds,
    requote,
    session_ids,
    wait_for,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._source_tree import SourceTreeError, scan_source
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import (
    BENCODE_IMPORT_ERROR,
    TorrentMeta,
    TorrentMetaError,
)

from ansible.module_utils.basic import missing_required_lib

RESULT_FIELDS = ("name", "info_hash_v1", "info_hash_v2", "format", "piece_size", "total_size", "file_count", "private",
                 "trackers", "url_seeds", "comment", "source")


class TorrentCreateBackend:
    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.options = CreateOptions(module.params)
        self.dest = module.params["dest"]
        self.client = None
        self.warnings = []
        self.result = dict(changed=False, dest=self.dest, task_id=None, reasons=[])
        self.diff = dict(before={}, after={}, before_header=self.dest, after_header=self.dest)

    # ---- entry point -------------------------------------------------------------------------------------------
    def run(self):
        if BENCODE_IMPORT_ERROR is not None:
            self.module.fail_json(msg=missing_required_lib("fastbencode", url="https://pypi.org/project/fastbencode/"),
                                  exception=BENCODE_IMPORT_ERROR)
        try:
            self.options.validate()
        except OptionError as exc:
            self.module.fail_json(msg=str(exc), **self.result)
        if self.params["state"] == "absent":
            self.absent()
        else:
            self.present()
        self.finish()

    def fail(self, msg, **extra):
        result = dict(self.result)
        result.update(extra)
        result["changed"] = False  # failures never leave a change behind
        if self.client is not None:
            result.update(self.client.server_facts())
        self.module.fail_json(msg=msg, **result)

    def finish(self):
        for warning in self.warnings:
            self.module.warn(warning)
        if self.module._diff:
            self.result["diff"] = self.diff
        self.module.exit_json(**self.result)

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
        if not self.module.check_mode:
            backup_file = remove_file(self.module, self.dest, backup=self.params["backup"])[1]
            if backup_file:
                self.result["backup_file"] = backup_file

    # ---- state=present -----------------------------------------------------------------------------------------
    def present(self):
        self.client = QbtClient(self.module, need_creator=True)
        self.result.update(self.client.server_facts())
        try:
            self.warnings.extend(self.options.validate_for_server(self.client, self.libtorrent_version()))
        except OptionError as exc:
            self.fail(str(exc))

        tree = self.scan_source()
        existing, unreadable = self.read_existing()
        if existing is not None:
            self.diff["before"] = self.describe(existing)
        if existing is None:
            reasons = [unreadable or "dest does not exist"]
        elif self.params["force"]:
            reasons = ["force=true"]
        else:
            reasons = needs_regeneration(existing, self.options, tree)

        if reasons:
            self.result["reasons"] = reasons
            self.regenerate(tree)
            return
        changes = metadata_changes(existing, self.options)
        if changes:
            self.result["reasons"] = ["%s changed (rewritten in place, same info hash)" % field for field in sorted(changes)]
            self.rewrite(existing, changes)
        else:
            self.report(existing)
            self.diff["after"] = self.diff["before"]
            self.apply_file_attributes()

    def libtorrent_version(self):
        try:
            info = self.client.api.app_build_info()
        except Exception:  # pylint: disable=broad-except
            return None
        value = (info or {}).get("libtorrent")
        return version_tuple(value) if value else None

    def scan_source(self):
        """The source as the module sees it, or None when it cannot (or must not) look."""
        mode = self.params["source_check"]
        path = self.options.source_path
        self.result["source_checked"] = False
        if mode == "never":
            return None
        if not os.path.exists(path):
            if mode == "always":
                self.fail("source_check=always but source_path %s is not visible on the host running the module; "
                          "run it on the qBittorrent host (delegate_to) or use source_check=auto" % path)
            return None
        try:
            tree = scan_source(path, include_dotfiles=self.options.include_dotfiles)
        except SourceTreeError as exc:
            self.fail("source_path: %s" % exc)
        self.result["source_checked"] = True
        if tree.latest_mtime is not None and tree.latest_mtime > time.time() + 2:
            self.warnings.append("files in %s have modification times in the future; fix the clock, or content "
                                 "changes of same-sized files go unnoticed" % path)
            tree.latest_mtime = None
        return tree

    def read_existing(self):
        """(TorrentMeta or None, reason it could not be read or None)."""
        if not os.path.lexists(self.dest):
            return None, None
        try:
            return TorrentMeta.from_file(self.dest), None
        except TorrentMetaError as exc:
            return None, "dest is not a readable .torrent (%s)" % exc
        except (IOError, OSError) as exc:
            return None, "dest cannot be read (%s)" % exc

    # ---- the three outcomes ------------------------------------------------------------------------------------
    def regenerate(self, tree):
        self.result["changed"] = True
        if self.module.check_mode:
            self.diff["after"] = self.options.wanted()
            self.diff["after"]["info_hash_v1"] = self.diff["after"]["info_hash_v2"] = "(known once created)"
            if tree is not None:
                self.diff["after"].update(file_count=tree.file_count, total_size=tree.total_size)
            return
        data = self.create(tree)
        try:
            meta = TorrentMeta.from_bytes(data)
        except TorrentMetaError as exc:
            self.fail("qBittorrent returned an unreadable .torrent: %s" % exc)
        changes = metadata_changes(meta, self.options)
        if changes:
            # the server altered a URL or the comment (version quirks): make the file say exactly what was asked
            data = meta.with_metadata(**changes)
            meta = TorrentMeta.from_bytes(data)
        self.write(data)
        self.report(meta)
        self.diff["after"] = self.describe(meta)
        if self.params["start_seeding"]:
            self.wait_for_session(meta)
        self.apply_file_attributes()

    def wait_for_session(self, meta, limit=15.0):
        """The server adds the new torrent to its session after the task finished: wait until it shows."""
        api = self.client.api
        ids = session_ids(meta.info_hash_v1, meta.info_hash_v2)
        try:
            seeding = wait_for(lambda: api.torrents_info(torrent_hashes=ids), limit, first=0.02)
        except Exception as exc:  # pylint: disable=broad-except
            self.warnings.append("could not check that the torrent is seeding: %s" % exc)
            return
        if seeding:
            self.result["seeding"] = True
        else:
            self.warnings.append("start_seeding: the torrent did not appear in qBittorrent's session within %d s"
                                 % limit)

    def rewrite(self, existing, changes):
        self.result["changed"] = True
        data = existing.with_metadata(**changes)
        meta = TorrentMeta.from_bytes(data)
        self.report(meta)
        self.diff["after"] = self.describe(meta)
        if self.module.check_mode:
            return
        self.write(data)
        self.sync_session(meta)
        self.apply_file_attributes()

    def create(self, tree=None):
        """Run one creator task and return the .torrent bytes; the task never outlives this call."""
        api = self.client.api
        params = self.options.add_task_params(self.client)
        task = CreatorTask(api, self.params["timeout"])
        try:
            with task:
                self.result["task_id"] = task.add(**params)
                task.wait()
                data = task.torrent_file()
            return data
        except CreatorError as exc:
            if exc.seeding_conflict:
                data = self.export_from_session(tree)
                if data is not None:
                    return data
            self.fail(exc.msg, task=exc.task)
        except Interrupted as exc:
            self.fail("interrupted (%s); the creator task was cancelled and deleted" % exc)
        except KeyboardInterrupt:
            self.fail("interrupted; the creator task was cancelled and deleted")
        except Exception as exc:  # pylint: disable=broad-except
            self.client.fail(exc, **self.result)
        finally:
            if task.delete_error is not None:
                self.warnings.append("could not delete creator task: %s" % task.delete_error)
        return None

    def export_from_session(self, tree):
        """The task failed only because the torrent it built is already in the session: export that one."""
        api = self.client.api
        wanted_path = self.options.source_path.rstrip("/")
        try:
            candidates = [t for t in api.torrents_info()
                          if (t.get("content_path") or "").rstrip("/") == wanted_path]
        except Exception:  # pylint: disable=broad-except
            return None
        for torrent in candidates:
            try:
                data = api.torrents_export(torrent_hash=torrent["hash"])
                meta = TorrentMeta.from_bytes(data)
            except Exception:  # pylint: disable=broad-except
                continue
            if not needs_regeneration(meta, self.options, tree):
                self.warnings.append(
                    "this torrent (%s) was already in qBittorrent's session, so the server did not start a second "
                    "copy; its .torrent was exported from the session instead" % torrent["hash"])
                self.result["exported_from_session"] = True
                return data
        return None

    def sync_session(self, meta):
        """When the torrent seeds in this qBittorrent, make its trackers (tiers) and web seeds follow the file.

        Uses qbt_torrent's planning and encoding (``_session``), which know how each endpoint parses URLs per version.
        The session applies edits asynchronously (seen on 5.1), so the result is polled for a few seconds.
        """
        api = self.client.api
        try:
            found = api.torrents_info(torrent_hashes=session_ids(meta.info_hash_v1, meta.info_hash_v2))
            if not found:
                return
            torrent_id = found[0]["hash"]
            remove, add = plan_trackers(api.torrents_trackers(torrent_hash=torrent_id), meta.trackers)
            if remove:
                api.torrents_remove_trackers(torrent_hash=torrent_id,
                                             urls=encode_tracker_removal(remove, self.client.version))
            if add:
                api.torrents_add_trackers(torrent_hash=torrent_id, urls=add)
            settled = wait_for(lambda: plan_trackers(api.torrents_trackers(torrent_hash=torrent_id),
                                                     meta.trackers) == ([], None), 5.0)
            if self.client.webapi >= WEBSEEDS_WEBAPI:
                def seed_plan():
                    seeds = [requote(entry["url"]) for entry in api.torrents_webseeds(torrent_hash=torrent_id)]
                    return plan_url_seeds(seeds, meta.url_seeds)

                remove, add = seed_plan()
                if remove:
                    api.torrents_remove_webseeds(torrent_hash=torrent_id, urls=encode_urls(remove))
                if add:
                    api.torrents_add_webseeds(torrent_hash=torrent_id, urls=encode_urls(add))
                settled = wait_for(lambda: seed_plan() == ([], []), 5.0) and settled
            if settled:
                self.result["session_updated"] = True
            else:
                self.warnings.append("the seeding copy in qBittorrent did not take every tracker / web seed change")
        except Exception as exc:  # pylint: disable=broad-except
            self.warnings.append("the .torrent was updated but the seeding copy in qBittorrent could not be: %s" % exc)

    # ---- output ------------------------------------------------------------------------------------------------
    def write(self, data):
        try:
            backup_file = write_file_atomic(self.module, self.dest, data, backup=self.params["backup"])
        except (IOError, OSError) as exc:
            self.fail("cannot write dest %s: %s" % (self.dest, exc))
        if backup_file:
            self.result["backup_file"] = backup_file

    def apply_file_attributes(self):
        if os.path.exists(self.dest):
            file_args = self.module.load_file_common_arguments(self.params, path=self.dest)
            self.result["changed"] = self.module.set_fs_attributes_if_different(file_args, self.result["changed"])

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
