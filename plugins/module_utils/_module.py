# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module does around its backend: connect, turn a QbtError into fail_json, report warnings and diff.

Private module_utils file: its API may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import QbtError


def connect(module, need_creator=True):
    """A QbtClient for the module's connection options, or fail_json with a message for a person."""
    try:
        return QbtClient(module.params, need_creator=need_creator)
    except QbtError as exc:
        fail(module, exc)


def fail(module, exc, **extra):
    """fail_json with the error's message and facts; ``extra`` fills in keys the error does not carry."""
    result = dict(exc.result)
    for key, value in extra.items():
        result.setdefault(key, value)
    result.setdefault("changed", False)
    result.pop("diff", None)
    module.fail_json(msg=exc.msg, **result)


def exit_with(module, result, warnings=()):
    """exit_json with the backend's result; ``diff`` only in diff mode."""
    for warning in warnings:
        module.warn(warning)
    result = dict(result)
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)
