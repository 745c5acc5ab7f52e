# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module does around its backend: connect, turn a QbtError into fail_json, report warnings and diff,
and keep the secrets of tracker URLs (passkeys) out of everything Ansible shows.

Secrets (the rule is ``_urls.url_secrets``) are registered with ``module.no_log_values``: AnsibleModule replaces each
registered string by ``********`` wherever it occurs in the result it returns (``remove_values``: plain substring
replacement in every string, a whole value equal to one becomes ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER``, no minimum
length), which covers ``msg``, every returned field, ``diff`` and ``invocation`` (the -vvv module arguments).
It does not cover warnings from ansible-core 2.19 on (they are returned as objects that remove_values leaves alone),
so ``warn`` masks their text itself. ``show_tracker_secrets=true`` turns it off.

Private module_utils file: its API may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import QbtError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import BENCODE_IMPORT_ERROR
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._urls import mask_secrets, tracker_secrets


def require_fastbencode(module):
    """fail_json naming fastbencode when it is missing on the host that runs the module."""
    if BENCODE_IMPORT_ERROR is not None:
        module.fail_json(msg=missing_required_lib("fastbencode", url="https://pypi.org/project/fastbencode/"),
                         exception=BENCODE_IMPORT_ERROR)


def secrets_argument_spec():
    """Options of the ``torrentops.qbittorrent.secrets`` doc fragment."""
    return dict(show_tracker_secrets=dict(type="bool", default=False))


def hide_tracker_secrets(module, *values):
    """Register the secrets of every URL in ``values`` (URLs, tier lists, options, results, messages) with
    ``module.no_log_values``, so Ansible masks them in what the module returns; returns them. Does nothing with
    ``show_tracker_secrets=true``."""
    if (getattr(module, "params", None) or {}).get("show_tracker_secrets"):
        return []
    secrets = tracker_secrets(*values)
    module.no_log_values.update(secrets)
    return secrets


def warn(module, warning):
    """module.warn with the secrets masked (ansible-core 2.19+ does not apply no_log_values to warnings)."""
    hide_tracker_secrets(module, warning)
    module.warn(mask_secrets(warning, [value for value in module.no_log_values if value]))


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
    hide_tracker_secrets(module, module.params, result, exc.msg)
    module.fail_json(msg=exc.msg, **result)


def exit_with(module, result, warnings=()):
    """exit_json with the backend's result; ``diff`` only in diff mode."""
    hide_tracker_secrets(module, module.params, result, list(warnings))
    for warning in warnings:
        warn(module, warning)
    result = dict(result)
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)
