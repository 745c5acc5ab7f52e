# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writing dest safely: a reader sees the old file or the new one, never a part, and nothing is left behind when a
write fails. A full disk or a failing rename cannot be produced on demand in an integration test, so they are made
here by replacing os.fsync / AnsibleModule.atomic_move; the rest runs a real AnsibleModule on a temporary directory.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.module_args import patch_module_args

from ansible_collections.torrentops.qbittorrent.plugins.module_utils import _io
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._io import ModuleFiles, remove_file, write_file_atomic


@pytest.fixture
def module():
    with patch_module_args({}):
        return AnsibleModule(argument_spec={}, add_file_common_args=True)


def leftovers(directory, dest_name):
    return sorted(name for name in os.listdir(str(directory)) if name != dest_name)


def test_write_replaces_the_file(tmp_path, module):
    dest = tmp_path / "out.torrent"
    dest.write_bytes(b"old")
    assert write_file_atomic(module, str(dest), b"new") is None
    assert dest.read_bytes() == b"new"
    assert leftovers(tmp_path, "out.torrent") == []  # no temp file left


def test_write_with_backup_keeps_the_old_file(tmp_path, module):
    dest = tmp_path / "out.torrent"
    assert write_file_atomic(module, str(dest), b"first", backup=True) is None  # nothing to back up yet
    backup = write_file_atomic(module, str(dest), b"second", backup=True)
    assert backup and os.path.dirname(backup) == str(tmp_path)
    with open(backup, "rb") as handle:
        assert handle.read() == b"first"
    assert dest.read_bytes() == b"second"


def test_full_disk_leaves_the_old_file_and_no_temp_file(tmp_path, module, monkeypatch):
    dest = tmp_path / "out.torrent"
    dest.write_bytes(b"old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_io.os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        write_file_atomic(module, str(dest), b"new")
    assert dest.read_bytes() == b"old"
    assert leftovers(tmp_path, "out.torrent") == []


def test_failed_rename_leaves_the_old_file_and_no_temp_file(tmp_path, module, monkeypatch):
    dest = tmp_path / "out.torrent"
    dest.write_bytes(b"old")

    def fail_json(src, dest, unsafe_writes=False):  # atomic_move reports a failure with fail_json -> SystemExit
        raise SystemExit(1)

    monkeypatch.setattr(module, "atomic_move", fail_json)
    with pytest.raises(SystemExit):
        write_file_atomic(module, str(dest), b"new")
    assert dest.read_bytes() == b"old"
    assert leftovers(tmp_path, "out.torrent") == []


def test_remove_file(tmp_path, module):
    dest = tmp_path / "out.torrent"
    assert remove_file(module, str(dest)) == (False, None)
    dest.write_bytes(b"old")
    removed, backup = remove_file(module, str(dest), backup=True)
    assert removed and not dest.exists()
    with open(backup, "rb") as handle:
        assert handle.read() == b"old"
    os.symlink("missing", str(dest))  # a dangling symlink at dest is removed too
    assert remove_file(module, str(dest)) == (True, None)
    assert not os.path.lexists(str(dest))


def test_module_files(tmp_path, module):
    files = ModuleFiles(module)
    dest = tmp_path / "out.torrent"
    files.write(str(dest), b"data")
    params = dict(module.params, mode="0600")
    assert files.set_attributes(str(dest), params, False) is True
    assert oct(os.stat(str(dest)).st_mode & 0o777) == "0o600"
    assert files.set_attributes(str(dest), params, False) is False  # already so
    assert files.set_attributes(str(tmp_path / "missing"), params, False) is False  # check mode: nothing written
    assert files.remove(str(dest)) == (True, None)
