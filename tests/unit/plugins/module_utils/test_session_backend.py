# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""TorrentSessionBackend (qbt_torrent's backend) in situations a real server cannot be made to produce on demand: a
torrent that never shows up after torrents/add, another client adding the same torrent or category at the same
moment, a server built with libtorrent 1.2 (a hybrid torrent's id is its v1 hash there), a torrent that never leaves
the session, qBittorrent 5.0's removeTrackers that cannot take a '|', tracker edits that 5.1 applies late or never.
A fake api object holds the session in memory and a fake clock makes the waits instant. Everything else is tested
against real servers in tests/integration/targets/qbt_torrent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
from urllib.parse import unquote

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils import _session_edits
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import QbtError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_backend import TorrentSessionBackend
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_options import (
    SessionOptions,
    session_argument_spec,
)
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient

fastbencode = pytest.importorskip("fastbencode")
qbittorrentapi = pytest.importorskip("qbittorrentapi")


def hybrid_torrent(tmp_path, name="rel", trackers=("udp://tracker.example:1337/announce",)):
    """A minimal hybrid .torrent (one file): enough for TorrentMeta, the module never hashes data."""
    info = {
        b"name": name.encode(),
        b"piece length": 16384,
        b"length": 5,
        b"pieces": hashlib.sha1(b"hello").digest(),
        b"meta version": 2,
        b"file tree": {name.encode(): {b"": {b"length": 5, b"pieces root": hashlib.sha256(b"hello").digest()}}},
    }
    meta = {b"info": info}
    if trackers:
        meta[b"announce"] = trackers[0].encode()
        meta[b"announce-list"] = [[url.encode() for url in trackers]]
    path = tmp_path / ("%s.torrent" % name)
    path.write_bytes(fastbencode.bencode(meta))
    encoded = fastbencode.bencode(info)
    return str(path), hashlib.sha1(encoded).hexdigest(), hashlib.sha256(encoded).hexdigest()


class FakeApi:
    """An in-memory session with just the endpoints qbt_torrent uses."""

    def __init__(self, shows_up=True, id_is_v1=False, leaves=True, categories=(), create_category_conflict=False):
        self.torrents = {}
        self.trackers = {}
        self.shows_up = shows_up
        self.id_is_v1 = id_is_v1
        self.leaves = leaves
        self.categories = dict((name, {"name": name, "savePath": ""}) for name in categories)
        self.create_category_conflict = create_category_conflict
        self.calls = []
        self.add_conflict_adds = None
        self.tracker_edits = []
        self.tracker_lag = 0

    # reading
    def torrents_info(self, torrent_hashes=None):
        self.calls.append(("info", torrent_hashes))
        if torrent_hashes is None:
            return list(self.torrents.values())
        wanted = torrent_hashes if isinstance(torrent_hashes, list) else torrent_hashes.split("|")
        return [self.torrents[h] for h in wanted if h in self.torrents]

    def torrents_trackers(self, torrent_hash):
        # qBittorrent 5.1 applies tracker edits asynchronously: here after tracker_lag reads, never when it is None
        if self.tracker_edits and self.tracker_lag is not None:
            if self.tracker_lag <= 0:
                for edit in self.tracker_edits:
                    edit()
                self.tracker_edits = []
            self.tracker_lag -= 1
        return [{"url": "** [DHT] **", "tier": -1}] + [{"url": u, "tier": t} for u, t in self.trackers[torrent_hash]]

    def torrents_webseeds(self, torrent_hash):
        return []

    def torrents_categories(self):
        return dict(self.categories)

    def app_default_save_path(self):
        return "/downloads"

    # changing
    def add_entry(self, v1, v2, name="rel", save_path="/srv/releases", trackers=()):
        torrent_id = v1 if self.id_is_v1 else v2[:40]
        self.torrents[torrent_id] = {"hash": torrent_id, "infohash_v1": v1, "infohash_v2": v2, "name": name,
                                     "save_path": save_path, "category": "", "tags": "", "state": "stalledUP",
                                     "auto_tmm": False, "progress": 1}
        self.trackers[torrent_id] = [(url, 0) for url in trackers]
        return torrent_id

    def torrents_add(self, **kwargs):
        self.calls.append(("add", sorted(kwargs)))
        if self.add_conflict_adds is not None:  # someone else adds it just before us
            self.add_entry(*self.add_conflict_adds)
            raise qbittorrentapi.Conflict409Error("Conflict")
        return "Ok."  # and, when shows_up is False, it never appears

    def torrents_delete(self, delete_files, torrent_hashes):
        self.calls.append(("delete", delete_files, torrent_hashes))
        if self.leaves:
            self.torrents.pop(torrent_hashes, None)

    def torrents_create_category(self, name):
        self.calls.append(("create_category", name))
        if self.create_category_conflict:
            raise qbittorrentapi.Conflict409Error("Incorrect category name")
        self.categories[name] = {"name": name, "savePath": ""}

    def torrents_remove_trackers(self, torrent_hash, urls):
        self.calls.append(("remove_trackers", urls))
        gone = [unquote(url) for url in urls.split("|")]
        self.tracker_edits.append(lambda: self.trackers.__setitem__(
            torrent_hash, [(url, tier) for url, tier in self.trackers[torrent_hash] if url not in gone]))

    def torrents_add_trackers(self, torrent_hash, urls):
        self.calls.append(("add_trackers", urls))

        def add():
            tier = 0
            for line in urls.split("\n"):
                if not line:
                    tier += 1
                elif line not in [url for url, dummy in self.trackers[torrent_hash]]:
                    self.trackers[torrent_hash].append((line, tier))
        self.tracker_edits.append(add)


def make_params(**overrides):
    """qbt_torrent's params the way AnsibleModule fills them: every key of the argument spec, defaults applied."""
    params = dict((key, spec.get("default")) for key, spec in session_argument_spec().items())
    params.update(overrides)
    unknown = set(params) - set(session_argument_spec())
    assert not unknown, unknown
    return params


def run_backend(monkeypatch, api, args, version="5.1.0", webapi="2.11.4", check_mode=False):
    """The backend's result, or the QbtError it raised (with the result keys the module would report)."""
    monkeypatch.setattr(_session_edits.time, "sleep", lambda seconds: None)
    options = SessionOptions(make_params(**args))
    options.validate()
    backend = TorrentSessionBackend(options, FakeClient(version, webapi, api=api), check_mode=check_mode)
    try:
        result = backend.run()
    except QbtError as exc:
        return dict(exc.result, failed=True, msg=exc.msg, error=exc, warnings=backend.warnings)
    return dict(result, warnings=backend.warnings)


def test_add_that_never_shows_up_fails_clearly(tmp_path, monkeypatch):
    path, v1, v2 = hybrid_torrent(tmp_path)
    api = FakeApi(shows_up=False)
    clock = iter(range(0, 1000, 1))
    monkeypatch.setattr(_session_edits.time, "monotonic", lambda: next(clock))
    result = run_backend(monkeypatch, api, dict(torrent_file=path, save_path="/srv/releases", timeout=5.0))
    assert result["failed"]
    assert "did not show torrent %s in its session within 5.0 s" % v2[:40] in result["msg"]
    assert "'Ok.'" in result["msg"]
    assert [call for call in api.calls if call[0] == "add"]


def test_torrent_added_by_someone_else_meanwhile(tmp_path, monkeypatch):
    """5.3 answers 409 when the torrent is already there: the module carries on with that torrent."""
    path, v1, v2 = hybrid_torrent(tmp_path)
    api = FakeApi()
    api.add_conflict_adds = (v1, v2, "rel", "/srv/releases", ["udp://tracker.example:1337/announce"])
    result = run_backend(monkeypatch, api, dict(torrent_file=path, save_path="/srv/releases"))
    assert not result.get("failed"), result
    assert result["torrent_id"] == v2[:40]
    assert result["state"] == "stalledUP"
    assert result["save_path"] == "/srv/releases"


def test_libtorrent_1_2_server_uses_the_v1_hash_of_a_hybrid_torrent(tmp_path, monkeypatch):
    path, v1, v2 = hybrid_torrent(tmp_path)
    api = FakeApi(id_is_v1=True)
    api.add_entry(v1, v2, trackers=["udp://tracker.example:1337/announce"])
    result = run_backend(monkeypatch, api, dict(torrent_file=path, save_path="/srv/releases"))
    assert not result["changed"], result
    assert result["torrent_id"] == v1
    assert not [call for call in api.calls if call[0] == "add"]


def test_category_created_by_someone_else_meanwhile(tmp_path, monkeypatch):
    path, v1, v2 = hybrid_torrent(tmp_path)
    api = FakeApi(create_category_conflict=True)
    api.add_entry(v1, v2, trackers=["udp://tracker.example:1337/announce"])
    original = api.torrents_create_category

    def create_then_conflict(name):
        api.categories[name] = {"name": name, "savePath": ""}  # the other client won the race
        original(name)

    api.torrents_create_category = create_then_conflict
    api.torrents_set_category = lambda category, torrent_hashes: api.torrents[torrent_hashes].update(category=category)
    result = run_backend(monkeypatch, api, dict(torrent_file=path, category="releases"))
    assert not result.get("failed"), result
    assert result["changed"]
    assert api.torrents[v2[:40]]["category"] == "releases"


def test_category_name_the_server_refuses(tmp_path, monkeypatch):
    path, v1, v2 = hybrid_torrent(tmp_path)
    api = FakeApi(create_category_conflict=True)
    api.add_entry(v1, v2, trackers=["udp://tracker.example:1337/announce"])
    result = run_backend(monkeypatch, api, dict(torrent_file=path, category="a\\b"))
    assert result["failed"]
    assert "refused to create category 'a\\\\b'" in result["msg"]


def test_torrent_that_never_leaves_the_session(tmp_path, monkeypatch):
    path, v1, v2 = hybrid_torrent(tmp_path)
    api = FakeApi(leaves=False)
    api.add_entry(v1, v2)
    clock = iter(range(0, 1000, 1))
    monkeypatch.setattr(_session_edits.time, "monotonic", lambda: next(clock))
    result = run_backend(monkeypatch, api, dict(torrent_file=path, state="absent", timeout=3.0))
    assert result["failed"]
    assert "did not remove torrent %s from its session within 3.0 s" % v2[:40] in result["msg"]
    assert ("delete", False, v2[:40]) in api.calls  # never the files


def test_tracker_with_a_pipe_cannot_be_removed_before_5_1(tmp_path, monkeypatch):
    path, v1, v2 = hybrid_torrent(tmp_path)
    api = FakeApi()
    api.add_entry(v1, v2, trackers=["https://t.example/announce?a|b"])
    result = run_backend(monkeypatch, api, dict(torrent_file=path, trackers=["udp://new.example:1/announce"]),
                         version="5.0.5", webapi="2.11.2")
    assert result["failed"]
    assert "contains '|'" in result["msg"]
    assert not [call for call in api.calls if call[0] == "remove_trackers"]


def test_tracker_edit_applied_late_is_waited_for(tmp_path, monkeypatch):
    """The defect fixed by the restructure: qbt_torrent reported trackers 5.1 had not applied yet."""
    path, v1, v2 = hybrid_torrent(tmp_path)
    api = FakeApi()
    api.add_entry(v1, v2, trackers=["udp://tracker.example:1337/announce"])
    api.tracker_lag = 4
    wanted = [["udp://tracker.example:1337/announce"], ["https://backup.example/announce"]]
    result = run_backend(monkeypatch, api, dict(torrent_file=path, trackers=wanted))
    assert not result.get("failed"), result
    assert result["changed"] is True
    assert result["trackers"] == wanted  # what the session shows, read after the edit settled
    assert result["warnings"] == []
    assert ("add_trackers", "\nhttps://backup.example/announce") in api.calls


def test_tracker_edit_never_applied_is_a_warning(tmp_path, monkeypatch):
    path, v1, v2 = hybrid_torrent(tmp_path)
    api = FakeApi()
    api.add_entry(v1, v2, trackers=["udp://tracker.example:1337/announce"])
    api.tracker_lag = None
    clock = iter(range(0, 100000))
    monkeypatch.setattr(_session_edits.time, "monotonic", lambda: next(clock))
    result = run_backend(monkeypatch, api, dict(torrent_file=path, trackers=["https://other.example/announce"]))
    assert not result.get("failed"), result
    assert result["changed"] is True
    assert result["trackers"] == [["udp://tracker.example:1337/announce"]]  # the session's truth, not the wish
    assert result["warnings"] == ["qBittorrent did not show every tracker change within a few seconds"]


def test_check_mode_changes_nothing(tmp_path, monkeypatch):
    path, v1, v2 = hybrid_torrent(tmp_path)
    api = FakeApi()
    api.add_entry(v1, v2, trackers=["udp://tracker.example:1337/announce"])
    result = run_backend(monkeypatch, api, dict(torrent_file=path, trackers=["https://other.example/announce"],
                                                state="present"), check_mode=True)
    assert result["changed"] is True
    assert result["actions"] == ["trackers [['udp://tracker.example:1337/announce']] -> "
                                 "[['https://other.example/announce']]"]
    assert not [call for call in api.calls if call[0] in ("remove_trackers", "add_trackers", "add", "delete")]


def test_info_hash_alone_for_a_torrent_not_in_the_session(tmp_path, monkeypatch):
    result = run_backend(monkeypatch, FakeApi(), dict(info_hash="A" * 40))
    assert result["failed"]
    assert result["msg"] == "torrent %s is not in qBittorrent's session; give torrent_file to add it" % ("a" * 40)
    assert result["server_version"] == "5.1.0" and result["actions"] == []


# ---------------------------------------------------------------- describe() from a listing (qbt_releases' no-op)
class CountingApi(FakeApi):
    """Counts torrents/trackers and torrents/webseeds requests; the web seeds are those given."""

    def __init__(self, seeds=()):
        super().__init__()
        self.seeds = list(seeds)
        self.per_torrent = []

    def torrents_trackers(self, torrent_hash):
        self.per_torrent.append("trackers")
        return super().torrents_trackers(torrent_hash)

    def torrents_webseeds(self, torrent_hash):
        self.per_torrent.append("webseeds")
        return [{"url": url} for url in self.seeds]


def listed_backend(tmp_path, api):
    torrent, v1, v2 = hybrid_torrent(tmp_path)
    options = SessionOptions(make_params(torrent_file=torrent, save_path="/srv/releases"))
    options.validate()
    torrent_id = api.add_entry(v1, v2, trackers=["udp://tracker.example:1337/announce"])
    return TorrentSessionBackend(options, FakeClient(api=api)), api.torrents[torrent_id]


def test_a_listed_torrent_is_described_without_a_request_of_its_own(tmp_path):
    api = CountingApi(seeds=["http://stray.example/pub/"])
    backend, entry = listed_backend(tmp_path, api)
    entry["trackers"] = [{"url": "** [DHT] **", "tier": -1}, {"url": "udp://tracker.example:1337/announce", "tier": 0},
                         {"url": "https://stray.example/announce", "tier": 1}]
    api.trackers[entry["hash"]].append(("https://stray.example/announce", 1))  # what torrents/trackers says
    entry["magnet_uri"] = "magnet:?xt=urn:btih:%s&dn=rel&ws=http%%3A%%2F%%2Fstray.example%%2Fpub%%2F" % entry["hash"]
    state = backend.describe(entry, listed=True)
    assert api.per_torrent == []
    assert state["trackers"] == [["udp://tracker.example:1337/announce"], ["https://stray.example/announce"]]
    assert state["url_seeds"] == ["http://stray.example/pub/"]
    assert backend.describe(entry) == state  # the same state as the per-torrent requests give
    assert api.per_torrent == ["trackers", "webseeds"]


def test_a_listing_without_trackers_or_a_clear_magnet_link_falls_back_to_the_requests(tmp_path):
    """qBittorrent 4.5 lists no trackers; 5.1 writes a '&' of a web seed's URL into the magnet link as it is."""
    api = CountingApi(seeds=["http://stray.example/get?a=1&b=2"])
    backend, entry = listed_backend(tmp_path, api)
    entry["magnet_uri"] = "magnet:?xt=urn:btih:%s&dn=rel&ws=http://stray.example/get?a=1&b=2" % entry["hash"]
    state = backend.describe(entry, listed=True)
    assert api.per_torrent == ["trackers", "webseeds"]
    assert state["url_seeds"] == ["http://stray.example/get?a=1&b=2"]
