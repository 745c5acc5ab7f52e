# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The creator task lifecycle (add, wait, fetch, always delete) and the normalised task status.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import datetime
import signal
import time
import typing as t

try:
    import qbittorrentapi
except ImportError:  # reported by _client.QbtClient
    qbittorrentapi = None

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import CreatorError, Interrupted, ServerError

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient

# Status keys as qBittorrent sends them -> the snake_case keys the modules return.
_KEYS = {
    "taskID": "task_id",
    "sourcePath": "source_path",
    "torrentFilePath": "torrent_file_path",
    "pieceSize": "piece_size",
    "timeAdded": "time_added",
    "timeStarted": "time_started",
    "timeFinished": "time_finished",
    "errorMessage": "error_message",
    "urlSeeds": "url_seeds",
    "optimizeAlignment": "optimize_alignment",
    "paddedFileSizeLimit": "padded_file_size_limit",
    "ignoreDotfiles": "ignore_dotfiles",
}

SEEDING_FAILED = "Failed to start seeding"


def iso_time(value: object) -> str | None:
    """Server time -> ISO 8601 UTC.

    qBittorrent 5.3 sends epoch seconds; 5.0-5.1 send ``QDateTime::toString()`` text such as
    ``Fri Nov 27 15:15:06 2026`` in the server's local time, which carries no zone: it is read as UTC.
    Anything unreadable is returned unchanged.
    """
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
        stamp = datetime.datetime.fromtimestamp(int(value), tz=datetime.timezone.utc)
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = " ".join(str(value).split())
    for fmt in ("%a %b %d %H:%M:%S %Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            stamp = datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        stamp = datetime.datetime.fromisoformat(text)
    except ValueError:
        return value
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(datetime.timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def normalise_task(raw: dict) -> dict:
    """One task of ``torrentcreator/status`` in the same shape whatever the server version."""
    task = {}
    for key, value in dict(raw).items():
        task[_KEYS.get(key, key)] = value
    for key in ("time_added", "time_started", "time_finished"):
        task[key] = iso_time(task.get(key))
    for key in ("trackers", "url_seeds"):
        task[key] = [item for item in (task.get(key) or []) if item]  # 5.1 sends [''] for none
    if "status" in task:
        task["status"] = str(task["status"]).lower()
    task.setdefault("source_path", None)
    for key in ("comment", "source", "torrent_file_path", "format", "time_started", "time_finished"):
        task.setdefault(key, None)
    if task.get("status") != "running":
        task.pop("progress", None)
    if task.get("status") != "failed":
        task.pop("error_message", None)
    return task


def creator_tasks(client: QbtClient, task_id: str | None = None) -> list[dict]:
    """The normalised status of the server's creator tasks (``task_id``: that one only); ServerError with the server's
    facts when it has no such task or the request fails."""
    try:
        raw = client.api.torrentcreator_status(task_id=task_id)
    except qbittorrentapi.NotFound404Error:
        raise ServerError("qBittorrent has no creator task %s (tasks are lost when the server restarts)" % task_id,
                          **client.server_facts()) from None
    except Exception as exc:  # pylint: disable=broad-except
        raise ServerError(client.describe(exc), **client.server_facts()) from None
    return [normalise_task(task) for task in raw or []]


def undeleted_tasks(task_ids: list[str], why: str = "") -> str:
    """The one sentence (without its full stop) for creator tasks a run could not delete: they may still be on the
    server, and how to get rid of them. ``why``: what went wrong, in words, or "either"."""
    one = len(task_ids) == 1
    them = "it" if one else "them"
    return ("creator task%s %s could not be deleted%s: %s may still be on the server; delete %s once qBittorrent "
            "answers (qbt_torrent_create_info lists %s; a restart of qBittorrent also drops %s)"
            % ("" if one else "s", ", ".join(task_ids), " " + why if why else "", them if one else "they", them,
               them, them))


def _shield_signals():
    """Ignore SIGTERM and SIGINT while creator tasks are deleted on the way out: ansible-playbook's worker forwards a
    SIGTERM to the module's process group right after the module got its own, and a second signal raised inside the
    deletion would abort it and leave the tasks running. Returns the SIGINT handler to restore afterwards."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    return signal.SIG_DFL if old_int is None else old_int


def _trap_sigterm():
    """SIGTERM raises Interrupted from here on; returns the handler to restore, None when signals cannot be handled
    here (not the main thread: unit tests)."""
    try:
        old = signal.signal(signal.SIGTERM, CreatorTask._on_sigterm)
    except ValueError:
        return None
    return signal.SIG_DFL if old is None else old  # None: installed outside Python


def _restore_signals(old_term, old_int):
    if old_term is not None:
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)


class CreatorTask:
    """Runs one creator task to completion and never leaves it behind.

    Use as a context manager: whatever happens inside (success, failure, timeout, SIGINT/SIGTERM), the task is
    deleted on the way out; deleting a queued or running task cancels it on the server.
    """

    def __init__(self, api, timeout, sleep=time.sleep, clock=time.monotonic):
        self.api = api
        self.timeout = timeout
        self.sleep = sleep
        self.clock = clock
        self.deadline = None
        self.task_id = None
        self._old_handler = None
        self.delete_error = None

    def __enter__(self):
        self.deadline = self.clock() + self.timeout
        self._old_handler = _trap_sigterm()
        return self

    def __exit__(self, exc_type, exc, tb):
        old_int = _shield_signals() if self._old_handler is not None else None
        try:
            if exc_type is None:
                self.delete()
            else:
                try:
                    self.delete()
                except Exception as delete_exc:  # keep the original error; say the task may be left
                    self.delete_error = delete_exc
        finally:
            _restore_signals(self._old_handler, old_int)
        return False

    @staticmethod
    def _on_sigterm(signum, frame):
        raise Interrupted("terminated by signal %d" % signum)

    def remaining(self):
        return self.deadline - self.clock()

    def add(self, **params):
        """addTask; a 409 (256 unfinished tasks on the server) is retried until the timeout."""
        delay = 0.5
        while True:
            try:
                created = self.api.torrentcreator_add_task(**params)
            except qbittorrentapi.Conflict409Error:
                if self.remaining() <= delay:
                    raise CreatorError(
                        "qBittorrent's creator queue stayed full (too many active tasks) for timeout=%d s; "
                        "wait for other creations to finish or raise timeout" % self.timeout)
                self.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if created is None or not created.get("taskID"):
                raise CreatorError("qBittorrent did not return a task id for addTask (is it 5.0.0 or newer?)")
            self.task_id = created["taskID"]
            return self.task_id

    def status(self):
        try:
            found = self.api.torrentcreator_status(task_id=self.task_id)
        except qbittorrentapi.NotFound404Error:
            raise CreatorError(
                "creator task %s disappeared from qBittorrent (the server was probably restarted, or someone deleted "
                "the task): run the task again" % self.task_id)
        if not found:
            raise CreatorError("creator task %s disappeared from qBittorrent: run the task again" % self.task_id)
        return found[0]

    def wait(self):
        """Poll until Finished/Failed.

        Short intervals first (5 ms growing to 50 ms) so a small job is noticed within ~50 ms; on a long job the
        interval follows the server's progress estimate (half the remaining time, at most 2 s) and tightens again
        near the end, so the server is not hammered and the end is still noticed promptly.
        """
        interval = 0.005
        started = None
        while True:
            status = self.status()
            state = status.get("status")
            if state == "Finished":
                return status
            if state == "Failed":
                message = status.get("errorMessage") or "no error message"
                raise CreatorError(self._explain_failure(message, status), task=normalise_task(status),
                                   seeding_conflict=SEEDING_FAILED.lower() in message.lower())
            now = self.clock()
            if now >= self.deadline:
                progress = status.get("progress")
                raise CreatorError(
                    "torrent creation did not finish within timeout=%s s (%s); the task was cancelled. Raise timeout "
                    "for large sources" % (self.timeout, "progress %.0f%%" % progress if progress is not None else state))
            if state == "Running" and started is None:
                started = now
            progress = status.get("progress") or 0
            if state == "Running" and started is not None and progress > 0 and now - started > 0.5:
                elapsed = now - started
                left = elapsed * (100.0 - progress) / progress
                interval = min(max(left / 2.0, 0.01), 2.0) if left > 0.1 else 0.01
            else:
                interval = min(interval * 1.5, 0.05 if state != "Queued" else 0.25)
            self.sleep(max(0.0, min(interval, self.deadline - now)))

    @staticmethod
    def _explain_failure(message, status):
        path = status.get("sourcePath")
        lower = message.lower()
        if SEEDING_FAILED.lower() in lower:
            hint = "the same torrent is probably already in qBittorrent's session"
        elif "no files" in lower or "filtered out" in lower:
            hint = ("source_path %s does not exist on the qBittorrent host, is empty, or holds only dotfiles"
                    % path)
        elif "piece" in lower:
            hint = "choose another piece_size, or 0 for automatic"
        elif "permission" in lower or "denied" in lower:
            hint = "qBittorrent cannot read the source (check file permissions for the qBittorrent user)"
        else:
            hint = "check source_path on the qBittorrent host and the options"
        return "qBittorrent failed to create the torrent: %s (%s)" % (message, hint)

    def torrent_file(self) -> bytes:
        return self.api.torrentcreator_torrent_file(task_id=self.task_id)

    def delete(self):
        """Delete (and so cancel) the task; a task already gone is fine."""
        if self.task_id is None:
            return
        task_id, self.task_id = self.task_id, None
        try:
            self.api.torrentcreator_delete_task(task_id=task_id)
        except qbittorrentapi.NotFound404Error:
            pass


class CreatorBatch:
    """Many creator tasks queued at once and never left behind (the many-release backend).

    The server runs creator tasks one at a time; queuing them all (up to ``max_queued``, below the server's limit of
    256 unfinished tasks) keeps its worker busy without a round trip through Ansible between two releases. One
    ``torrentcreator/status`` call polls every task. Each task gets its own ``timeout``, counted while it runs, not
    while it waits in the queue. Use as a context manager: on the way out (also on an error, SIGINT or SIGTERM) every
    task still on the server is deleted, which cancels it; ``delete_errors`` maps task ids to what went wrong.
    """

    def __init__(self, api, max_queued=64, sleep=time.sleep, clock=time.monotonic):
        self.api = api
        self.max_queued = max_queued
        self.sleep = sleep
        self.clock = clock
        self.active = {}  # task id -> (key, CreatorTask)
        self.delete_errors = {}
        self._old_handler = None

    def __enter__(self):
        self._old_handler = _trap_sigterm()
        return self

    def __exit__(self, exc_type, exc, tb):
        old_int = _shield_signals() if self._old_handler is not None else None
        try:
            for task_id, (dummy, task) in list(self.active.items()):
                try:
                    task.delete()
                except Exception as delete_exc:  # pylint: disable=broad-except
                    self.delete_errors[task_id] = delete_exc
            self.active.clear()
        finally:
            _restore_signals(self._old_handler, old_int)
        return False

    def run(self, jobs):
        """``jobs``: iterable of (key, addTask keyword arguments, timeout). Yields (key, task id, .torrent bytes or a
        CreatorError) as tasks end, in the order they end."""
        pending = list(jobs)
        pending.reverse()
        interval = 0.005
        while pending or self.active:
            while pending and len(self.active) < self.max_queued:
                key, params, timeout = pending.pop()
                task = CreatorTask(self.api, timeout, sleep=self.sleep, clock=self.clock)
                task.deadline = self.clock() + timeout
                try:
                    task_id = task.add(**params)
                except CreatorError as exc:
                    yield key, None, exc
                    continue
                self.active[task_id] = (key, task)
            statuses = {status.get("taskID"): status for status in self.api.torrentcreator_status() or []}
            ended = False
            for task_id, (key, task) in list(self.active.items()):
                status = statuses.get(task_id)
                state = status.get("status") if status else None
                outcome = None
                if status is None:
                    outcome = CreatorError("creator task %s disappeared from qBittorrent (restarted, or someone deleted "
                                           "the task): run again" % task_id)
                elif state == "Finished":
                    try:
                        outcome = task.torrent_file()
                    except qbittorrentapi.NotFound404Error:  # deleted between the status call and this one
                        outcome = CreatorError("creator task %s disappeared from qBittorrent before its .torrent was "
                                               "fetched (restarted, or someone deleted the task): run again" % task_id)
                elif state == "Failed":
                    message = status.get("errorMessage") or "no error message"
                    outcome = CreatorError(task._explain_failure(message, status), task=normalise_task(status),
                                           seeding_conflict=SEEDING_FAILED.lower() in message.lower())
                elif state == "Queued":
                    task.deadline = self.clock() + task.timeout  # waiting for the worker does not count
                elif self.clock() >= task.deadline:
                    progress = status.get("progress")
                    outcome = CreatorError(
                        "torrent creation did not finish within timeout=%s s (%s); the task was cancelled. Raise "
                        "timeout for large sources" % (task.timeout, "progress %.0f%%" % progress
                                                       if progress is not None else state))
                if outcome is None:
                    continue
                try:
                    task.delete()
                except BaseException:
                    task.task_id = task_id  # still on the server: __exit__ tries again and records it in delete_errors
                    raise
                del self.active[task_id]
                ended = True
                interval = 0.005
                yield key, task_id, outcome
            if self.active and not ended:
                self.sleep(interval)
                interval = min(interval * 1.5, 0.25)
