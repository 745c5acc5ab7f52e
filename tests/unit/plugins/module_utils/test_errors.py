# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The errors every backend raises: what a module reports from them (the message as written, the result facts) and
which ``except`` catches which (a module's ``except QbtError`` takes every failure of the work, never an
interruption)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import (
    ConnectionFailure,
    CreatorError,
    Interrupted,
    OptionError,
    QbtError,
    ServerError,
    SessionError,
)

FAILURES = [OptionError, ConnectionFailure, ServerError, CreatorError, SessionError]


@pytest.mark.parametrize("kind", [QbtError] + FAILURES)
def test_the_message_is_reported_as_written_with_the_result_facts(kind):
    error = kind("piece_size: 1000 is not a power of two; leave it unset", task_id="t-1", server_version="5.1.0")
    assert str(error) == error.msg == "piece_size: 1000 is not a power of two; leave it unset"
    assert error.result == {"task_id": "t-1", "server_version": "5.1.0"}
    assert error.args == ("piece_size: 1000 is not a power of two; leave it unset",)


@pytest.mark.parametrize("kind", FAILURES)
def test_every_failure_is_caught_as_a_qbt_error(kind):
    with pytest.raises(QbtError) as caught:
        raise kind("went wrong")
    assert isinstance(caught.value, Exception)
    assert caught.value.result == {}


def test_a_creator_error_carries_the_task_and_the_seeding_conflict():
    task = {"task_id": "t-1", "status": "failed", "error_message": "Torrent is already present."}
    error = CreatorError("qBittorrent failed to create the torrent", task=task, seeding_conflict=True, task_id="t-1")
    assert error.task is task and error.seeding_conflict is True
    assert error.result == {"task_id": "t-1"}  # task and seeding_conflict are not result keys
    plain = CreatorError("no task id")
    assert plain.task is None and plain.seeding_conflict is False and plain.result == {}


def test_a_failure_can_be_raised_again_with_more_facts():
    """What the session backend does: the same kind of error, the same message, the actions done so far added."""
    error = SessionError("did not seed", changed=True)
    again = type(error)(error.msg, actions=["added"], **error.result)
    assert isinstance(again, SessionError)
    assert again.result == {"changed": True, "actions": ["added"]}


def test_an_interruption_is_no_failure_of_the_work():
    """SIGTERM unwinds like Ctrl-C: ``except Exception`` and ``except QbtError`` do not swallow it, so the creator
    task is deleted on the way out and the run stops."""
    assert not issubclass(Interrupted, Exception) and not issubclass(Interrupted, QbtError)
    with pytest.raises(Interrupted, match="terminated by signal 15"):
        try:
            raise Interrupted("terminated by signal 15")
        except Exception:  # pylint: disable=broad-except
            pytest.fail("an interruption was caught as an ordinary failure")
