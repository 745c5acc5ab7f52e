# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""qbt_releases' backend, ReleasesBackend, when things go wrong in ways a live server cannot be made to go wrong on
demand: one creator task failing among several, the connection dropping while the batch runs (and a task that
cannot be deleted then), a SIGTERM or Ctrl-C in the middle of the batch. validate_releases is tested in
test_releases_module.py.

What is faked and why: the shared fake qBittorrent (fake_qbt.py) plays the creator endpoints (each task finishes,
fails, or the status call drops the connection at the chosen poll) and the session; a fake files object writes
without AnsibleModule's atomic_move. The .torrent files a "server" returns are built by libtorrent's own binding.
The session half (seed, unseed, withdraw) is tested in test_releases_session.py. The real run against real servers
is tested in tests/integration/targets/qbt_releases.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import Interrupted, OptionError, QbtError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_backend import ReleasesBackend
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_module import validate_releases
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_qbt import FakeFiles, connection_refused
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.lt_torrents import lt_torrent

pytest.importorskip("ansible")
pytest.importorskip("fastbencode")
pytest.importorskip("requests")

HOST = "https://qbt.example:8080"


# ---------------------------------------------------------------- ReleasesBackend

def problems(message, label):
    """The single problems in one error (they are joined with "; ", which some of them contain too)."""
    return re.split(r"; (?=%s)" % label, message[:-len(" (nothing was changed)")])


@pytest.fixture
def sources(tmp_path, lt):
    """Three source directories and the .torrent a server would build from each (by source_path)."""
    torrents = {}
    for name in ("alpha", "beta", "gamma"):
        path = tmp_path / "data" / name
        path.mkdir(parents=True)
        (path / "file.bin").write_bytes(name.encode() * 1000)
        torrents[str(path)] = lt_torrent(lt, path, "hybrid", 16384)
    (tmp_path / "out").mkdir()
    return torrents


@pytest.fixture
def server(qbt, sources):
    """The fake qBittorrent, its creator building ``sources``; every task ends at the first status call."""
    qbt.built = sources
    return qbt


def deleted_tasks(qbt):
    return sorted(kwargs["task_id"] for kwargs in qbt.called("torrentcreator_delete_task"))


def releases_for(tmp_path, *names, **keys):
    return validate_releases([dict(name=name, source_path=str(tmp_path / "data" / name), **keys) for name in names],
                             dict(dest_dir=str(tmp_path / "out")))


def backend_for(tmp_path, api, *names, **keys):
    files = FakeFiles()
    return ReleasesBackend(releases_for(tmp_path, *names, **keys), FakeClient(api=api, host=HOST), files), files


def dest(tmp_path, name):
    return str(tmp_path / "out" / ("%s.torrent" % name))


def test_a_failed_creator_task_does_not_stop_the_others(tmp_path, sources, server):
    beta = str(tmp_path / "data" / "beta")
    server.creator_failures = {beta: "Create new torrent file failed. Reason: Permission denied."}
    server.creator_polls = {beta: 2}
    backend, files = backend_for(tmp_path, server, "alpha", "beta", "gamma")
    results = backend.run()
    assert [result["name"] for result in results] == ["alpha", "beta", "gamma"]  # input order
    alpha, failed, gamma = results
    for result, name in ((alpha, "alpha"), (gamma, "gamma")):
        assert "failed" not in result
        assert result["changed"] is True
        assert result["task_id"] == "task-%s" % name
        assert result["info_hash_v2"] == TorrentMeta.from_bytes(sources[str(tmp_path / "data" / name)]).info_hash_v2
        assert result["actions"] and result["actions"][0].startswith(".torrent built")
        assert os.path.exists(dest(tmp_path, name))
    assert failed["failed"] is True and failed["changed"] is False
    assert failed["msg"].startswith("qBittorrent failed to create the torrent: Create new torrent file failed")
    assert "check file permissions" in failed["msg"]
    assert failed["msg"].endswith("(creator task task-beta was deleted)")
    assert not os.path.exists(dest(tmp_path, "beta"))
    assert files.written == [dest(tmp_path, "alpha"), dest(tmp_path, "gamma")]
    assert deleted_tasks(server) == ["task-alpha", "task-beta", "task-gamma"] and server.tasks == {}


def test_connection_lost_while_the_batch_runs_fails_every_unfinished_release(tmp_path, sources, server):
    server.creator_polls = dict((path, 3) for path in sources if not path.endswith("alpha"))
    server.fail("torrentcreator_status", connection_refused(), at=2)
    backend, files = backend_for(tmp_path, server, "alpha", "beta", "gamma")
    alpha, beta, gamma = backend.run()
    assert "failed" not in alpha and alpha["changed"] is True  # finished before the connection dropped
    for result in (beta, gamma):
        assert result["failed"] is True and result["changed"] is False
        assert result["msg"].startswith("qBittorrent at %s stopped answering while creator tasks ran: "
                                        "the connection was refused (qBittorrent stopped, or is restarting)" % HOST)
        assert "host option" not in result["msg"]  # the host was right: the server went away
        assert result["msg"].endswith("; every creator task this run started was deleted")
    assert files.written == [dest(tmp_path, "alpha")]
    assert deleted_tasks(server) == ["task-alpha", "task-beta", "task-gamma"] and server.tasks == {}


def test_connection_lost_and_the_tasks_cannot_be_deleted(tmp_path, sources, server):
    server.creator_polls = dict((path, 3) for path in sources)
    server.fail("torrentcreator_status", connection_refused(), at=2)
    server.fail("torrentcreator_delete_task", connection_refused())
    backend, files = backend_for(tmp_path, server, "alpha", "beta")
    results = backend.run()
    for result in results:
        assert result["failed"] is True
        assert result["msg"].endswith(
            "; creator tasks task-alpha, task-beta could not be deleted: they may still be on the server; delete them "
            "once qBittorrent answers (qbt_torrent_create_info lists them; a restart of qBittorrent also drops them)")
    assert files.writes == []
    assert sorted(server.tasks) == ["task-alpha", "task-beta"]  # what the message says is left on the server


def test_connection_lost_while_deleting_a_finished_task_names_it(tmp_path, sources, server):
    """The delete of a task that just finished fails: the message must not claim every task was deleted."""
    server.fail("torrentcreator_delete_task", connection_refused())
    backend, files = backend_for(tmp_path, server, "alpha")
    result, = backend.run()
    assert result["failed"] is True
    assert "creator task task-alpha could not be deleted: it may still be on the server" in result["msg"]
    assert "every creator task" not in result["msg"]


@pytest.mark.parametrize("content, why", [
    (b"just some bytes", "not a torrent file: invalid bencoding"),
    (b"d1:ai1ee", "not a torrent file: it has no 'info' dictionary"),
    (b"", "not a torrent file: it is empty"),
])
def test_a_received_file_that_is_not_a_torrent_fails_validation(tmp_path, server, files, content, why):
    releases = releases_for(tmp_path, "alpha", "beta", built_by="seed1")
    with pytest.raises(OptionError) as caught:
        ReleasesBackend(releases, FakeClient(api=server, host=HOST), files, received={"beta": content}).run()
    message = caught.value.msg
    assert message.startswith("release beta: built_bundle's file for it (from seed1) is not a .torrent (")
    assert why in message
    assert message.endswith(" (nothing was changed)")
    assert "alpha" not in message
    assert server.requests == [] and files.writes == []


def test_a_received_torrent_is_written_as_given_without_a_creator_task(tmp_path, sources, server, files):
    built = sources[str(tmp_path / "data" / "beta")]
    releases = releases_for(tmp_path, "beta", built_by="seed1")
    backend = ReleasesBackend(releases, FakeClient(api=server, host=HOST), files, received={"beta": built})
    result, = backend.run()
    assert "failed" not in result and result["changed"] is True and result["received"] is True
    assert result["actions"] == ["received the .torrent built by seed1"]
    assert result["info_hash_v2"] == TorrentMeta.from_bytes(built).info_hash_v2
    with open(dest(tmp_path, "beta"), "rb") as handle:
        assert handle.read() == built  # the same bytes
    assert not server.called("torrentcreator_add_task")
    assert backend.contents() == {"beta": built}  # what this host would hand over in turn


def test_every_bad_release_option_is_reported_before_anything_runs(tmp_path, server, files):
    releases = releases_for(tmp_path, "alpha", "beta", "gamma")
    releases[0]["piece_size"] = 1000
    releases[2]["source_path"] = "relative/gamma"
    with pytest.raises(OptionError) as caught:
        ReleasesBackend(releases, FakeClient(api=server, host=HOST), files).run()
    message = caught.value.msg
    assert message.endswith(" (nothing was changed)")
    parts = problems(message, "release ")
    assert len(parts) == 2
    assert parts[0].startswith("release alpha: piece_size: 1000")
    assert parts[1].startswith("release gamma: source_path: 'relative/gamma' is relative")
    assert server.requests == [] and files.writes == []


@pytest.mark.parametrize("interruption, named", [
    (Interrupted("terminated by signal 15"), "interrupted (terminated by signal 15)"),
    (KeyboardInterrupt(), "interrupted (SIGINT)"),
])
def test_interruption_while_the_batch_runs(tmp_path, sources, server, interruption, named):
    server.creator_polls = dict((path, 3) for path in sources)
    server.fail("torrentcreator_status", interruption, at=2)
    backend, files = backend_for(tmp_path, server, "alpha", "beta")
    with pytest.raises(QbtError) as caught:
        backend.run()
    assert caught.value.msg == named + " while creating .torrent files; every creator task this run started was deleted"
    assert deleted_tasks(server) == ["task-alpha", "task-beta"] and server.tasks == {}
    assert files.writes == []


def test_check_mode_starts_no_task_and_writes_nothing(tmp_path, server, files):
    backend = ReleasesBackend(releases_for(tmp_path, "alpha", "beta"), FakeClient(api=server, host=HOST), files,
                              check_mode=True)
    results = backend.run()
    assert [result["changed"] for result in results] == [True, True]
    assert all("failed" not in result for result in results)
    assert server.changes() == [] and files.writes == []
    assert not os.path.exists(dest(tmp_path, "alpha"))


def dir_backend(tmp_path, dest_dir, check_mode=False):
    (tmp_path / "data" / "alpha").mkdir(parents=True, exist_ok=True)
    releases = validate_releases([dict(name="alpha", source_path=str(tmp_path / "data" / "alpha"))],
                                 dict(dest_dir=str(dest_dir)))
    return ReleasesBackend(releases, None, FakeFiles(), check_mode=check_mode, dir_mode="0750")


def test_missing_dest_dirs_are_created_with_dir_mode_parents_too(tmp_path):
    backend = dir_backend(tmp_path, tmp_path / "out" / "host" / "torrents")
    backend.prepare()
    created = [str(tmp_path / "out"), str(tmp_path / "out" / "host"), str(tmp_path / "out" / "host" / "torrents")]
    assert backend.created_dirs == created
    assert [oct(os.stat(path).st_mode & 0o7777) for path in created] == ["0o750"] * 3


def test_check_mode_reports_the_missing_dirs_and_creates_none(tmp_path):
    backend = dir_backend(tmp_path, tmp_path / "out" / "torrents", check_mode=True)
    backend.prepare()
    assert backend.created_dirs == [str(tmp_path / "out"), str(tmp_path / "out" / "torrents")]
    assert not os.path.exists(str(tmp_path / "out"))


def test_an_existing_dest_dir_keeps_its_mode(tmp_path):
    (tmp_path / "out").mkdir(mode=0o711)
    os.chmod(str(tmp_path / "out"), 0o711)
    backend = dir_backend(tmp_path, tmp_path / "out")
    backend.prepare()
    assert backend.created_dirs == []
    assert os.stat(str(tmp_path / "out")).st_mode & 0o7777 == 0o711


def test_a_file_in_the_way_of_a_dest_dir_fails_with_a_message(tmp_path):
    (tmp_path / "out").write_text("not a directory")
    backend = dir_backend(tmp_path, tmp_path / "out" / "torrents")
    with pytest.raises(QbtError) as caught:
        backend.prepare()
    where = tmp_path / "out" / "torrents"
    assert caught.value.msg.startswith("cannot create directory %s for the .torrent files: " % where)
