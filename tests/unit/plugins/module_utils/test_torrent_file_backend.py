# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""TorrentFileBackend (qbt_torrent_create's backend) when things go wrong in ways a live server cannot be made to
go wrong on demand: the connection drops while a creator task runs (and the task cannot be deleted either), a SIGTERM
or Ctrl-C in the middle of a task, a server that returns a .torrent with other trackers or comment than asked.

What is faked and why: the shared fake qBittorrent (fake_qbt.py) plays the creator endpoints (answering, failing or
dropping the connection at the chosen step), a fake files object records writes instead of doing AnsibleModule's
atomic_move (so a test can prove what was written), and the torrents a "server" returns are built by libtorrent's
own binding. The whole lifecycle against real servers is tested in tests/integration/targets/qbt_torrent_create.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils import _creator
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import CreateOptions, create_argument_spec
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import Interrupted, QbtError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_file_backend import TorrentFileBackend
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_qbt import (
    FakeFiles,
    FakeQbt,
    connection_refused,
)
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.lt_torrents import lt_torrent

pytest.importorskip("fastbencode")
requests = pytest.importorskip("requests")

TASK = "task-release"  # the fake names a task after its source
TRACKER = "udp://tracker.example:1337/announce"
OLD_CONTENT = b"the .torrent that was there before"


STEPS = {"torrentcreator_add_task": "add", "torrentcreator_status": "status",
         "torrentcreator_torrent_file": "torrent_file", "torrentcreator_delete_task": "delete"}


def creator(source, torrent=None, fail_at=None, error=None, delete_error=None):
    """The fake qBittorrent whose creator builds ``torrent`` from ``source``; the ``fail_at`` step ("add", "status",
    "torrent_file") raises ``error`` instead of answering, every deleteTask raises ``delete_error``."""
    qbt = FakeQbt()
    qbt.built[str(source)] = torrent
    if fail_at is not None:
        qbt.fail(dict((step, endpoint) for endpoint, step in STEPS.items())[fail_at], error)
    if delete_error is not None:
        qbt.fail("torrentcreator_delete_task", delete_error)
    return qbt


def steps(qbt):
    """The creator requests the module sent, in order."""
    return [STEPS.get(endpoint, endpoint) for endpoint, dummy in qbt.requests]


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "data" / "release"
    path.mkdir(parents=True)
    (path / "a.bin").write_bytes(b"0123456789" * 100)
    (path / "b.txt").write_bytes(b"hello")
    return path


def make_options(tmp_path, source, **overrides):
    params = dict((key, spec.get("default")) for key, spec in create_argument_spec().items())
    params.update(dest=str(tmp_path / "out.torrent"), source_path=str(source), mode=None)  # mode: a file common arg
    params.update(overrides)
    options = CreateOptions(params)
    options.validate()
    return options


def backend(tmp_path, source, api, files=None, check_mode=False, **overrides):
    return TorrentFileBackend(make_options(tmp_path, source, **overrides), files or FakeFiles(),
                              FakeClient("5.1.0", "2.11.4", api=api), check_mode=check_mode)


def run_failing(tmp_path, source, api, files, **overrides):
    with pytest.raises(QbtError) as caught:
        backend(tmp_path, source, api, files, **overrides).run()
    return caught.value


@pytest.fixture(autouse=True)
def no_sigterm_handler(monkeypatch):
    # CreatorTask installs a SIGTERM handler for the task's lifetime; the tests raise Interrupted themselves
    monkeypatch.setattr(_creator.signal, "signal", lambda signum, handler: None)


# ---------------------------------------------------------------- the connection drops while a task runs

def test_connection_lost_while_the_task_runs_task_deleted(tmp_path, source):
    (tmp_path / "out.torrent").write_bytes(OLD_CONTENT)
    api = creator(source, fail_at="status", error=connection_refused())
    files = FakeFiles()
    error = run_failing(tmp_path, source, api, files)
    assert error.result["changed"] is False
    assert error.result["task_id"] == TASK
    assert "stopped answering while creator task %s ran" % TASK in error.msg
    assert "dest was not touched" in error.msg
    assert "the connection was refused (qBittorrent stopped, or is restarting)" in error.msg
    assert "host option" not in error.msg  # the host was right: the server went away
    assert error.msg.endswith("Creator task %s was deleted." % TASK)
    assert steps(api) == ["add", "status", "delete"] and api.tasks == {}
    assert files.writes == [] and files.attributes == []
    assert (tmp_path / "out.torrent").read_bytes() == OLD_CONTENT


def test_connection_lost_and_the_task_cannot_be_deleted(tmp_path, source):
    api = creator(source, fail_at="status", error=connection_refused(), delete_error=connection_refused())
    files = FakeFiles()
    error = run_failing(tmp_path, source, api, files)
    assert error.result["changed"] is False
    assert "Creator task %s could not be deleted" % TASK in error.msg
    assert "it may still be on the server" in error.msg and "qbt_torrent_create_info lists it" in error.msg
    assert "was deleted" not in error.msg
    assert list(api.tasks) == [TASK]  # what the message says: still on the server
    assert files.writes == []
    assert not (tmp_path / "out.torrent").exists()


def test_server_hangs_while_the_task_runs(tmp_path, source):
    hang = requests.exceptions.ReadTimeout("HTTPConnectionPool(host='qbt.example', port=8080): Read timed out.")
    api = creator(source, fail_at="status", error=hang, delete_error=hang)
    error = run_failing(tmp_path, source, api, FakeFiles())
    assert error.result["changed"] is False
    assert "stopped answering while creator task %s ran: no answer within request_timeout=30 s" % TASK in error.msg
    assert "Creator task %s could not be deleted either: it may still be on the server" % TASK in error.msg
    assert error.msg.count("request_timeout") == 1  # the reason once, not twice
    assert "host option" not in error.msg


def test_connection_lost_before_the_task_exists(tmp_path, source):
    api = creator(source, fail_at="add", error=connection_refused())
    error = run_failing(tmp_path, source, api, FakeFiles())
    assert error.msg.startswith("connection to https://qbt.example:8080 refused")
    assert error.result["task_id"] is None
    assert "Creator task" not in error.msg
    assert steps(api) == ["add"]  # no task id: nothing to delete


# ---------------------------------------------------------------- interrupted

def test_sigterm_while_the_task_runs(tmp_path, source):
    api = creator(source, fail_at="status", error=Interrupted("terminated by signal 15"))
    files = FakeFiles()
    error = run_failing(tmp_path, source, api, files)
    assert error.msg == "interrupted (terminated by signal 15) Creator task %s was deleted." % TASK
    assert error.result["changed"] is False
    assert steps(api)[-1] == "delete"
    assert files.writes == []


def test_ctrl_c_before_a_task_started(tmp_path, source):
    api = creator(source, fail_at="add", error=KeyboardInterrupt())
    error = run_failing(tmp_path, source, api, FakeFiles())
    assert error.msg == "interrupted (SIGINT) No creator task had started."


def test_interrupted_and_the_task_cannot_be_deleted(tmp_path, source):
    api = creator(source, fail_at="status", error=Interrupted("terminated by signal 15"),
                  delete_error=connection_refused())
    error = run_failing(tmp_path, source, api, FakeFiles())
    assert error.msg.startswith("interrupted (terminated by signal 15) Creator task %s could not be deleted" % TASK)


# ---------------------------------------------------------------- a task that ends

def test_built_torrent_made_to_say_what_was_asked(tmp_path, source, lt):
    """A server that alters a tracker URL or drops the comment (version quirks): the file is fixed before writing."""
    served = lt_torrent(lt, source, "hybrid", 16384, trackers=[["udp://tracker.example:1337/ANNOUNCE"]])
    api = creator(source, torrent=served)
    files = FakeFiles()
    result = backend(tmp_path, source, api, files, trackers=[TRACKER], comment="release 1").run()
    assert result["changed"] is True and result["task_id"] == TASK
    assert len(files.writes) == 1
    written = TorrentMeta.from_bytes(files.writes[0][1])
    assert written.trackers == [[TRACKER]] and written.comment == "release 1"
    assert written.info_hash_v2 == TorrentMeta.from_bytes(served).info_hash_v2  # same content, same hash
    assert steps(api)[-1] == "delete" and api.tasks == {}  # the finished task is not left on the server


def test_check_mode_creates_nothing(tmp_path, source):
    api = creator(source)
    files = FakeFiles()
    result = backend(tmp_path, source, api, files, check_mode=True).run()
    assert result["changed"] is True
    assert result["diff"]["after"]["info_hash_v1"] == "(known once created)"
    assert result["diff"]["after"]["file_count"] == 2
    assert steps(api) == [] and files.writes == []


def test_state_absent_removes_and_check_mode_does_not(tmp_path, source):
    dest = tmp_path / "out.torrent"
    dest.write_bytes(OLD_CONTENT)
    files = FakeFiles()
    result = TorrentFileBackend(make_options(tmp_path, source, state="absent"), files, None, check_mode=True).run()
    assert result["changed"] is True and files.removed == [] and dest.exists()
    result = TorrentFileBackend(make_options(tmp_path, source, state="absent"), files, None).run()
    assert result["changed"] is True and files.removed == [str(dest)] and not dest.exists()
    result = TorrentFileBackend(make_options(tmp_path, source, state="absent"), files, None).run()
    assert result["changed"] is False


# ---------------------------------------------------------------- file attributes

def test_private_torrent_gets_mode_0600_unless_a_mode_is_given(tmp_path, source):
    # a private torrent's announce URLs usually carry a passkey: not readable by everyone by default
    assert backend(tmp_path, source, None, is_private=True).file_params()["mode"] == "0600"
    assert backend(tmp_path, source, None, is_private=True, mode="0644").file_params()["mode"] == "0644"
    assert backend(tmp_path, source, None, is_private=False).file_params()["mode"] is None


def test_private_mode_applied_to_the_written_file(tmp_path, source, lt):
    api = creator(source, torrent=lt_torrent(lt, source, "hybrid", 16384, private=True))
    files = FakeFiles()
    backend(tmp_path, source, api, files, is_private=True).run()
    assert files.attributes == [(str(tmp_path / "out.torrent"), "0600")]


# ---------------------------------------------------------------- path_map: qBittorrent's files seen under another path

@pytest.fixture
def server_only(tmp_path):
    """A path only 'qBittorrent' sees (as in a container): nothing is there on this host."""
    return tmp_path / "server-only"


def mapped_backend(tmp_path, server_only, local, api=None, **overrides):
    mapping = [dict(server=str(server_only), local=str(local))]
    return backend(tmp_path, server_only / "release", api, path_map=mapping, **overrides)


def write_existing(tmp_path, source, lt, fmt="v1"):
    (tmp_path / "out.torrent").write_bytes(lt_torrent(lt, source, fmt, 16384))


def test_a_torrent_left_on_the_old_default_is_rebuilt_once(tmp_path, source, server_only, lt):
    # the default format was hybrid: a .torrent made then, with format unset, is rebuilt as v1, and then kept
    write_existing(tmp_path, source, lt, fmt="hybrid")
    plan = mapped_backend(tmp_path, server_only, source.parent).plan()
    assert plan.action == "create" and plan.reasons == ["format: hybrid -> v1"]
    write_existing(tmp_path, source, lt, fmt="v1")  # what the creator task makes
    assert mapped_backend(tmp_path, server_only, source.parent).plan().action == "keep"


def test_path_map_scans_where_this_host_sees_the_source(tmp_path, source, server_only):
    files_backend = mapped_backend(tmp_path, server_only, source.parent)
    tree = files_backend.scan_source()
    assert tree.files == [("a.bin", 1000), ("b.txt", 5)]
    assert files_backend.result["source_checked"] is True
    assert files_backend.result["source_checked_path"] == str(source)
    assert files_backend.warnings == []
    assert files_backend.options.add_task_params(FakeClient("5.1.0", "2.11.4"))["source_path"] == \
        str(server_only / "release")  # the server still gets its own path


def test_path_map_content_change_noticed(tmp_path, source, server_only, lt):
    write_existing(tmp_path, source, lt)
    assert mapped_backend(tmp_path, server_only, source.parent).plan().action == "keep"
    (source / "c.txt").write_bytes(b"errata")
    plan = mapped_backend(tmp_path, server_only, source.parent).plan()
    assert plan.action == "create" and "content added: c.txt" in plan.reasons


def test_source_not_visible_auto_warns_how_to_fix_it(tmp_path, source, server_only, lt):
    write_existing(tmp_path, source, lt)
    (source / "c.txt").write_bytes(b"errata")  # a change nobody can see from here
    files_backend = backend(tmp_path, server_only / "release", None)
    plan = files_backend.plan()
    assert plan.action == "keep" and plan.tree is None
    assert files_backend.result["source_checked"] is False
    [warning] = files_backend.warnings
    for words in ("source_check=auto", "content changes", "go unnoticed", "no path_map entry matches",
                  "set path_map", "delegate_to", "source_check=never"):
        assert words in warning


def test_mapped_local_path_missing_auto_warns_naming_path_map(tmp_path, source, server_only):
    files_backend = mapped_backend(tmp_path, server_only, tmp_path / "not-mounted")
    assert files_backend.scan_source() is None
    [warning] = files_backend.warnings
    assert "go unnoticed" in warning
    assert "path_map maps %s to %s, which is not a directory" % (server_only, tmp_path / "not-mounted") in warning


@pytest.mark.parametrize("local, message", [
    ("not-mounted", "source_check=always but path_map maps {server} to {local}, which is not a directory on the "
                    "host running the module"),
    ("data/elsewhere", "source_check=always but source_path {server}/release is {local}/release through path_map"),
])
def test_mapped_local_path_missing_always_fails_naming_path_map(tmp_path, source, server_only, local, message):
    local = tmp_path / local
    (tmp_path / "data" / "elsewhere").mkdir()
    files_backend = mapped_backend(tmp_path, server_only, local, source_check="always")
    with pytest.raises(QbtError) as caught:
        files_backend.plan()
    assert caught.value.msg.startswith(message.format(server=server_only, local=local))
    assert caught.value.result["changed"] is False


def test_source_not_visible_always_fails_and_says_what_to_do(tmp_path, server_only):
    with pytest.raises(QbtError, match="no path_map entry matches it; set path_map .* \\(delegate_to\\)"):
        backend(tmp_path, server_only / "release", None, source_check="always").plan()


def test_source_check_never_looks_nowhere_and_says_nothing(tmp_path, source, server_only):
    for local in (source.parent, tmp_path / "not-mounted"):
        files_backend = mapped_backend(tmp_path, server_only, local, source_check="never")
        assert files_backend.scan_source() is None
        assert files_backend.warnings == [] and files_backend.result["source_checked"] is False


def test_path_map_wins_over_the_same_path_on_this_host(tmp_path, source):
    """source_path is the server's path: when an entry maps it, a same-named local path is not what the server sees."""
    other = tmp_path / "other" / "release"
    other.mkdir(parents=True)
    (other / "only-here.bin").write_bytes(b"x")
    files_backend = backend(tmp_path, source, None, path_map=[dict(server=str(tmp_path / "data"),
                                                                   local=str(tmp_path / "other"))])
    assert files_backend.scan_source().files == [("only-here.bin", 1)]


def test_a_file_mapped_under_another_name_keeps_the_servers_name(tmp_path, source, server_only):
    served = server_only / "distro.iso"
    files_backend = backend(tmp_path, served, None,
                            path_map=[dict(server=str(served), local=str(source / "a.bin"))])
    tree = files_backend.scan_source()
    assert tree.single_file and tree.files == [("distro.iso", 1000)]


def test_scan_error_through_path_map_names_the_mapping(tmp_path, server_only):
    empty = tmp_path / "empty" / "release"
    empty.mkdir(parents=True)
    with pytest.raises(QbtError, match="contains no files .*path_map maps %s to %s" % (server_only, empty.parent)):
        mapped_backend(tmp_path, server_only, empty.parent).scan_source()


# ---------------------------------------------------------------- start_seeding: where the server put the new torrent

@pytest.fixture
def one_file_dir(tmp_path):
    path = tmp_path / "data" / "onefile-1.0"
    path.mkdir(parents=True)
    (path / "image.bin").write_bytes(b"one file " * 3000)
    return path


@pytest.mark.parametrize("fmt, where, moved", [
    ("v2", "parent", True),      # where the server adds it, qBittorrent looks for data/image.bin: moved
    ("v2", "elsewhere", False),  # a copy someone put elsewhere: left alone
    ("hybrid", "parent", False),  # read through its v1 part, with the directory: the parent is right
    ("v1", "parent", False),
])
def test_start_seeding_a_v2_one_file_directory_moves_it_to_the_directory(tmp_path, one_file_dir, lt, qbt, fmt, where,
                                                                         moved):
    """The server added the new torrent where it put the .torrent's parent; qBittorrent finds no data there
    (missingFiles). What qBittorrent does with a v2 torrent of a one-file directory at each save path is tested against
    real servers in the qbt_torrent_create target (seeding.yml); here: which torrents the module moves, and which it
    leaves alone."""
    data = lt_torrent(lt, one_file_dir, fmt, 16384)
    meta = TorrentMeta.from_bytes(data)
    save_path = str(one_file_dir.parent) if where == "parent" else str(tmp_path / "elsewhere")
    torrent_id = qbt.seed(data, save_path=save_path, state="missingFiles", progress=0)
    files_backend = backend(tmp_path, one_file_dir, qbt, format=fmt, start_seeding=True)
    files_backend.plan()
    torrent = files_backend.seed_where_the_data_is(meta, qbt.torrents_info(torrent_id)[0], 1.0)
    if moved:
        assert qbt.changes() == ["torrents_delete", "torrents_add"]
        added = qbt.called("torrents_add")[0]
        assert (added["save_path"], added["is_skip_checking"], added["content_layout"]) == \
            (str(one_file_dir), False, "Original")  # checked by qBittorrent, laid out as in the .torrent
        assert torrent["save_path"] == str(one_file_dir) and torrent["state"] == "stalledUP"
        assert qbt.torrents[torrent_id]["save_path"] == str(one_file_dir)
    else:
        assert qbt.changes() == []
        assert torrent["save_path"] == save_path
