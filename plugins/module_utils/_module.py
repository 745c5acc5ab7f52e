# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module runner: what every module's ``main()`` does around its backend, in one place.

``ModuleRunner(options_spec)`` builds the ``AnsibleModule`` (connection options + the module's options + the secrets
option), keeps the secrets of tracker URLs out of everything Ansible shows, checks that fastbencode is installed,
connects (``QbtClient``, which reports a missing qbittorrent-api), runs the backend, turns a ``QbtError`` into
``fail_json`` with its message and facts, and exits. A module's ``main()`` says only what is its own: its options,
its backend and the facts it reports with a failure.

Secrets (the rule is ``_urls.url_secrets``) are registered with ``module.no_log_values``: AnsibleModule replaces each
registered string by ``********`` wherever it occurs in the result it returns (``remove_values``: plain substring
replacement in every string, a whole value equal to one becomes ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER``, no minimum
length), which covers ``msg``, every returned field, ``diff`` and ``invocation`` (the -vvv module arguments).
It does not cover warnings from ansible-core 2.19 on (they are returned as objects that remove_values leaves alone),
so ``warn`` masks their text itself. ``show_tracker_secrets=true`` turns it off.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import contextlib
import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib, remove_values

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient, connection_argument_spec
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import QbtError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._io import ModuleFiles
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import BENCODE_IMPORT_ERROR
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._urls import mask_secrets, tracker_secrets

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta

    class Backend(t.Protocol):
        """What the runner needs of a backend: ``run()`` returns the module's result or raises QbtError; the
        warnings found so far are reported on either path."""

        warnings: list[str]

        def run(self) -> t.Any:
            """The module's result (a dict for most backends, the results of each item for a many-item backend)."""


def require_fastbencode(module: AnsibleModule) -> None:
    """fail_json naming fastbencode when it is missing on the host that runs the module."""
    if BENCODE_IMPORT_ERROR is not None:
        module.fail_json(msg=missing_required_lib("fastbencode", url="https://pypi.org/project/fastbencode/"),
                         exception=BENCODE_IMPORT_ERROR)


def secrets_argument_spec() -> dict:
    """Options of the ``torrentops.qbittorrent.secrets`` doc fragment."""
    return dict(show_tracker_secrets=dict(type="bool", default=False))


def hide_tracker_secrets(module: AnsibleModule, *values: t.Any) -> list[str]:
    """Register the secrets of every URL in ``values`` (URLs, tier lists, options, results, messages) with
    ``module.no_log_values``, so Ansible masks them in what the module returns; returns them. Does nothing with
    ``show_tracker_secrets=true``."""
    if (getattr(module, "params", None) or {}).get("show_tracker_secrets"):
        return []
    secrets = tracker_secrets(*values)
    module.no_log_values.update(secrets)
    return secrets


def hide_torrent_secrets(module: AnsibleModule, *metas: TorrentMeta | None) -> None:
    """The trackers and web seeds of the .torrent files a run read (the one at dest, with maybe an old passkey; one
    given as torrent_file or received from the builder) are secrets too; None stands for no file."""
    for meta in metas:
        if meta is not None:
            hide_tracker_secrets(module, meta.trackers, meta.url_seeds)


def warn(module: AnsibleModule, warning: str) -> None:
    """module.warn with the secrets masked (ansible-core 2.19+ does not apply no_log_values to warnings)."""
    hide_tracker_secrets(module, warning)
    module.warn(mask_secrets(warning, [value for value in module.no_log_values if value]))


def connect(module: AnsibleModule, need_creator: bool = True) -> QbtClient:
    """A QbtClient for the module's connection options, or fail_json with a message for a person."""
    try:
        return QbtClient(module.params, need_creator=need_creator)
    except QbtError as exc:
        fail(module, exc)


def fail(module: AnsibleModule, exc: QbtError, **extra: t.Any) -> t.NoReturn:
    """fail_json with the error's message and facts; ``extra`` fills in keys the error does not carry."""
    result = dict(exc.result)
    for key, value in extra.items():
        result.setdefault(key, value)
    result.setdefault("changed", False)
    result.pop("diff", None)
    hide_tracker_secrets(module, module.params, result, exc.msg)
    module.fail_json(msg=exc.msg, **result)


def exit_with(module: AnsibleModule, result: dict, warnings: t.Iterable[str] = (), failed: str | None = None
              ) -> t.NoReturn:
    """exit_json with the backend's result; ``diff`` only in diff mode. With ``failed`` (the message of a run in
    which some items failed), fail_json with that message and the same result."""
    warnings = list(warnings)
    hide_tracker_secrets(module, module.params, result, warnings)
    for warning in warnings:
        warn(module, warning)
    result = dict(result)
    if not module._diff:
        result.pop("diff", None)
    if failed is not None:
        module.fail_json(msg=failed, **result)
    module.exit_json(**result)


class ModuleRunner:
    """One module run: ``ModuleRunner(spec, **module_args)``, then ``connect()``, ``run(backend)`` and ``exit()``.

    ``options_spec`` is the module's own options; the connection options (``connection_argument_spec``) and
    ``show_tracker_secrets`` are added. Every module supports check mode. ``module_args`` go to AnsibleModule
    (``required_if``, ``add_file_common_args``, ...). The parameters' tracker secrets are hidden at once, and
    fastbencode is required unless ``fastbencode=False`` (then ``require_fastbencode()`` when the module needs it).
    """

    def __init__(self, options_spec: dict, fastbencode: bool = True, **module_args: t.Any) -> None:
        argument_spec = connection_argument_spec()
        argument_spec.update(options_spec)
        argument_spec.update(secrets_argument_spec())
        self.module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True, **module_args)
        self.params: dict = self.module.params
        self.check_mode: bool = self.module.check_mode
        self.files = ModuleFiles(self.module)
        self.hide(self.params)
        if fastbencode:
            self.require_fastbencode()

    def require_fastbencode(self) -> None:
        require_fastbencode(self.module)

    # ---- secrets ------------------------------------------------------------------------------------------------
    def hide(self, *values: t.Any) -> list[str]:
        """See ``hide_tracker_secrets``."""
        return hide_tracker_secrets(self.module, *values)

    def hide_torrents(self, *metas: TorrentMeta | None) -> None:
        """See ``hide_torrent_secrets``."""
        hide_torrent_secrets(self.module, *metas)

    def mask(self, data: t.Any) -> t.Any:
        """``data`` with every secret hidden so far replaced, as Ansible does to results (for files the module
        writes, such as the release manifest); ``data`` as it is with ``show_tracker_secrets=true``."""
        if self.params["show_tracker_secrets"]:
            return data
        return remove_values(data, self.module.no_log_values)

    # ---- the run ------------------------------------------------------------------------------------------------
    def connect(self, need_creator: bool = True) -> QbtClient:
        """See ``connect``."""
        return connect(self.module, need_creator=need_creator)

    @contextlib.contextmanager
    def failing(self, **facts: t.Any) -> t.Iterator[None]:
        """A QbtError raised in the block becomes fail_json (see ``fail``) with ``facts`` for the keys it does not
        carry."""
        try:
            yield
        except QbtError as exc:
            self.fail(exc, **facts)

    def run(self, backend: Backend, torrents: t.Callable[[], t.Iterable[TorrentMeta | None]] | None = None,
            **facts: t.Any) -> t.Any:
        """``backend.run()``'s result. ``torrents()`` lists the .torrent files the backend read, whose secrets are
        hidden on either path. A QbtError becomes fail_json with the backend's warnings so far and ``facts`` for the
        keys the error does not carry."""
        try:
            result = backend.run()
        except QbtError as exc:
            self.hide_torrents(*(torrents() if torrents else ()))
            self.fail(exc, backend.warnings, **facts)
        self.hide_torrents(*(torrents() if torrents else ()))
        return result

    def fail(self, exc: QbtError, warnings: t.Iterable[str] = (), **facts: t.Any) -> t.NoReturn:
        """fail_json with the error's message and facts (``changed`` false unless the error says otherwise, never a
        diff), after the warnings."""
        for warning in warnings:
            warn(self.module, warning)
        fail(self.module, exc, **facts)

    def exit(self, result: dict, warnings: t.Iterable[str] = (), failed: str | None = None) -> t.NoReturn:
        """See ``exit_with``."""
        exit_with(self.module, result, warnings, failed=failed)
