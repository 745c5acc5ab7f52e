# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The session half of qbt_releases' backend: seeding (a missing release added, drift repaired, an older build of
the same release replaced), seed=false (out of the session, data kept), state=absent (out of the session and its
.torrent removed), check mode, and a session that cannot be read.

Each test runs ``ReleasesBackend.run()`` against the shared fake qBittorrent (fake_qbt.py) and looks at what a user
sees: the results (changed, actions, seeding, msg) and what is on the server and on disk afterwards, never at the
order of the requests, so that the tests hold however the backend is split or reads the session. Every release's
.torrent is already at its dest and matches its options (made by libtorrent's binding), so no creator task runs
here; building is tested in test_releases_backend.py, the real thing in tests/integration/targets/qbt_releases.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import QbtError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_backend import ReleasesBackend
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_module import validate_releases
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_qbt import FakeFiles, connection_refused
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.lt_torrents import lt_torrent

pytest.importorskip("ansible")
pytest.importorskip("requests")

HOST = "https://qbt.example:8080"
TRACKER = "udp://tracker.example:1337/announce"
STRAY = "http://stray.example/announce"
NAMES = ("alpha", "beta")


@pytest.fixture
def built(tmp_path, lt):
    """Two releases' data under data/ and their .torrent files (v1, one tracker) already at out/NAME.torrent."""
    torrents = {}
    (tmp_path / "out").mkdir()
    for name in NAMES:
        source = tmp_path / "data" / name
        source.mkdir(parents=True)
        (source / "file.bin").write_bytes(name.encode() * 1000)
        # older than the .torrent by more than its creation date's whole second: the file is kept, not rebuilt
        os.utime(str(source / "file.bin"), (time.time() - 3600, time.time() - 3600))
        torrents[name] = lt_torrent(lt, source, "v1", 16384, trackers=[[TRACKER]])
        (tmp_path / "out" / ("%s.torrent" % name)).write_bytes(torrents[name])
    return torrents


def run(tmp_path, qbt, files, names=NAMES, check_mode=False, **keys):
    """``ReleasesBackend.run()`` for ``names`` (keys common to them); the results by name."""
    defaults = dict(dest_dir=str(tmp_path / "out"), trackers=[TRACKER])
    releases = validate_releases([dict(name=name, source_path=str(tmp_path / "data" / name), **keys)
                                  for name in names], defaults)
    backend = ReleasesBackend(releases, FakeClient(api=qbt, host=HOST), files, check_mode=check_mode)
    return dict((result["name"], result) for result in backend.run())


def torrent_id(data):
    return TorrentMeta.from_bytes(data).info_hash_v1  # a v1 torrent's id in the session


def dest(tmp_path, name):
    return tmp_path / "out" / ("%s.torrent" % name)


# ---------------------------------------------------------------- seed=true

def test_missing_releases_are_added_seeding_and_then_left_alone(tmp_path, qbt, files, built):
    results = run(tmp_path, qbt, files, seed=True, category="releases", tags=["linux", "iso"])
    for name in NAMES:
        result = results[name]
        assert "failed" not in result, result
        assert result["changed"] is True and result["seeding"] is True
        assert "added to the session" in result["actions"]
        torrent = qbt.torrents[torrent_id(built[name])]
        assert torrent["save_path"] == str(tmp_path / "data")  # the source's parent: qBittorrent finds the data
        assert torrent["category"] == "releases" and qbt.tags(torrent["hash"]) == ["iso", "linux"]
        assert qbt.tiers(torrent["hash"]) == [[TRACKER]]
    assert sorted(qbt.torrents) == sorted(torrent_id(data) for data in built.values())
    assert "releases" in qbt.categories
    assert files.writes == []  # the .torrent files matched: not rewritten

    qbt.requests = []
    again = run(tmp_path, qbt, files, seed=True, category="releases", tags=["linux", "iso"])
    for name in NAMES:
        assert again[name]["changed"] is False and again[name]["actions"] == [] and again[name]["seeding"] is True
    # a converged release costs no request of its own on 5.1+: the one listing has every torrent's trackers
    assert qbt.requests == [("torrents_info", dict(torrent_hashes=None, include_trackers=True))]


def test_a_category_created_for_new_releases_is_reported_once(tmp_path, qbt, files, built):
    """The first release that needs the category says it created it; qBittorrent had no such category."""
    results = run(tmp_path, qbt, files, seed=True, category="releases")
    assert results["alpha"]["actions"] == ["created category releases", "added to the session"]
    assert results["beta"]["actions"] == ["added to the session"]
    assert qbt.called("torrents_create_category") == [dict(name="releases")]
    assert all(torrent["category"] == "releases" for torrent in qbt.torrents.values())

    qbt.requests = []
    again = run(tmp_path, qbt, files, seed=True, category="releases")
    assert [again[name]["actions"] for name in NAMES] == [[], []]
    assert qbt.changes() == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_category_needed_by_a_drifted_and_a_new_release_is_said_once(tmp_path, qbt, files, built, check_mode):
    """Check mode says what a real run does: the first release that needs the category makes it, the next one finds
    it; the session's categories are read once for the whole run."""
    qbt.seed(built["alpha"], save_path=str(tmp_path / "data"), category="")
    results = run(tmp_path, qbt, files, check_mode=check_mode, seed=True, category="releases")
    made = [name for name in NAMES for action in results[name]["actions"] if "created category releases" in action]
    assert made == ["alpha"]
    assert results["beta"]["actions"] == ["added to the session"] and results["beta"]["changed"] is True
    assert len(qbt.called("torrents_categories")) == 1
    assert qbt.called("torrents_create_category") == ([] if check_mode else [dict(name="releases")])


def test_drift_is_repaired(tmp_path, qbt, files, built):
    """Someone added a tracker, took a tag off and cleared the category of a seeding release."""
    alpha = qbt.seed(built["alpha"], save_path=str(tmp_path / "data"), category="", tags=["iso"],
                     trackers=[[TRACKER], [STRAY]])
    results = run(tmp_path, qbt, files, names=["alpha"], seed=True, category="releases", tags=["linux", "iso"])
    result = results["alpha"]
    assert "failed" not in result, result
    assert result["changed"] is True and result["seeding"] is True
    assert result["actions"] and all(action.startswith("session: ") for action in result["actions"])
    said = " ".join(result["actions"])
    assert "trackers" in said and "tags added: linux" in said and "'releases'" in said
    assert qbt.tiers(alpha) == [[TRACKER]]  # the stray tracker is gone
    assert qbt.tags(alpha) == ["iso", "linux"] and qbt.torrents[alpha]["category"] == "releases"
    assert list(qbt.torrents) == [alpha]  # repaired in place, not added again


def test_server_default_trackers_are_taken_off_a_new_torrent(tmp_path, qbt, files, built):
    """With 'automatically add these trackers to new downloads' on, the server appends its own to every add."""
    qbt.preferences.update(add_trackers_enabled=True, add_trackers="udp://public.example:80/announce")
    results = run(tmp_path, qbt, files, names=["alpha"], seed=True)
    assert "failed" not in results["alpha"], results["alpha"]
    assert qbt.tiers(torrent_id(built["alpha"])) == [[TRACKER]]


def test_an_older_build_of_the_same_release_is_replaced(tmp_path, qbt, files, built, lt):
    """Same name, same save path, other content (an earlier build): removed, data kept; the new build is seeded.
    A torrent of the same name elsewhere is someone else's and stays."""
    old = tmp_path / "old" / "alpha"
    old.mkdir(parents=True)
    (old / "file.bin").write_bytes(b"the first build")
    older = lt_torrent(lt, old, "v1", 16384, trackers=[[TRACKER]])
    superseded = qbt.seed(older, save_path=str(tmp_path / "data"))
    other = qbt.seed(lt_torrent(lt, old, "v1", 32768), save_path="/elsewhere")
    result = run(tmp_path, qbt, files, names=["alpha"], seed=True)["alpha"]
    assert "failed" not in result, result
    assert result["changed"] is True and result["seeding"] is True
    assert any("removed 1 other torrent(s) with the same content" in action and superseded in action
               for action in result["actions"])
    new = torrent_id(built["alpha"])
    assert sorted(qbt.torrents) == sorted([new, other])
    assert qbt.torrents[new]["save_path"] == str(tmp_path / "data")


def test_check_mode_reports_what_it_would_do_and_changes_nothing(tmp_path, qbt, files, built):
    alpha = qbt.seed(built["alpha"], save_path=str(tmp_path / "data"), trackers=[[TRACKER], [STRAY]])
    results = run(tmp_path, qbt, files, check_mode=True, seed=True, category="releases")
    assert results["alpha"]["changed"] is True
    assert any("trackers" in action for action in results["alpha"]["actions"])
    assert results["beta"]["changed"] is True
    assert results["beta"]["actions"] == ["added to the session"]
    # the category alpha's repair would make is said there, once: beta would not make it again
    assert [name for name in NAMES for action in results[name]["actions"] if "created category" in action] == ["alpha"]
    assert all("failed" not in result for result in results.values())
    assert qbt.changes() == []
    assert list(qbt.torrents) == [alpha] and qbt.tiers(alpha) == [[TRACKER], [STRAY]]
    assert qbt.torrents[alpha]["category"] == "" and "releases" not in qbt.categories
    assert files.writes == [] and files.removed == []


def test_a_release_whose_data_is_missing_fails_and_is_taken_out_again(tmp_path, qbt, files, built):
    qbt.missing_data.add("beta")  # not where qBittorrent looks for it
    results = run(tmp_path, qbt, files, seed=True)
    assert "failed" not in results["alpha"] and results["alpha"]["seeding"] is True
    beta = results["beta"]
    assert beta["failed"] is True and beta["seeding"] is False
    assert "missingFiles" in beta["msg"] and str(tmp_path / "data") in beta["msg"]
    assert beta["msg"].endswith("the torrent was taken out of the session again (data kept)")
    assert list(qbt.torrents) == [torrent_id(built["alpha"])]  # no broken torrent left behind
    assert os.path.exists(str(dest(tmp_path, "beta")))


def test_a_refused_add_fails_every_new_release_and_nothing_else(tmp_path, qbt, files, built):
    alpha = qbt.seed(built["alpha"], save_path=str(tmp_path / "data"))
    qbt.fail("torrents_add", connection_refused())
    results = run(tmp_path, qbt, files, seed=True)
    assert "failed" not in results["alpha"] and results["alpha"]["changed"] is False
    beta = results["beta"]
    assert beta["failed"] is True
    assert beta["msg"].startswith("could not add the torrent to qBittorrent's session: ")
    assert "refused" in beta["msg"]
    assert not any(action.startswith("added to the session") for action in beta["actions"])  # nothing was added
    assert list(qbt.torrents) == [alpha]


# ---------------------------------------------------------------- seed=false and state=absent

def test_seed_false_takes_the_release_out_of_the_session_and_keeps_its_data(tmp_path, qbt, files, built):
    alpha = qbt.seed(built["alpha"], save_path=str(tmp_path / "data"))
    results = run(tmp_path, qbt, files, seed=False)
    assert results["alpha"]["changed"] is True and results["alpha"]["seeding"] is False
    assert results["alpha"]["actions"] == ["removed from the session (seed=false; data kept)"]
    assert results["beta"]["changed"] is False and results["beta"]["actions"] == []  # was not seeding
    assert alpha not in qbt.torrents
    assert qbt.called("torrents_delete") == [dict(delete_files=False, torrent_hashes=alpha)]  # never the data
    assert (tmp_path / "data" / "alpha" / "file.bin").exists()
    assert dest(tmp_path, "alpha").read_bytes() == built["alpha"]  # the .torrent stays

    qbt.requests = []
    again = run(tmp_path, qbt, files, seed=False)
    assert [again[name]["changed"] for name in NAMES] == [False, False]
    assert qbt.changes() == []


def test_seed_false_in_check_mode_removes_nothing(tmp_path, qbt, files, built):
    alpha = qbt.seed(built["alpha"], save_path=str(tmp_path / "data"))
    result = run(tmp_path, qbt, files, names=["alpha"], check_mode=True, seed=False)["alpha"]
    assert result["changed"] is True and result["actions"] == ["removed from the session (seed=false; data kept)"]
    assert list(qbt.torrents) == [alpha] and qbt.changes() == []


def test_state_absent_withdraws_the_release(tmp_path, qbt, files, built):
    alpha = qbt.seed(built["alpha"], save_path=str(tmp_path / "data"))
    results = run(tmp_path, qbt, files, state="absent")
    assert results["alpha"]["changed"] is True
    assert results["alpha"]["actions"] == ["removed from the session (data kept)", ".torrent removed"]
    assert results["beta"]["changed"] is True and results["beta"]["actions"] == [".torrent removed"]  # not seeded
    assert qbt.torrents == {}
    assert qbt.called("torrents_delete") == [dict(delete_files=False, torrent_hashes=alpha)]
    assert not dest(tmp_path, "alpha").exists() and not dest(tmp_path, "beta").exists()
    assert (tmp_path / "data" / "alpha" / "file.bin").exists()

    again = run(tmp_path, qbt, files, state="absent")
    assert [(again[name]["changed"], again[name]["actions"]) for name in NAMES] == [(False, [])] * 2


def test_state_absent_waits_until_the_torrent_has_left_the_session(tmp_path, qbt, files, built):
    """qBittorrent answers torrents/delete and keeps the torrent: the release fails and keeps its .torrent, so that
    the next run can try again (without the .torrent it could not tell which torrent was the release's)."""
    alpha = qbt.seed(built["alpha"], save_path=str(tmp_path / "data"))
    qbt.keeps_deleted = True
    result = run(tmp_path, qbt, files, names=["alpha"], state="absent")["alpha"]
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == "qBittorrent did not remove torrent %s from its session within 30.0 s" % alpha
    assert dest(tmp_path, "alpha").read_bytes() == built["alpha"]
    assert files.removed == []

    qbt.keeps_deleted = False
    again = run(tmp_path, qbt, files, names=["alpha"], state="absent")["alpha"]
    assert "failed" not in again and again["actions"] == ["removed from the session (data kept)", ".torrent removed"]
    assert qbt.torrents == {} and not dest(tmp_path, "alpha").exists()


def test_state_absent_in_check_mode_removes_nothing(tmp_path, qbt, files, built):
    alpha = qbt.seed(built["alpha"], save_path=str(tmp_path / "data"))
    result = run(tmp_path, qbt, files, names=["alpha"], check_mode=True, state="absent")["alpha"]
    assert result["changed"] is True
    assert result["actions"] == ["removed from the session (data kept)", ".torrent removed"]
    assert list(qbt.torrents) == [alpha] and qbt.changes() == []
    assert dest(tmp_path, "alpha").read_bytes() == built["alpha"]


# ---------------------------------------------------------------- the session cannot be read

@pytest.mark.parametrize("keys", [dict(seed=True), dict(seed=False), dict(state="absent")])
def test_a_failed_session_listing_fails_every_release_and_changes_nothing(tmp_path, qbt, files, built, keys):
    alpha = qbt.seed(built["alpha"], save_path=str(tmp_path / "data"), trackers=[[TRACKER], [STRAY]])
    qbt.fail("torrents_info", connection_refused())
    results = run(tmp_path, qbt, files, **keys)
    for name in NAMES:
        result = results[name]
        assert result["failed"] is True and result["changed"] is False and result["actions"] == []
        assert "refused" in result["msg"]
        assert result["msg"].startswith("cannot read qBittorrent's session: ")  # state=absent too
    assert qbt.changes() == []
    assert list(qbt.torrents) == [alpha] and qbt.tiers(alpha) == [[TRACKER], [STRAY]]
    assert all(dest(tmp_path, name).read_bytes() == built[name] for name in NAMES)  # no .torrent removed either


# ---------------------------------------------------------------- a received release: who checks this host's copy
def received_seeding(tmp_path, source_path, **keys):
    """A seeder's session half for release 'rel' (received from seed1), prepared; returns (seeding, release, meta)."""
    lt = pytest.importorskip("libtorrent")
    data_dir = tmp_path / "builder" / "rel"
    data_dir.mkdir(parents=True)
    (data_dir / "a.bin").write_bytes(os.urandom(40000))
    (data_dir / "b.txt").write_bytes(b"bee\n")
    built = lt_torrent(lt, data_dir, "hybrid", 16384)
    (tmp_path / "out").mkdir()
    releases = validate_releases([dict(name="rel", source_path=source_path, **keys)],
                                 dict(dest_dir=str(tmp_path / "out"), seed=True, built_by="seed1"))
    backend = ReleasesBackend(releases, FakeClient(api=None, host=HOST), FakeFiles(), received={"rel": built})
    backend.prepare()
    release = backend.releases[0]
    return backend.seeding, release, TorrentMeta.from_bytes(built)


def copy_tree(source, dest):
    os.makedirs(str(dest))
    for name in os.listdir(str(source)):
        with open(os.path.join(str(source), name), "rb") as handle:
            (dest / name).write_bytes(handle.read())


def test_a_copy_this_host_sees_is_checked_by_the_module(tmp_path):
    seeding, release, meta = received_seeding(tmp_path, str(tmp_path / "mirror" / "rel"))
    copy_tree(tmp_path / "builder" / "rel", tmp_path / "mirror" / "rel")
    seeding.check_copy(release, meta)
    assert release.data_check == "module" and release.result["data_check"] == "module"
    assert seeding.session_backend(release, meta).params["skip_checking"] is True


def test_a_different_copy_fails_before_anything_is_added(tmp_path):
    seeding, release, meta = received_seeding(tmp_path, str(tmp_path / "mirror" / "rel"))
    copy_tree(tmp_path / "builder" / "rel", tmp_path / "mirror" / "rel")
    (tmp_path / "mirror" / "rel" / "b.txt").write_bytes(b"BEE\n")
    with pytest.raises(QbtError) as caught:
        seeding.check_copy(release, meta)
    assert caught.value.msg.startswith("this host's copy of the data does not match the .torrent built by seed1: ")
    assert "in b.txt" in caught.value.msg and "it was not added to the session" in caught.value.msg
    assert release.result["data_check"] == "module" and release.result["seeding"] is False


def test_a_path_map_entry_for_the_source_alone_finds_the_copy(tmp_path):
    """qBittorrent sees the copy as /downloads/rel; path_map maps only that directory to where this host has it."""
    seeding, release, meta = received_seeding(tmp_path, "/downloads/rel",
                                              path_map=[dict(server="/downloads/rel",
                                                             local=str(tmp_path / "mirror" / "rel"))])
    copy_tree(tmp_path / "builder" / "rel", tmp_path / "mirror" / "rel")
    seeding.check_copy(release, meta)
    assert release.data_check == "module"


@pytest.mark.parametrize("source_check, seen", [("never", True), ("auto", False)])
def test_qbittorrent_checks_what_the_module_must_not_or_cannot_see(tmp_path, source_check, seen):
    seeding, release, meta = received_seeding(tmp_path, str(tmp_path / "mirror" / "rel"), source_check=source_check)
    if seen:
        copy_tree(tmp_path / "builder" / "rel", tmp_path / "mirror" / "rel")
    seeding.check_copy(release, meta)
    assert release.data_check == "qbittorrent"
    assert seeding.session_backend(release, meta).params["skip_checking"] is False


def test_source_check_always_fails_when_this_host_cannot_see_the_copy(tmp_path):
    seeding, release, meta = received_seeding(tmp_path, str(tmp_path / "mirror" / "rel"), source_check="always")
    with pytest.raises(QbtError) as caught:
        seeding.check_copy(release, meta)
    assert caught.value.msg.startswith("source_check=always but this host does not see %s" % (tmp_path / "mirror"))
    assert "path_map" in caught.value.msg
