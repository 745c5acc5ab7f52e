# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures shared by the module_utils unit tests (pytest finds this file; ansible-test units imports it as
``ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.conftest``).

- ``qbt``: a fresh ``FakeQbt`` (fake_qbt.py), the one fake qBittorrent, with ``clock`` in place so its waits are
  instant;
- ``client``: a ``FakeClient`` (fake_client.py: qBittorrent 5.1.0, Web API 2.11.4) whose api is ``qbt``;
- ``clock``: a ``FakeTime`` standing in for ``time`` in _session_edits (every wait for the session);
- ``files``: a ``FakeFiles`` (plain writes, recorded);
- ``lt``: libtorrent's Python binding, to build .torrent files independently of the collection (skips without it).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils import _session_edits
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_qbt import FakeFiles, FakeQbt, FakeTime


@pytest.fixture
def clock(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(_session_edits, "time", fake)
    return fake


@pytest.fixture
def qbt(clock):
    pytest.importorskip("fastbencode")
    pytest.importorskip("qbittorrentapi")
    return FakeQbt()


@pytest.fixture
def client(qbt):
    return FakeClient(api=qbt)


@pytest.fixture
def files():
    return FakeFiles()


@pytest.fixture(scope="session")
def lt():
    return pytest.importorskip("libtorrent")
