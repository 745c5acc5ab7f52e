# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""TorrentSessionBackend (qbt_torrent's backend) in situations a real server cannot be made to produce on demand: a
torrent that never shows up after torrents/add, another client adding the same torrent or category at the same
moment, a server built with libtorrent 1.2 (a hybrid torrent's id is its v1 hash there), a torrent that never leaves
the session, qBittorrent 5.0's removeTrackers that cannot take a '|', tracker edits that 5.1 applies late or never;
and ``describe`` of a torrent from a listing (qbt_releases' no-op: no request of its own). The shared fake
qBittorrent (fake_qbt.py, the ``qbt`` fixture) holds the session and its clock makes the waits instant. Everything
else is tested against real servers in tests/integration/targets/qbt_torrent.
"""

from __future__ import annotations

import hashlib

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import QbtError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_backend import (
    TorrentSessionBackend,
    torrents_by_place,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_options import (
    SessionOptions,
    session_argument_spec,
)
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_qbt import PSEUDO_TRACKERS

fastbencode = pytest.importorskip("fastbencode")


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


def make_params(**overrides):
    """qbt_torrent's params the way AnsibleModule fills them: every key of the argument spec, defaults applied."""
    params = {key: spec.get("default") for key, spec in session_argument_spec().items()}
    params.update(overrides)
    unknown = set(params) - set(session_argument_spec())
    assert not unknown, unknown
    return params


def in_session(qbt, path, **fields):
    """The .torrent at ``path`` in the fake session as if added earlier (FakeQbt.seed's keywords); returns its id."""
    with open(path, "rb") as handle:
        return qbt.seed(handle.read(), **fields)


def run_backend(qbt, args, version="5.1.0", webapi="2.11.4", check_mode=False):
    """The backend's result, or the QbtError it raised (with the result keys the module would report)."""
    options = SessionOptions(make_params(**args))
    options.validate()
    backend = TorrentSessionBackend(options, FakeClient(version, webapi, api=qbt), check_mode=check_mode)
    try:
        result = backend.run()
    except QbtError as exc:
        return dict(exc.result, failed=True, msg=exc.msg, error=exc, warnings=backend.warnings)
    return dict(result, warnings=backend.warnings)


def test_add_that_never_shows_up_fails_clearly(tmp_path, qbt):
    path, v1, v2 = hybrid_torrent(tmp_path)
    qbt.drops_adds = True  # answers Ok. and never adds it
    result = run_backend(qbt, dict(torrent_file=path, save_path="/srv/releases", timeout=5.0))
    assert result["failed"]
    assert "did not show torrent %s in its session within 5.0 s" % v2[:40] in result["msg"]
    assert "'Ok.'" in result["msg"]
    assert qbt.called("torrents_add")


def test_torrent_added_by_someone_else_meanwhile(tmp_path, qbt):
    """5.3 answers 409 when the torrent is already there: the module carries on with that torrent."""
    path, v1, v2 = hybrid_torrent(tmp_path)
    qbt.duplicate_409 = True
    qbt.before("torrents_add", lambda server, **kwargs: in_session(server, path, save_path="/srv/releases"))
    result = run_backend(qbt, dict(torrent_file=path, save_path="/srv/releases"))
    assert not result.get("failed"), result
    assert result["torrent_id"] == v2[:40]
    assert result["state"] == "stalledUP"
    assert result["save_path"] == "/srv/releases"
    assert list(qbt.torrents) == [v2[:40]]


def test_libtorrent_1_2_server_uses_the_v1_hash_of_a_hybrid_torrent(tmp_path, qbt):
    path, v1, v2 = hybrid_torrent(tmp_path)
    qbt.id_is_v1 = True
    in_session(qbt, path)
    result = run_backend(qbt, dict(torrent_file=path, save_path="/srv/releases"))
    assert not result["changed"], result
    assert result["torrent_id"] == v1
    assert qbt.changes() == []


def test_category_created_by_someone_else_meanwhile(tmp_path, qbt):
    path, v1, v2 = hybrid_torrent(tmp_path)
    torrent_id = in_session(qbt, path)

    def other_client_wins(server, name, **kwargs):
        server.categories[name] = {"name": name, "savePath": ""}  # so that ours answers 409

    qbt.before("torrents_create_category", other_client_wins)
    result = run_backend(qbt, dict(torrent_file=path, category="releases"))
    assert not result.get("failed"), result
    assert result["changed"]
    assert qbt.torrents[torrent_id]["category"] == "releases"


def test_category_name_the_server_refuses(tmp_path, qbt):
    path, v1, v2 = hybrid_torrent(tmp_path)
    in_session(qbt, path)
    result = run_backend(qbt, dict(torrent_file=path, category="a\\b"))
    assert result["failed"]
    assert "refused to create category 'a\\\\b'" in result["msg"]


def test_torrent_that_never_leaves_the_session(tmp_path, qbt):
    path, v1, v2 = hybrid_torrent(tmp_path)
    in_session(qbt, path)
    qbt.keeps_deleted = True
    result = run_backend(qbt, dict(torrent_file=path, state="absent", timeout=3.0))
    assert result["failed"]
    assert "did not remove torrent %s from its session within 3.0 s" % v2[:40] in result["msg"]
    assert qbt.called("torrents_delete") == [dict(delete_files=False, torrent_hashes=v2[:40])]  # never the files


def test_tracker_with_a_pipe_cannot_be_removed_before_5_1(tmp_path, qbt):
    path, v1, v2 = hybrid_torrent(tmp_path)
    qbt.decodes = False
    in_session(qbt, path, trackers=[["https://t.example/announce?a|b"]])
    result = run_backend(qbt, dict(torrent_file=path, trackers=["udp://new.example:1/announce"]),
                         version="5.0.5", webapi="2.11.2")
    assert result["failed"]
    assert "contains '|'" in result["msg"]
    assert qbt.changes() == []


def test_tracker_edit_applied_late_is_waited_for(tmp_path, qbt):
    """The defect fixed by the restructure: qbt_torrent reported trackers 5.1 had not applied yet."""
    path, v1, v2 = hybrid_torrent(tmp_path)
    in_session(qbt, path)
    qbt.edit_lag = 4
    wanted = [["udp://tracker.example:1337/announce"], ["https://backup.example/announce"]]
    result = run_backend(qbt, dict(torrent_file=path, trackers=wanted))
    assert not result.get("failed"), result
    assert result["changed"] is True
    assert result["trackers"] == wanted  # what the session shows, read after the edit settled
    assert result["warnings"] == []
    assert qbt.called("torrents_add_trackers") == [dict(torrent_hash=v2[:40], urls="\nhttps://backup.example/announce")]


def test_tracker_edit_never_applied_is_a_warning(tmp_path, qbt):
    path, v1, v2 = hybrid_torrent(tmp_path)
    in_session(qbt, path)
    qbt.edit_lag = None
    result = run_backend(qbt, dict(torrent_file=path, trackers=["https://other.example/announce"]))
    assert not result.get("failed"), result
    assert result["changed"] is True
    assert result["trackers"] == [["udp://tracker.example:1337/announce"]]  # the session's truth, not the wish
    assert result["warnings"] == ["qBittorrent did not show every tracker change within a few seconds"]


def test_check_mode_changes_nothing(tmp_path, qbt):
    path, v1, v2 = hybrid_torrent(tmp_path)
    torrent_id = in_session(qbt, path)
    result = run_backend(qbt, dict(torrent_file=path, trackers=["https://other.example/announce"], state="present"),
                         check_mode=True)
    assert result["changed"] is True
    assert result["actions"] == ["trackers [['udp://tracker.example:1337/announce']] -> "
                                 "[['https://other.example/announce']]"]
    assert qbt.changes() == []
    assert qbt.tiers(torrent_id) == [["udp://tracker.example:1337/announce"]]


def test_info_hash_alone_for_a_torrent_not_in_the_session(qbt):
    result = run_backend(qbt, dict(info_hash="A" * 40))
    assert result["failed"]
    assert result["msg"] == "torrent %s is not in qBittorrent's session; give torrent_file to add it" % ("a" * 40)
    assert result["server_version"] == "5.1.0" and result["actions"] == []


# ---------------------------------------------------------------- older builds of the same content
def test_superseded_torrents_are_found_in_a_listing_already_read(tmp_path, qbt):
    """Same name in the same save path, another torrent: an older build. qbt_releases indexes its one listing
    (torrents_by_place) and asks the same rule for every release without a request of its own."""
    path, v1, v2 = hybrid_torrent(tmp_path)
    options = SessionOptions(make_params(torrent_file=path, save_path="/srv/releases"))
    options.validate()
    backend = TorrentSessionBackend(options, FakeClient(api=qbt))
    in_session(qbt, path)  # the torrent itself is never its own older build
    older = qbt.entry("a" * 40, name="rel", save_path="/srv/releases/")
    qbt.entry("b" * 40, name="rel", save_path="/elsewhere")
    qbt.entry("c" * 40, name="other", save_path="/srv/releases")
    places = torrents_by_place(qbt.torrents_info())
    qbt.requests = []
    assert [t["hash"] for t in backend.find_superseded(None, "rel", "/srv/releases", places)] == [older]
    assert qbt.requests == []
    assert [t["hash"] for t in backend.find_superseded(None, "rel", "/srv/releases")] == [older]  # qbt_torrent
    assert requested(qbt) == ["torrents_info"]


# ---------------------------------------------------------------- describe() from a listing (qbt_releases' no-op)
def listed_backend(tmp_path, qbt, url_seeds):
    """qbt_torrent's backend for a torrent in the session with a stray tracker (tier 1) and ``url_seeds``."""
    path, v1, v2 = hybrid_torrent(tmp_path)
    options = SessionOptions(make_params(torrent_file=path, save_path="/srv/releases"))
    options.validate()
    in_session(qbt, path, trackers=[["udp://tracker.example:1337/announce"], ["https://stray.example/announce"]],
               url_seeds=url_seeds)
    return TorrentSessionBackend(options, FakeClient(api=qbt))


def requested(qbt):
    return [endpoint for endpoint, kwargs in qbt.requests]


def test_a_listed_torrent_is_described_without_a_request_of_its_own(tmp_path, qbt):
    backend = listed_backend(tmp_path, qbt, url_seeds=["http://stray.example/pub/"])
    entry, = qbt.torrents_info(include_trackers=True)  # qBittorrent 5.1+: every torrent's trackers in the listing
    entry["trackers"] = PSEUDO_TRACKERS + entry["trackers"]
    entry["magnet_uri"] = "magnet:?xt=urn:btih:%s&dn=rel&ws=http%%3A%%2F%%2Fstray.example%%2Fpub%%2F" % entry["hash"]
    qbt.requests = []
    state = backend.describe(entry, listed=True)
    assert requested(qbt) == []
    assert state["trackers"] == [["udp://tracker.example:1337/announce"], ["https://stray.example/announce"]]
    assert state["url_seeds"] == ["http://stray.example/pub/"]
    assert backend.describe(entry) == state  # the same state as the per-torrent requests give
    assert requested(qbt) == ["torrents_trackers", "torrents_webseeds"]


def test_a_listing_without_trackers_or_a_clear_magnet_link_falls_back_to_the_requests(tmp_path, qbt):
    """qBittorrent 4.5 lists no trackers; 5.1 writes a '&' of a web seed's URL into the magnet link as it is."""
    backend = listed_backend(tmp_path, qbt, url_seeds=["http://stray.example/get?a=1&b=2"])
    entry, = qbt.torrents_info()
    entry["magnet_uri"] = "magnet:?xt=urn:btih:%s&dn=rel&ws=http://stray.example/get?a=1&b=2" % entry["hash"]
    qbt.requests = []
    state = backend.describe(entry, listed=True)
    assert requested(qbt) == ["torrents_trackers", "torrents_webseeds"]
    assert state["trackers"] == [["udp://tracker.example:1337/announce"], ["https://stray.example/announce"]]
    assert state["url_seeds"] == ["http://stray.example/get?a=1&b=2"]
