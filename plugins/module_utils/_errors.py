# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every error the backends raise, in one place.

A backend never calls ``fail_json``: it raises one of these with a one-line message meant for a person (it names
the option or the server and says what to do) and, in ``result``, the facts the module reports with the failure
(``task_id``, ``server_version``, ...). The module that drives the backend turns it into ``fail_json``; a module
that drives many releases records it for that release and goes on with the others.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import typing as t


class QbtError(Exception):
    """A failure with a message for a person; ``result`` holds extra result keys (never secrets)."""

    def __init__(self, msg: str, **result: t.Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.result = result

    def __str__(self) -> str:
        return self.msg


class OptionError(QbtError):
    """Bad input, found before any request or write: the message names the option and the fix."""


class ConnectionFailure(QbtError):
    """qBittorrent cannot be reached, refused the login, or is too old for what was asked."""


class ServerError(QbtError):
    """The server failed a request or went away in the middle of the work."""


class CreatorError(QbtError):
    """A creator task that did not produce a .torrent.

    ``task`` is the normalised task status when the server reported a failure; ``seeding_conflict`` is set when the
    only failure was that the built torrent could not be added to the session (it is already there).
    """

    def __init__(self, msg: str, task: dict | None = None, seeding_conflict: bool = False, **result: t.Any) -> None:
        super().__init__(msg, **result)
        self.task = task
        self.seeding_conflict = seeding_conflict


class SessionError(QbtError):
    """A torrent in the session could not be made to match the options."""


class Interrupted(BaseException):
    """SIGTERM while a creator task runs: unwinds like KeyboardInterrupt so the task is deleted on the way out."""
