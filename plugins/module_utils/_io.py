# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Safe file writes: temp file in the destination's directory, then an atomic rename.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import os
import tempfile
import typing as t

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError

if t.TYPE_CHECKING:
    from ansible.module_utils.basic import AnsibleModule


def check_octal_mode(value: str, option: str, example: str) -> None:
    """OptionError naming ``option`` when ``value`` is not an octal mode (``example`` shows one)."""
    try:
        int(value, 8)
    except ValueError:
        raise OptionError("%s: %r is not an octal mode such as '%s'" % (option, value, example)) from None


def write_file_atomic(module: AnsibleModule, path: str, content: bytes, backup: bool = False) -> str | None:
    """Replace ``path`` with ``content`` (bytes) so that readers see either the old or the new file, never a part.

    Returns the backup file name when ``backup`` is true and a previous file existed, else None.
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        backup_file = None
        if backup and os.path.exists(path):
            backup_file = module.backup_local(path)
        module.atomic_move(tmp, os.path.abspath(path), unsafe_writes=module.params.get("unsafe_writes", False))
    except BaseException:  # also fail_json's SystemExit from atomic_move
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return backup_file


def remove_file(module: AnsibleModule, path: str, backup: bool = False) -> tuple[bool, str | None]:
    """Remove ``path`` if it exists; returns (removed, backup_file)."""
    if not os.path.lexists(path):
        return False, None
    backup_file = module.backup_local(path) if backup else None
    os.unlink(path)
    return True, backup_file


class ModuleFiles:
    """The file operations a backend needs, done with AnsibleModule's safe functions (``atomic_move``,
    ``backup_local``, ``set_fs_attributes_if_different``), so backends need no module of their own and a
    many-release module hands one of these to every release."""

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module

    def write(self, path: str, content: bytes, backup: bool = False) -> str | None:
        """Atomic replace; returns the backup file name or None."""
        return write_file_atomic(self.module, path, content, backup=backup)

    def remove(self, path: str, backup: bool = False) -> tuple[bool, str | None]:
        return remove_file(self.module, path, backup=backup)

    def set_attributes(self, path: str, file_params: dict, changed: bool) -> bool:
        """mode/owner/group/seuser/... of ``file_params`` on ``path``; returns ``changed`` or True if any changed."""
        if not os.path.exists(path):
            return changed
        file_args = self.module.load_file_common_arguments(file_params, path=path)
        return self.module.set_fs_attributes_if_different(file_args, changed)
