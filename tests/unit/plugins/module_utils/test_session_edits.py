# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Editing a torrent in the session: tracker tiers and web seeds, the wait until the session shows an edit, and the
words for a torrent that does not seed.

A live qBittorrent 5.1 applies tracker edits a moment later, but not on demand: how late, or never, cannot be
chosen in an integration test. The shared fake qBittorrent (fake_qbt.py) holds one torrent's trackers and web seeds and
applies edits after a chosen number of reads (or never); a fake clock makes the waits instant. Torrent states a healthy server
does not produce on demand (missingFiles, error, a check that finds part of the data) are given as torrents/info
entries. What the servers really do is tested in tests/integration/targets/qbt_torrent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils import _session_edits
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import SessionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._urls import requote
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_edits import (
    Change,
    apply_trackers,
    apply_url_seeds,
    is_seeding,
    magnet_url_seeds,
    plan_trackers,
    plan_url_seeds,
    seeding_problem,
    session_ids,
    session_tiers,
    wait_for,
    wait_until_checked,
)
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_qbt import FakeQbt

A = "udp://a.example:1337/announce"
B = "http://b.example/announce"
C = "https://c.example/announce?key=x|y"
TORRENT = "c4514447863e83b8cccd6a4bfce75d84ea892509"
PSEUDO = [{"url": "** [DHT] **", "tier": -1}, {"url": "** [PeX] **", "tier": -1}, {"url": "** [LSD] **", "tier": -1}]


pytestmark = pytest.mark.usefixtures("clock")  # conftest.py: every wait here is instant


def client_for(api, version="5.1.0", webapi="2.11.4"):
    return FakeClient(version, webapi, api=api)


def session_with(trackers=(), url_seeds=(), lag=0, decodes=True):
    """The fake qBittorrent holding one torrent, TORRENT, with ``trackers`` ((url, tier) pairs) and ``url_seeds``;
    its edits show after ``lag`` reads (never with None); ``decodes``: removeTrackers percent-decodes (5.1 on)."""
    qbt = FakeQbt(decodes=decodes)
    qbt.entry(TORRENT, trackers=trackers, url_seeds=url_seeds)
    qbt.edit_lag = lag
    return qbt


# ---------------------------------------------------------------- ids

def test_session_ids_truncated_v2_first():
    v1, v2 = "1" * 40, "2" * 64
    assert session_ids(v1, v2) == ["2" * 40, v1]
    assert session_ids(v1, None) == [v1]
    assert session_ids(None, v2) == ["2" * 40]


# ---------------------------------------------------------------- planning trackers

def entries(*pairs):
    return PSEUDO + [{"url": url, "tier": tier} for url, tier in pairs]


def test_session_tiers_by_tier_number_without_pseudo_trackers():
    assert session_tiers(entries((B, 1), (A, 0), (C, 1))) == [[A], [B, C]]
    assert session_tiers(PSEUDO) == []


def test_no_plan_when_only_the_order_inside_a_tier_differs():
    plan = plan_trackers(entries((A, 0), (B, 0)), [[B, A]])
    assert plan.empty
    assert plan_trackers(entries((A, 3), (B, 5)), [[A], [B]]).empty  # tier numbers themselves do not matter


def test_plan_moves_a_tracker_to_another_tier():
    # addTrackers keeps a URL's tier, so a tracker in the wrong tier is removed and added again
    plan = plan_trackers(entries((A, 0), (B, 0)), [[A], [B]])
    assert plan.remove == [B]
    assert plan.add == "\n" + B  # an empty line moves to the next tier
    assert not plan.empty


def test_plan_adds_removes_and_keeps():
    plan = plan_trackers(entries((A, 0), (B, 1)), [[A], [C]])
    assert plan.remove == [B]
    assert plan.add == "\n" + C
    plan = plan_trackers(PSEUDO, [[A, B], [C]])
    assert (plan.remove, plan.add) == ([], "\n".join([A, B, "", C]))
    plan = plan_trackers(entries((A, 0), (B, 0)), [])
    assert (sorted(plan.remove), plan.add) == (sorted([A, B]), None)


# ---------------------------------------------------------------- applying trackers

def test_apply_trackers_waits_until_the_session_shows_the_change(clock):
    api = session_with(trackers=[(A, 0), (B, 0)], lag=3)
    change = apply_trackers(client_for(api), TORRENT, [[A], [B]])
    assert change == Change([[A, B]], [[A], [B]], True)
    assert api.tiers(TORRENT) == [[A], [B]]
    assert api.changes() == ["torrents_remove_trackers", "torrents_add_trackers"]
    assert 0 < clock.slept < _session_edits.SETTLE_SECONDS


def test_apply_trackers_reports_unsettled_when_the_session_never_shows_it(clock):
    api = session_with(trackers=[(A, 0)], lag=None)
    change = apply_trackers(client_for(api), TORRENT, [[A], [B]], settle=5.0)
    assert change.settled is False
    assert change.before == [[A]] and change.after == [[A], [B]]
    assert clock.slept == pytest.approx(5.0)  # gave up after the settle time, not before


def test_apply_trackers_nothing_to_do():
    api = session_with(trackers=[(A, 0), (B, 1)])
    assert apply_trackers(client_for(api), TORRENT, [[A], [B]]) is None
    assert api.changes() == []


def test_apply_trackers_check_mode_sends_nothing():
    api = session_with(trackers=[(A, 0)])
    change = apply_trackers(client_for(api), TORRENT, [[B]], check_mode=True)
    assert change == Change([[A]], [[B]], None)
    assert api.changes() == [] and api.tiers(TORRENT) == [[A]]


def test_tracker_with_a_pipe_removed_byte_for_byte_from_5_1():
    api = session_with(trackers=[(C, 0)])
    change = apply_trackers(client_for(api), TORRENT, [[A]])
    assert change.settled is True
    assert api.tiers(TORRENT) == [[A]]


def test_tracker_with_a_pipe_cannot_be_removed_before_5_1():
    api = session_with(trackers=[(C, 0)], decodes=False)
    with pytest.raises(SessionError, match=r"contains '\|'.*before 5.1"):
        apply_trackers(client_for(api, "5.0.5", "2.11.2"), TORRENT, [[A]])
    assert api.changes() == [] and api.tiers(TORRENT) == [[C]]  # nothing half done


# ---------------------------------------------------------------- web seeds

def test_web_seed_listed_decoded_is_the_same_seed():
    assert plan_url_seeds(["https://m.example/rel%20hybrid/"], ["https://M.example/rel%20hybrid/"]).empty
    plan = plan_url_seeds(["https://m.example/old/"], ["https://m.example/new/"])
    assert (plan.remove, plan.add) == (["https://m.example/old/"], ["https://m.example/new/"])


def test_apply_url_seeds_waits_and_keeps_the_given_form(clock):
    seed = "https://m.example/files/rel%20hybrid/"
    api = session_with(url_seeds=["https://m.example/old%7Cpipe/"], lag=2)
    change = apply_url_seeds(client_for(api), TORRENT, [seed])
    assert change == Change(["https://m.example/old%7Cpipe/"], [seed], True)
    assert api.webseeds[TORRENT] == [seed]  # the server got the URL byte for byte (one percent-decoding of the wire form)
    assert apply_url_seeds(client_for(api), TORRENT, [seed]) is None  # and then nothing to do


def test_apply_url_seeds_unsettled():
    api = session_with(url_seeds=[], lag=None)
    change = apply_url_seeds(client_for(api), TORRENT, ["https://m.example/x/"], settle=1.0)
    assert change.settled is False
    assert change.before == [] and change.after == ["https://m.example/x/"]


# ---------------------------------------------------------------- seeding or not

def torrent(state, progress=1.0, **extra):
    return dict(hash=TORRENT, state=state, progress=progress, save_path="/srv/releases", **extra)


@pytest.mark.parametrize("state", ["uploading", "stalledUP", "queuedUP", "forcedUP"])
def test_seeding_states(state):
    assert is_seeding(torrent(state))
    assert seeding_problem(torrent(state)) is None
    assert not is_seeding(torrent(state, progress=0.5))


@pytest.mark.parametrize("state", ["stoppedUP", "pausedUP", "checkingUP", "missingFiles", "error", "stalledDL"])
def test_not_seeding_states(state):
    assert not is_seeding(torrent(state))
    assert not is_seeding(None)


def test_missing_files_says_where_the_data_should_be():
    problem = seeding_problem(torrent("missingFiles"))
    assert "missingFiles" in problem and "/srv/releases" in problem and "put the data there" in problem


def test_error_state_points_at_the_log():
    problem = seeding_problem(torrent("error"))
    assert "state error" in problem and "Execution Log" in problem


def test_partial_data_after_a_check():
    problem = seeding_problem(torrent("stalledDL", progress=0.25))
    assert "found 25.0% of its data at /srv/releases" in problem
    assert "not the data the .torrent was made from" in problem
    stopped = seeding_problem(torrent("stoppedDL", progress=0.5))
    assert "stopped with 50.0%" in stopped


def test_no_problem_while_checking_or_stopped_complete():
    assert seeding_problem(torrent("checkingUP", progress=0.1)) is None
    assert seeding_problem(torrent("stoppedUP")) is None
    assert seeding_problem(None) == "it is not in qBittorrent's session"


def checking(*steps):
    """The fake qBittorrent checking TORRENT's data: each torrents/info read shows the next step (state, progress),
    the last one repeats; a step of None: the torrent was removed meanwhile."""
    qbt = FakeQbt()
    qbt.entry(TORRENT)
    pending = list(steps)

    def advance(server, **kwargs):
        step = pending.pop(0) if len(pending) > 1 else pending[0]
        if step is None:
            server.torrents.pop(TORRENT, None)
        else:
            server.torrents[TORRENT].update(state=step[0], progress=step[1])
    qbt.before("torrents_info", advance)
    return qbt


def test_wait_until_checked():
    api = checking(("checkingUP", 0.3), ("checkingUP", 0.9), ("stalledUP", 1))
    assert wait_until_checked(api, TORRENT, 30)["state"] == "stalledUP"
    assert len(api.called("torrents_info")) == 3  # until the check ended, not longer
    assert wait_until_checked(checking(("checkingUP", 0.5), None), TORRENT, 30) is None  # removed meanwhile
    still = wait_until_checked(checking(("checkingUP", 0.5)), TORRENT, 2)
    assert still["state"] == "checkingUP" and still["progress"] == 0.5  # timeout: the last entry, for the message


def test_wait_for_returns_the_last_value_at_the_deadline(clock):
    values = iter(range(100))
    assert wait_for(lambda: next(values) >= 3 and "done", 60) == "done"
    assert wait_for(lambda: [], 1.0) == []
    assert clock.now >= 101.0


# The magnet links below are what qBittorrent gave in torrents/info for the same torrent with the web seeds
# http://ws.example/x/ and http://stray.example/a%2520b?q=1&r=2 (added with addWebSeeds), seen live.
MAGNET_HEAD = ("magnet:?xt=urn:btih:a9f15e8d3f1b664c6f8db06a8431fceadc127168&xt=urn:btmh:122044994f6523a777844201dd17"
               "8d5396cb1da769d9c31464ec4525d552eb259f19&dn=multi&xl=196608&tr=udp%3A%2F%2Ft.example%3A1%2Fannounce")


@pytest.mark.parametrize("magnet, seeds", [
    # 5.3: each web seed percent-encoded
    (MAGNET_HEAD + "&ws=http%3A%2F%2Fstray.example%2Fa%2520b%3Fq%3D1%26r%3D2&ws=http%3A%2F%2Fws.example%2Fx%2F",
     ["http://stray.example/a%20b?q=1&r=2", "http://ws.example/x/"]),
    # 4.5 (libtorrent's escaping, lower case)
    (MAGNET_HEAD + "&ws=http%3a%2f%2fws.example%2fx%2f", ["http://ws.example/x/"]),
    # 5.1: QUrl::toEncoded(), a space as %20
    (MAGNET_HEAD + "&ws=http://ws.example/x/&ws=http://ws.example/a%20b/", ["http://ws.example/a%20b/",
                                                                            "http://ws.example/x/"]),
    (MAGNET_HEAD, []),
])
def test_web_seeds_read_from_the_magnet_link(magnet, seeds):
    assert magnet_url_seeds(magnet) == seeds


def test_web_seeds_of_the_magnet_link_match_the_webseeds_endpoint():
    """torrents/webseeds lists the stray seed decoded; both ways give the same list to compare."""
    listed = sorted(requote(url) for url in ["http://stray.example/a b?q=1&r=2", "http://ws.example/x/"])
    assert magnet_url_seeds(MAGNET_HEAD + "&ws=http%3A%2F%2Fstray.example%2Fa%2520b%3Fq%3D1%26r%3D2"
                            "&ws=http%3A%2F%2Fws.example%2Fx%2F") == listed


@pytest.mark.parametrize("magnet", [
    # 5.1 writes a & inside a web seed's URL as it is: the piece after it is not key=value of a known key
    MAGNET_HEAD + "&ws=http://stray.example/a%20b?q=1&r=2&ws=http://ws.example/x/",
    None,
    "",
    "http://not.a.magnet/",
])
def test_web_seeds_not_read_from_a_magnet_link_that_is_unclear(magnet):
    assert magnet_url_seeds(magnet) is None
