# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rule of a release name (and of the manifest's name): one file name in one directory, nothing else."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._release_name import (
    NAME_MAX,
    check_name,
    name_problem,
    torrent_file_name,
)


@pytest.mark.parametrize("name", [
    "distro-1.0", "distro 1.0", ".hidden", "...", "a..b", "..a", "a\\\\b", "caf\u00e9", "\u65e5\u672c", "-rf", "a" * 247,
])
def test_names_that_make_one_file_in_dest_dir(name, tmp_path):
    assert name_problem(name) is None
    path = os.path.join(str(tmp_path), torrent_file_name(name))
    with open(path, "wb"):  # the file system takes it, in this directory
        pass
    assert os.listdir(str(tmp_path)) == [torrent_file_name(name)]


@pytest.mark.parametrize("name, why", [
    ("", "is empty"),
    (".", "names a directory"),
    ("..", "names a directory"),
    ("../evil", "holds '/' (it would make a file in another directory)"),
    ("sub/evil", "holds '/' (it would make a file in another directory)"),
    ("/etc/evil", "holds '/' (it would make a file in another directory)"),
    ("evil/", "holds '/' (it would make a file in another directory)"),
    ("nul\x00byte", "holds a NUL character"),
    ("line\nbreak", "holds the control character U+000A"),
    ("esc\x1b[31m\r", "holds the control characters U+000D, U+001B"),
    ("del\x7f", "holds the control character U+007F"),
    ("c1\x85", "holds the control character U+0085"),
    ("a" * 248, "is too long: 256 bytes with '.torrent' (at most 255)"),
    ("\u00e9" * 124, "is too long: 256 bytes with '.torrent' (at most 255)"),  # bytes, not characters
    ("bad\udcff", "is not valid Unicode"),
    (None, "is not a string"),
    (42, "is not a string"),
])
def test_names_that_are_refused(name, why):
    assert name_problem(name) == why


def test_the_longest_name_fills_name_max():
    assert len(torrent_file_name("a" * 247).encode()) == NAME_MAX


def test_the_message_names_what_and_the_rule_and_quotes_control_characters():
    message = check_name("x\x01y", "releases[3]")
    assert message == ("releases[3]: name 'x\\x01y' holds the control character U+0001; a name must be a single "
                       "file name: not empty, not '.' or '..', without '/', NUL or control characters, and at most "
                       "255 bytes (UTF-8) with '.torrent' added")
    assert "\x01" not in message
    assert check_name("fine", "releases[0]") is None
