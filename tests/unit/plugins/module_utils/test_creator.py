# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CreatorTask and normalise_task in situations a live server cannot be made to produce on demand: a creator queue
that stays full (409 "too many active tasks"), a task that vanishes because the server restarted, a task that is
still running when the timeout runs out, a SIGTERM or Ctrl-C in the middle of a task, the exact polling intervals of a
long job, and the status shapes of two server versions side by side. The shared fake qBittorrent (fake_qbt.py) runs
scripted creator tasks and a fake clock makes every test instant. The real lifecycle is tested against real servers in
tests/integration/targets/qbt_torrent_create.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import posixpath
import re
import signal

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._creator import (
    CreatorBatch,
    CreatorTask,
    creator_tasks,
    iso_time,
    normalise_task,
    undeleted_tasks,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import CreatorError, Interrupted, ServerError
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_qbt import (
    FakeQbt,
    FakeTime,
    conflict,
    not_found,
)

qbittorrentapi = pytest.importorskip("qbittorrentapi")


def one_task(states=None, add_answers=(), delete_error=None):
    """The fake qBittorrent's creator for tasks added without their own script (task-1, task-2, ...): ``states`` are
    what the status calls show, one per call and the last one repeating, or a callable(server) giving the state (or
    raising); ``add_answers``: exceptions the first addTask calls raise, one each, before the server takes the task;
    ``delete_error``: what every deleteTask raises."""
    qbt = FakeQbt()
    qbt.creator_script = states
    for number, answer in enumerate(add_answers, 1):
        qbt.fail("torrentcreator_add_task", answer, at=number)
    if delete_error is not None:
        qbt.fail("torrentcreator_delete_task", delete_error)
    return qbt


def sequence(*states, **extra):
    """One status per poll, the last one repeating; ``extra`` fields in each."""
    return [dict(status=state, **extra) for state in states]


def deleted(qbt):
    return [kwargs["task_id"] for kwargs in qbt.called("torrentcreator_delete_task")]


def fetched(qbt):
    return [kwargs["task_id"] for kwargs in qbt.called("torrentcreator_torrent_file")]


def status_calls(qbt):
    return len(qbt.called("torrentcreator_status"))


def add_calls(qbt):
    return qbt.called("torrentcreator_add_task")


def task_for(api, clock, timeout=60.0):
    return CreatorTask(api, timeout, sleep=clock.sleep, clock=clock.clock)


# ---------------------------------------------------------------- addTask and the full queue

def test_success_fetches_and_deletes():
    clock = FakeTime(1000.0)
    api = one_task(sequence("Queued", "Running", "Finished"))
    api.built["/data/x"] = b"d4:infod4:name1:xee"
    with task_for(api, clock) as task:
        assert task.add(source_path="/data/x", format="v1") == "task-x"
        status = task.wait()
        data = task.torrent_file()
    assert status["status"] == "Finished"
    assert data == b"d4:infod4:name1:xee"
    assert add_calls(api) == [dict(source_path="/data/x", format="v1")]
    assert fetched(api) == ["task-x"]
    assert deleted(api) == ["task-x"] and api.tasks == {}
    assert task.task_id is None


def test_full_queue_is_retried_until_the_server_accepts():
    clock = FakeTime(1000.0)
    api = one_task(add_answers=[conflict(), conflict(), conflict()])
    with task_for(api, clock, timeout=60) as task:
        assert task.add(source_path="/data/x") == "task-x"
        task.wait()
    assert len(add_calls(api)) == 4
    assert clock.sleeps[:3] == [0.5, 1.0, 2.0]  # backs off between attempts
    assert deleted(api) == ["task-x"] and api.tasks == {}


def test_full_queue_backoff_is_capped():
    clock = FakeTime(1000.0)
    api = one_task(add_answers=[conflict()] * 8)
    with task_for(api, clock, timeout=600) as task:
        task.add()
    assert max(clock.sleeps) == 5.0


def test_full_queue_until_the_timeout_is_a_clear_error():
    clock = FakeTime(1000.0)
    api = one_task()
    api.fail("torrentcreator_add_task", conflict())  # the queue stays full
    with pytest.raises(CreatorError) as caught:
        with task_for(api, clock, timeout=10) as task:
            task.add(source_path="/data/x")
    message = caught.value.msg
    assert "too many active tasks" in message
    assert "timeout=10" in message
    assert "timeout" in str(caught.value)
    assert sum(clock.sleeps) <= 10  # gives up within the timeout, not after it
    assert len(add_calls(api)) > 1
    assert deleted(api) == [] and api.tasks == {}  # no task was ever created


@pytest.mark.parametrize("answer", [None, {}, {"taskID": ""}])
def test_add_without_task_id(answer):
    clock = FakeTime(1000.0)
    api = one_task()
    api.torrentcreator_add_task = lambda **params: answer  # a server answering addTask without an id
    with pytest.raises(CreatorError, match="did not return a task id"):
        with task_for(api, clock) as task:
            task.add()


# ---------------------------------------------------------------- status: vanished, failed, timeout

def test_task_gone_after_a_restart():
    clock = FakeTime(1000.0)
    api = one_task()
    api.before("torrentcreator_status", lambda server, task_id=None: server.tasks.clear())  # restarted: tasks gone
    with pytest.raises(CreatorError) as caught:
        with task_for(api, clock) as task:
            task.add()
            task.wait()
    assert "task-1" in caught.value.msg
    assert "disappeared" in caught.value.msg
    assert "probably restarted" in caught.value.msg
    assert deleted(api) == ["task-1"]  # tried anyway; a 404 there is fine


def test_task_missing_from_an_empty_status_list():
    clock = FakeTime(1000.0)
    api = one_task([None])  # the task is not in the list
    with pytest.raises(CreatorError, match="disappeared"):
        with task_for(api, clock) as task:
            task.add()
            task.wait()


@pytest.mark.parametrize("server_message, hint, seeding", [
    ("Failed to start seeding. Torrent is already present.", "already in qBittorrent's session", True),
    ("Create new torrent file failed. Reason: no files in torrent.", "does not exist on the qBittorrent host", False),
    ("Create new torrent file failed. Reason: Invalid piece size.", "choose another piece_size", False),
    ("Create new torrent file failed. Reason: Permission denied.", "check file permissions", False),
    ("Something else", "check source_path", False),
])
def test_failed_task(server_message, hint, seeding):
    clock = FakeTime(1000.0)
    api = one_task(sequence("Running", "Failed", errorMessage=server_message, sourcePath="/data/x",
                            timeAdded=1795000000, progress=40))
    with pytest.raises(CreatorError) as caught:
        with task_for(api, clock) as task:
            task.add()
            task.wait()
    error = caught.value
    assert server_message in error.msg
    assert hint in error.msg
    assert error.msg.startswith("qBittorrent failed to create the torrent")
    assert error.seeding_conflict is seeding
    assert error.task["status"] == "failed"
    assert error.task["error_message"] == server_message
    assert "progress" not in error.task
    assert deleted(api) == ["task-1"]


def test_failed_without_message():
    clock = FakeTime(1000.0)
    api = one_task(sequence("Failed"))
    with pytest.raises(CreatorError, match="no error message") as caught:
        with task_for(api, clock) as task:
            task.add()
            task.wait()
    assert caught.value.seeding_conflict is False


def test_timeout_while_running_cancels_the_task():
    clock = FakeTime(1000.0)
    api = one_task(sequence("Running", progress=37.4))
    with pytest.raises(CreatorError) as caught:
        with task_for(api, clock, timeout=5) as task:
            task.add()
            try:
                task.wait()
            finally:
                assert deleted(api) == []  # still there until the with block is left
    message = caught.value.msg
    assert "timeout=5" in message
    assert "cancelled" in message
    assert "progress 37%" in message
    assert deleted(api) == ["task-1"]
    assert 5 <= clock.elapsed < 5.1  # the last sleep is cut to the deadline


def test_timeout_while_queued_names_the_state():
    clock = FakeTime(1000.0)
    api = one_task(sequence("Queued"))
    with pytest.raises(CreatorError, match=r"timeout=2 s \(Queued\).*cancelled"):
        with task_for(api, clock, timeout=2) as task:
            task.add()
            task.wait()
    assert deleted(api) == ["task-1"]


# ---------------------------------------------------------------- always deleted

def test_deleted_after_keyboard_interrupt():
    clock = FakeTime(1000.0)

    def statuses(server):
        raise KeyboardInterrupt()

    api = one_task(statuses)
    with pytest.raises(KeyboardInterrupt):
        with task_for(api, clock) as task:
            task.add()
            task.wait()
    assert deleted(api) == ["task-1"]


def test_deleted_after_sigterm_and_old_handler_restored():
    clock = FakeTime(1000.0)
    seen = []

    def previous_handler(signum, frame):  # pragma: no cover - must not be called while the task runs
        seen.append(signum)

    def statuses(server):
        os.kill(os.getpid(), signal.SIGTERM)
        return "Running"

    saved = signal.signal(signal.SIGTERM, previous_handler)
    try:
        api = one_task(statuses)
        with pytest.raises(Interrupted, match="signal %d" % signal.SIGTERM):
            with task_for(api, clock, timeout=60) as task:
                task.add()
                task.wait()
        assert deleted(api) == ["task-1"]
        assert status_calls(api) == 1
        assert seen == []
        assert signal.getsignal(signal.SIGTERM) is previous_handler
    finally:
        signal.signal(signal.SIGTERM, saved)


def test_handler_restored_after_success():
    clock = FakeTime(1000.0)
    before = signal.getsignal(signal.SIGTERM)
    with task_for(one_task(), clock) as task:
        assert signal.getsignal(signal.SIGTERM) is not before
        task.add()
        task.wait()
    assert signal.getsignal(signal.SIGTERM) == before


def test_already_gone_task_deletes_fine():
    clock = FakeTime(1000.0)
    api = one_task(delete_error=not_found())
    with task_for(api, clock) as task:
        task.add()
        task.wait()
    assert deleted(api) == ["task-1"]
    assert task.delete_error is None


def test_delete_failure_after_success_is_raised():
    clock = FakeTime(1000.0)
    api = one_task(delete_error=qbittorrentapi.APIConnectionError("connection refused"))
    with pytest.raises(qbittorrentapi.APIConnectionError):
        with task_for(api, clock) as task:
            task.add()
            task.wait()


def test_delete_failure_keeps_the_original_error():
    clock = FakeTime(1000.0)
    problem = qbittorrentapi.APIConnectionError("connection refused")
    api = one_task(sequence("Failed", errorMessage="boom"), delete_error=problem)
    with pytest.raises(CreatorError, match="boom"):
        with task_for(api, clock) as task:
            task.add()
            task.wait()
    assert task.delete_error is problem


def test_nothing_to_delete_without_a_task():
    clock = FakeTime(1000.0)
    api = one_task()
    with pytest.raises(ValueError):
        with task_for(api, clock):
            raise ValueError("before add")
    assert deleted(api) == []


def test_delete_is_done_once():
    clock = FakeTime(1000.0)
    api = one_task()
    with task_for(api, clock) as task:
        task.add()
        task.wait()
        task.delete()
    assert deleted(api) == ["task-1"]


# ---------------------------------------------------------------- polling intervals

def test_small_job_is_noticed_quickly():
    clock = FakeTime(1000.0)
    api = one_task(sequence("Running", "Running", "Finished"))
    with task_for(api, clock) as task:
        task.add()
        task.wait()
    assert status_calls(api) == 3
    assert len(clock.sleeps) == 2
    assert sum(clock.sleeps) < 0.05


def test_short_intervals_stay_short_without_progress():
    clock = FakeTime(1000.0)
    api = one_task(sequence(*(["Running"] * 30 + ["Finished"])))
    with task_for(api, clock) as task:
        task.add()
        task.wait()
    assert clock.sleeps[0] < 0.01
    assert max(clock.sleeps) <= 0.05


def test_queued_job_polls_at_most_every_quarter_second():
    clock = FakeTime(1000.0)
    api = one_task(sequence(*(["Queued"] * 30 + ["Finished"])))
    with task_for(api, clock) as task:
        task.add()
        task.wait()
    assert max(clock.sleeps) == 0.25


def test_long_job_interval_follows_progress_but_stays_within_2s():
    clock = FakeTime(1000.0)
    duration = 300.0  # a five-minute job reporting linear progress

    def statuses(server):
        elapsed = clock.now - started[0]
        if elapsed >= duration:
            return "Finished"
        return dict(status="Running", progress=100.0 * elapsed / duration)

    started = []
    api = one_task(statuses)
    with task_for(api, clock, timeout=3600) as task:
        task.add()
        started.append(clock.now)
        task.wait()
    sleeps = clock.sleeps
    assert max(sleeps) <= 2.0
    assert max(sleeps) == 2.0  # grew to the cap on a long job
    assert sleeps[0] < 0.01  # started short
    assert status_calls(api) < duration  # far fewer polls than with a fixed short interval
    assert clock.elapsed - duration <= 2.0  # the end is noticed within one interval
    assert sleeps[-1] < 2.0  # tightens near the end


# ---------------------------------------------------------------- normalise_task and iso_time

STATUS_51 = {
    "taskID": "a1b2",
    "sourcePath": "/data/release",
    "pieceSize": 0,
    "private": False,
    "format": "hybrid",
    "timeAdded": "Fri Nov 27 15:39:41 2026",
    "timeStarted": "Fri Nov 27 15:39:42 2026",
    "timeFinished": "Fri Nov 27 15:39:45 2026",
    "trackers": [""],
    "urlSeeds": [""],
    "status": "Finished",
}

STATUS_53 = {
    "taskID": "a1b2",
    "sourcePath": "/data/release",
    "pieceSize": 0,
    "private": False,
    "format": "hybrid",
    "timeAdded": 1795793981,
    "timeStarted": 1795793982,
    "timeFinished": 1795793985,
    "trackers": [],
    "urlSeeds": [],
    "ignoreDotfiles": True,
    "status": "Finished",
}

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _no_placeholders(task):
    for key, value in task.items():
        assert value != "", key
        if isinstance(value, list):
            assert "" not in value, key


def test_5_1_and_5_3_statuses_have_the_same_shape():
    old, new = normalise_task(STATUS_51), normalise_task(STATUS_53)
    assert new.pop("ignore_dotfiles") is True  # only 5.3 has it
    assert old == new
    assert old["time_added"] == "2026-11-27T15:39:41Z"
    assert old["time_finished"] == "2026-11-27T15:39:45Z"
    assert old["trackers"] == [] and old["url_seeds"] == []
    assert old["status"] == "finished"
    for task in (old, new):
        _no_placeholders(task)
        assert all(re.match(r"^[a-z0-9_]+$", key) for key in task), task
        for key in ("time_added", "time_started", "time_finished"):
            assert ISO_Z.match(task[key]), (key, task[key])
        for key in ("comment", "source", "torrent_file_path"):
            assert key in task and task[key] is None
        assert "progress" not in task and "error_message" not in task


def test_trackers_and_seeds_without_placeholders():
    raw = dict(STATUS_51, trackers=["udp://t.example:1337/announce", "", "http://t2.example/announce"],
               urlSeeds=["http://mirror.example/"])
    task = normalise_task(raw)
    assert task["trackers"] == ["udp://t.example:1337/announce", "http://t2.example/announce"]
    assert task["url_seeds"] == ["http://mirror.example/"]


@pytest.mark.parametrize("raw", [STATUS_51, STATUS_53])
def test_progress_only_while_running(raw):
    running = normalise_task(dict(raw, status="Running", progress=42, timeFinished=""))
    assert running["status"] == "running"
    assert running["progress"] == 42
    assert running["time_finished"] is None
    queued = normalise_task(dict(raw, status="Queued", progress=0, timeStarted="", timeFinished=""))
    assert queued["status"] == "queued"
    assert "progress" not in queued
    assert queued["time_started"] is None and queued["time_finished"] is None
    _no_placeholders(queued)


@pytest.mark.parametrize("raw", [STATUS_51, STATUS_53])
def test_error_message_only_when_failed(raw):
    failed = normalise_task(dict(raw, status="Failed", errorMessage="no files", progress=10))
    assert failed["status"] == "failed"
    assert failed["error_message"] == "no files"
    assert "progress" not in failed
    finished = normalise_task(dict(raw, errorMessage=""))
    assert "error_message" not in finished


class StatusClient:
    """A client whose torrentcreator/status answers ``answer`` (a list, or an exception to raise)."""

    def __init__(self, answer):
        self.answer = answer
        self.api = self

    def torrentcreator_status(self, task_id=None):
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def describe(self, exc):
        return "qBittorrent at h answered an HTTP error: %s" % exc

    def server_facts(self):
        return dict(server_version="5.1.0", webapi_version="2.11.4")


def test_creator_tasks_are_normalised():
    assert creator_tasks(StatusClient([STATUS_53])) == [normalise_task(STATUS_53)]
    assert creator_tasks(StatusClient(None)) == []


@pytest.mark.parametrize("answer, message", [
    (qbittorrentapi.NotFound404Error("Not found"), "qBittorrent has no creator task t-9 (tasks are lost when the "
                                                   "server restarts)"),
    (RuntimeError("boom"), "qBittorrent at h answered an HTTP error: boom"),
])
def test_creator_tasks_failures_name_the_task_or_the_server(answer, message):
    with pytest.raises(ServerError) as caught:
        creator_tasks(StatusClient(answer), "t-9")
    assert caught.value.msg == message
    assert caught.value.result == dict(server_version="5.1.0", webapi_version="2.11.4")


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("", None),
    (0, "1970-01-01T00:00:00Z"),
    (1795793981, "2026-11-27T15:39:41Z"),
    ("1795793981", "2026-11-27T15:39:41Z"),
    ("Fri Nov 27 15:39:41 2026", "2026-11-27T15:39:41Z"),
    ("Fri Nov  6 05:09:01 2026", "2026-11-06T05:09:01Z"),  # Qt pads single-digit days with a space
    ("2026-11-27T15:39:41", "2026-11-27T15:39:41Z"),
    ("2026-11-27T15:39:41Z", "2026-11-27T15:39:41Z"),
    ("2026-11-27T17:39:41+02:00", "2026-11-27T15:39:41Z"),
    ("not a time", "not a time"),
])
def test_iso_time(value, expected):
    assert iso_time(value) == expected


# ---------------------------------------------------------------- CreatorBatch: many tasks at once
# A live server runs one task at a time and finishes small ones within a poll or two, so the order in which many tasks
# end, a task vanishing mid-batch, a full queue (409), and a delete that fails are only reproducible with a fake.

def batch_server(scripts, add_errors=None, delete_errors=None, on_status=None):
    """The fake qBittorrent's creator for many tasks, each job's task following its script.

    ``scripts``: job key -> the states its task reports, one per status call from the first call after it was added
    (the last one repeats), or a callable(server) returning the current state; a state is a status string, a dict of
    status fields, or None (the task is not in the list). ``add_errors``: key -> exceptions raised by successive
    addTask calls for it. ``delete_errors``: task id -> exception raised by deleteTask (the task stays on the
    server). ``on_status``: called with the server at every status call.
    """
    qbt = FakeQbt()
    qbt.creator_scripts = dict(("/data/%s" % key, script) for key, script in scripts.items())
    add_errors = dict((key, list(errors)) for key, errors in (add_errors or {}).items())
    delete_errors = dict(delete_errors or {})

    def refuse_add(server, source_path=None, **params):
        errors = add_errors.get(posixpath.basename(source_path))
        if errors:
            raise errors.pop(0)

    def refuse_delete(server, task_id=None):
        if task_id in delete_errors:
            raise delete_errors[task_id]

    qbt.before("torrentcreator_add_task", refuse_add)
    qbt.before("torrentcreator_delete_task", refuse_delete)
    if on_status is not None:
        qbt.before("torrentcreator_status", lambda server, task_id=None: on_status(server))
    return qbt


def jobs(*keys, **kwargs):
    timeout = kwargs.get("timeout", 60.0)
    return [(key, dict(source_path="/data/%s" % key, format="v1"), timeout) for key in keys]


def batch_for(api, clock, max_queued=64):
    return CreatorBatch(api, max_queued=max_queued, sleep=clock.sleep, clock=clock.clock)


def run_batch(api, clock, job_list, max_queued=64):
    batch = batch_for(api, clock, max_queued)
    with batch:
        results = list(batch.run(job_list))
    return batch, results


def test_batch_queues_every_task_before_polling():
    clock = FakeTime(1000.0)
    keys = ["r%d" % n for n in range(6)]
    api = batch_server(dict((key, ["Queued"] * n + ["Running", "Finished"]) for n, key in enumerate(keys)))
    batch, results = run_batch(api, clock, jobs(*keys))
    assert [calls_before for dummy, calls_before in api.added] == [0] * 6  # all queued before the first poll
    assert api.most_tasks == 6
    assert [key for key, dummy, dummy in results] == keys  # in the order they end
    for key, task_id, outcome in results:
        assert task_id == "task-%s" % key
        assert outcome == ("torrent of task-%s" % key).encode()
    assert sorted(deleted(api)) == sorted("task-%s" % key for key in keys)
    assert api.tasks == {} and batch.active == {} and batch.delete_errors == {}


def test_batch_keeps_at_most_max_queued_and_adds_more_as_tasks_end():
    clock = FakeTime(1000.0)
    keys = ["r%d" % n for n in range(7)]
    api = batch_server(dict((key, ["Running", "Finished"]) for key in keys))
    dummy, results = run_batch(api, clock, jobs(*keys), max_queued=3)
    assert api.most_tasks == 3
    assert [task_id for task_id, dummy in api.added] == ["task-%s" % key for key in keys]  # in input order
    assert [calls_before for dummy, calls_before in api.added][:3] == [0, 0, 0]
    assert all(calls_before > 0 for dummy, calls_before in api.added[3:])  # only once earlier ones ended
    assert sorted(key for key, dummy, dummy in results) == keys
    assert all(isinstance(outcome, bytes) for dummy, dummy, outcome in results)
    assert api.tasks == {}


def test_batch_one_status_call_polls_every_task():
    clock = FakeTime(1000.0)
    keys = ["r%d" % n for n in range(20)]
    api = batch_server(dict((key, ["Queued"] * (n % 4) + ["Running", "Finished"]) for n, key in enumerate(keys)))
    run_batch(api, clock, jobs(*keys))
    assert set(kwargs["task_id"] for kwargs in api.called("torrentcreator_status")) == {None}  # the whole list, never one task at a time
    assert status_calls(api) <= 6  # about as many polls as the slowest task needs, not one per task and poll


def test_batch_failed_task_is_explained_deleted_and_the_others_go_on():
    clock = FakeTime(1000.0)
    no_files = "Create new torrent file failed. Reason: no files in torrent."
    api = batch_server({
        "good1": ["Running", "Finished"],
        "bad": ["Running", dict(status="Failed", errorMessage=no_files, progress=3)],
        "seeded": [dict(status="Failed", errorMessage="Failed to start seeding. Torrent is already present.")],
        "good2": ["Queued", "Running", "Running", "Finished"],
    })
    dummy, results = run_batch(api, clock, jobs("good1", "bad", "seeded", "good2"))
    outcomes = dict((key, outcome) for key, dummy, outcome in results)
    assert outcomes["good1"] == b"torrent of task-good1" and outcomes["good2"] == b"torrent of task-good2"
    error = outcomes["bad"]
    assert isinstance(error, CreatorError)
    assert error.msg.startswith("qBittorrent failed to create the torrent: Create new torrent file failed")
    assert "source_path /data/bad does not exist on the qBittorrent host" in error.msg
    assert error.seeding_conflict is False
    assert error.task["status"] == "failed" and error.task["task_id"] == "task-bad"
    assert "progress" not in error.task
    assert outcomes["seeded"].seeding_conflict is True
    assert "already in qBittorrent's session" in outcomes["seeded"].msg
    assert sorted(deleted(api)) == ["task-bad", "task-good1", "task-good2", "task-seeded"]
    assert "task-bad" not in fetched(api)  # a failed task has no .torrent to fetch
    assert api.tasks == {}


def test_batch_task_missing_from_the_list_is_an_error_for_that_task_only():
    clock = FakeTime(1000.0)
    api = batch_server({"gone": ["Running", None], "fine": ["Running", "Running", "Finished"]})
    dummy, results = run_batch(api, clock, jobs("gone", "fine"))
    assert results[0][:2] == ("gone", "task-gone")
    assert isinstance(results[0][2], CreatorError)
    assert "creator task task-gone disappeared" in results[0][2].msg
    assert results[1] == ("fine", "task-fine", b"torrent of task-fine")
    assert "task-gone" in deleted(api)  # deleting it anyway is harmless (a 404 is fine)


def test_batch_task_gone_before_its_torrent_is_fetched_is_an_error_for_that_task_only():
    """Finished in the status list, then 404 on torrentFile (deleted by someone in between)."""
    clock = FakeTime(1000.0)

    api = batch_server({"gone": ["Running", "Finished"], "fine": ["Running", "Running", "Finished"]})
    # someone deletes the task after the status list showed it Finished, before its .torrent is fetched
    api.before("torrentcreator_torrent_file", lambda server, task_id=None: server.tasks.pop("task-gone", None))
    dummy, results = run_batch(api, clock, jobs("gone", "fine"))
    outcomes = dict((key, outcome) for key, dummy, outcome in results)
    assert isinstance(outcomes["gone"], CreatorError)
    assert "task-gone disappeared" in outcomes["gone"].msg
    assert outcomes["fine"] == b"torrent of task-fine"


def timeline(clock, *steps):
    """A script that follows the fake clock: ``steps`` are (seconds since the start, state from then on)."""
    def script(server):
        state = None
        for since, step in steps:
            if clock.elapsed >= since:
                state = step
        return state
    return script


def test_batch_time_queued_does_not_count_against_the_timeout():
    clock = FakeTime(1000.0)
    # the server's one worker runs them in turn, 1.5 s each: "third" waits 3 s in the queue, more than its timeout
    api = batch_server({
        "first": timeline(clock, (0, "Running"), (1.5, "Finished")),
        "second": timeline(clock, (0, "Queued"), (1.5, "Running"), (3.0, "Finished")),
        "third": timeline(clock, (0, "Queued"), (3.0, "Running"), (4.5, "Finished")),
    })
    dummy, results = run_batch(api, clock, jobs("first", "second", "third", timeout=2.0))
    assert [(key, outcome) for key, dummy, outcome in results] == [
        ("first", b"torrent of task-first"), ("second", b"torrent of task-second"), ("third", b"torrent of task-third")]
    assert 4.5 <= clock.elapsed < 5.0


def test_batch_time_running_counts_against_the_timeout():
    clock = FakeTime(1000.0)
    api = batch_server({
        "slow": timeline(clock, (0, "Queued"), (5.0, dict(status="Running", progress=37.4))),
        "other": timeline(clock, (0, "Queued"), (5.0, "Running"), (6.0, "Finished")),
    })
    dummy, results = run_batch(api, clock, jobs("slow", "other", timeout=2.0))
    outcomes = dict((key, outcome) for key, dummy, outcome in results)
    assert outcomes["other"] == b"torrent of task-other"
    error = outcomes["slow"]
    assert isinstance(error, CreatorError)
    assert "timeout=2.0 s (progress 37%)" in error.msg and "cancelled" in error.msg
    assert "task-slow" in deleted(api) and api.tasks == {}
    # queued for 5 s without harm; cancelled once it had run for its timeout, counted from the last poll that saw
    # it queued (up to one queued poll interval, 0.25 s, early) and noticed within a poll or two
    assert 5.0 + 2.0 - 0.25 <= clock.elapsed <= 5.0 + 2.0 + 0.5


def test_batch_consumer_exception_deletes_every_active_task():
    clock = FakeTime(1000.0)
    api = batch_server({"quick": ["Finished"], "slow1": ["Running"], "slow2": ["Queued"]})
    batch = batch_for(api, clock)
    with pytest.raises(RuntimeError, match="consumer"):
        with batch:
            for dummy in batch.run(jobs("quick", "slow1", "slow2")):
                raise RuntimeError("consumer failed")
    assert sorted(deleted(api)) == ["task-quick", "task-slow1", "task-slow2"]
    assert api.tasks == {} and batch.active == {} and batch.delete_errors == {}


def test_batch_keyboard_interrupt_in_the_consumer_deletes_every_active_task():
    clock = FakeTime(1000.0)
    api = batch_server({"quick": ["Finished"], "slow": ["Running"], "later": ["Queued"]})
    batch = batch_for(api, clock, max_queued=2)
    with pytest.raises(KeyboardInterrupt):
        with batch:
            for dummy in batch.run(jobs("quick", "slow", "later")):
                raise KeyboardInterrupt()
    assert api.tasks == {}
    assert sorted(deleted(api)) == ["task-quick", "task-slow"]  # "later" was never added
    assert len(add_calls(api)) == 2


def test_batch_failed_delete_is_recorded_with_the_task_id():
    clock = FakeTime(1000.0)
    problem = qbittorrentapi.APIConnectionError("connection refused")
    api = batch_server({"quick": ["Finished"], "stuck": ["Running"], "slow": ["Running"]},
                       delete_errors={"task-stuck": problem})
    batch = batch_for(api, clock)
    with pytest.raises(RuntimeError, match="consumer"):  # the consumer's error, not the delete's
        with batch:
            for dummy in batch.run(jobs("quick", "stuck", "slow")):
                raise RuntimeError("consumer failed")
    assert batch.delete_errors == {"task-stuck": problem}
    assert sorted(deleted(api)) == ["task-quick", "task-slow", "task-stuck"]  # the others are still deleted
    assert list(api.tasks) == ["task-stuck"]


def test_batch_delete_of_an_ended_task_that_fails_is_recorded():
    """The connection drops while a finished task is deleted: that task is reported as left behind too."""
    clock = FakeTime(1000.0)
    problem = qbittorrentapi.APIConnectionError("connection refused")
    api = batch_server({"done": ["Finished"], "slow": ["Running"]}, delete_errors={"task-done": problem})
    batch = batch_for(api, clock)
    with pytest.raises(qbittorrentapi.APIConnectionError):
        with batch:
            list(batch.run(jobs("done", "slow")))
    assert set(batch.delete_errors) == {"task-done"}
    assert "task-slow" in deleted(api) and list(api.tasks) == ["task-done"]


def test_batch_full_queue_is_retried_and_the_batch_goes_on():
    clock = FakeTime(1000.0)
    api = batch_server({"a": ["Running", "Finished"], "b": ["Finished"], "c": ["Finished"]},
                       add_errors={"b": [conflict(), conflict()]})
    dummy, results = run_batch(api, clock, jobs("a", "b", "c"))
    assert sorted(key for key, dummy, dummy in results) == ["a", "b", "c"]
    assert all(isinstance(outcome, bytes) for dummy, dummy, outcome in results)
    assert len(add_calls(api)) == 5
    assert clock.sleeps[:2] == [0.5, 1.0]  # CreatorTask.add's back-off
    assert api.tasks == {}


def test_batch_queue_full_until_the_timeout_fails_that_job_only():
    clock = FakeTime(1000.0)
    api = batch_server({"a": ["Finished"], "b": ["Finished"]}, add_errors={"a": [conflict()] * 100})
    dummy, results = run_batch(api, clock, jobs("a", "b", timeout=5.0))
    assert results[0][:2] == ("a", None)  # no task id: nothing was created, nothing to delete
    assert isinstance(results[0][2], CreatorError) and "queue stayed full" in results[0][2].msg
    assert results[1] == ("b", "task-b", b"torrent of task-b")
    assert deleted(api) == ["task-b"]


def test_batch_sigterm_handler_installed_and_restored():
    clock = FakeTime(1000.0)
    seen = []

    def previous_handler(signum, frame):  # pragma: no cover - must not be called while the batch runs
        seen.append(signum)

    def sigterm(api):
        if status_calls(api) == 2:
            os.kill(os.getpid(), signal.SIGTERM)

    saved = signal.signal(signal.SIGTERM, previous_handler)
    try:
        api = batch_server({"a": ["Running"], "b": ["Queued"]}, on_status=sigterm)
        batch = batch_for(api, clock)
        with pytest.raises(Interrupted, match="signal %d" % signal.SIGTERM):
            with batch:
                assert signal.getsignal(signal.SIGTERM) is not previous_handler
                list(batch.run(jobs("a", "b")))
        assert sorted(deleted(api)) == ["task-a", "task-b"] and api.tasks == {}
        assert seen == []
        assert signal.getsignal(signal.SIGTERM) is previous_handler
        with batch_for(batch_server({}), clock):  # and after a run that ends normally
            pass
        assert signal.getsignal(signal.SIGTERM) is previous_handler
    finally:
        signal.signal(signal.SIGTERM, saved)


# ---------------------------------------------------------------- what a user is told of tasks left behind
def test_one_task_left_behind_is_named_with_why_and_how_to_delete_it():
    assert undeleted_tasks(["t1"], "(the connection was refused)") == (
        "creator task t1 could not be deleted (the connection was refused): it may still be on the server; delete it "
        "once qBittorrent answers (qbt_torrent_create_info lists it; a restart of qBittorrent also drops it)")


def test_several_tasks_left_behind_are_named_together():
    assert undeleted_tasks(["t1", "t2"]) == (
        "creator tasks t1, t2 could not be deleted: they may still be on the server; delete them once qBittorrent "
        "answers (qbt_torrent_create_info lists them; a restart of qBittorrent also drops them)")
