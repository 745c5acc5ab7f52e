# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""qbt_releases around its backend: the module's own options (argument spec, the checks of ``dir_mode``, ``manifest``
and ``feed`` before any request) and what it returns after ``ReleasesBackend.run()`` (the summary, the builder's
bundle, the manifest and its feed).

The keys of one release are here too: ``release_argument_spec`` (every qbt_torrent_create option and the release
role's keys) and ``validate_releases`` (every release checked before anything is changed).

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import copy
import os
import typing as t

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._bundle import write_bundle
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import create_argument_spec
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._feed import validate_feed
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._io import check_octal_mode
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._manifest import write_manifest
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._release_name import (
    check_name,
    name_problem,
    release_dest,
)

if t.TYPE_CHECKING:
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._module import ModuleRunner
    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_backend import ReleasesBackend


def releases_argument_spec() -> dict:
    """qbt_releases' own options (the connection and secrets options are added by the module runner)."""
    return dict(
        releases=dict(type="list", elements="dict", required=True),
        defaults=dict(type="dict", default={}),
        create_dirs=dict(type="bool", default=True),
        dir_mode=dict(type="str", default="0755"),
        built_bundle=dict(type="path"),
        built_by=dict(type="str"),
        bundle=dict(type="bool", default=False),
        manifest=dict(type="dict", options=dict(
            dir=dict(type="path", required=True),
            name=dict(type="str", default="releases"),
            mode=dict(type="str"),
        )),
        feed=dict(type="dict", options=dict(
            base_url=dict(type="str", required=True),
            title=dict(type="str"),
            link=dict(type="str"),
            description=dict(type="str"),
            include_private=dict(type="bool", default=False),
        )),
    )


def check_releases_options(params: dict) -> None:
    """OptionError naming the option when ``dir_mode``, ``manifest`` or ``feed`` cannot work (before any request)."""
    check_octal_mode(params["dir_mode"], "dir_mode", "0755")
    manifest = params["manifest"]
    if manifest is not None:
        if manifest["mode"]:
            check_octal_mode(manifest["mode"], "manifest.mode", "0644")
        bad_name = check_name(manifest["name"], "manifest")
        if bad_name:
            raise OptionError(bad_name + " (nothing was changed)")
    if params["feed"] is not None:
        if manifest is None:
            raise OptionError("feed: the feed is written beside the manifest (<manifest.dir>/<manifest.name>.rss): "
                              "set manifest too")
        validate_feed(params["feed"])


def release_argument_spec() -> dict:
    """The keys of one release: every qbt_torrent_create option, plus what the release role documents."""
    spec = create_argument_spec()
    spec.pop("start_seeding")  # seeding is the release's seed key, with category and tags
    spec["dest"] = dict(type="path")
    spec.update(
        name=dict(type="str", required=True),
        dest_dir=dict(type="path"),
        seed=dict(type="bool", default=False),
        category=dict(type="str"),
        tags=dict(type="list", elements="str"),
        mode=dict(type="raw"),
        owner=dict(type="str"),
        group=dict(type="str"),
        built_by=dict(type="str"),
    )
    return spec


def validate_releases(releases: list, defaults: dict | None = None) -> list[dict]:
    """Every release checked against release_argument_spec() (defaults applied); returns the validated dicts or
    raises one OptionError naming each bad release and key."""
    spec = release_argument_spec()
    validator = ArgumentSpecValidator(spec, mutually_exclusive=[("dest", "dest_dir")],
                                      required_one_of=[("dest", "dest_dir")],
                                      required_if=[("state", "present", ["source_path"])])
    problems = []
    validated = []
    seen_names = {}
    seen_dests = {}
    validated_shapes = {}
    unknown_defaults = sorted(set(defaults or {}) - set(spec))
    if unknown_defaults:  # blamed on defaults once, not on every release
        problems.append("defaults: unknown key%s %s; valid keys: %s" % (
            "s" if len(unknown_defaults) > 1 else "", ", ".join(unknown_defaults), ", ".join(sorted(spec))))
        defaults = {key: value for key, value in defaults.items() if key in spec}
    for index, release in enumerate(releases or []):
        label = "releases[%d]" % index
        if not isinstance(release, dict):
            problems.append("%s: not a dictionary of release keys" % label)
            continue
        merged = dict(defaults or {})
        if release.get("dest") is not None:
            merged.pop("dest_dir", None)
        if release.get("dest_dir") is not None:
            merged.pop("dest", None)
        merged.update(release)
        name = merged.get("name")
        if name and name_problem(name) is None:  # a bad name is quoted by check_name below, not put in every label
            label = "%s (%s)" % (label, name)
        unknown = sorted(set(merged) - set(spec))
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            problems.append("%s: unknown key%s %s; valid keys: %s"
                            % (label, plural, ", ".join(unknown), ", ".join(sorted(spec))))
            continue
        # Releases usually differ only in name and source_path (plain strings, which validation keeps as they are):
        # the rest is validated once per distinct set of values (validation was 0.2-0.3 s of CPU for 2,000 releases)
        shape = None
        if isinstance(merged.get("name"), str) and isinstance(merged.get("source_path"), (str, type(None))):
            shape = repr(sorted((key, value) for key, value in merged.items() if key not in ("name", "source_path")))
            shape += repr(merged.get("source_path") is None)
        if shape is not None and shape in validated_shapes:
            params = dict(copy.deepcopy(validated_shapes[shape]), name=merged["name"],
                          source_path=merged.get("source_path"))
        else:
            result = validator.validate(merged)
            if result.error_messages:
                problems.extend("%s: %s" % (label, message) for message in result.error_messages)
                continue
            params = result.validated_parameters
            if shape is not None:
                validated_shapes[shape] = copy.deepcopy(params)
        name = params["name"]
        bad_name = check_name(name, label)
        if bad_name:  # before dest is computed from it
            problems.append(bad_name)
            continue
        if name in seen_names:
            problems.append("%s: name %s is used twice (also releases[%d])" % (label, name, seen_names[name]))
            continue
        dest = os.path.abspath(release_dest(params))
        if dest in seen_dests:
            problems.append("%s: dest %s is used twice (also releases[%d])" % (label, dest, seen_dests[dest]))
            continue
        seen_names[name] = index
        seen_dests[dest] = index
        validated.append(params)
    if problems:
        raise OptionError("; ".join(problems) + " (nothing was changed)")
    return validated


def summary(results: list[dict]) -> list[str]:
    """The ``summary`` result: one line per release that changed or failed, saying what and why."""
    lines = []
    for result in results:
        if result.get("failed"):
            lines.append("%s: FAILED: %s" % (result["name"], result["msg"]))
        elif result["changed"]:
            lines.append("%s: %s" % (result["name"], "; ".join(result["actions"]) or "changed"))
    return lines


def torrents_read(backend: ReleasesBackend) -> list:
    """The .torrent files the run read (at dest, or received from the builder), whose trackers are secrets too."""
    return [meta for release in backend.releases for meta in (release.meta, release.file and release.file.existing)]


def releases_output(runner: ModuleRunner, backend: ReleasesBackend, results: list[dict], client: QbtClient | None
                    ) -> tuple[dict, str | None]:
    """The module's result after the run, and the failure message when some releases failed (None when none did):
    writes the bundle (``bundle``) and the manifest and feed (``manifest``, ``feed``); fail_json when one of them
    cannot be written."""
    params, manifest = runner.params, runner.params["manifest"]
    output = dict(changed=any(r["changed"] for r in results), releases=results, summary=summary(results),
                  created_dirs=backend.created_dirs)
    if params["bundle"]:
        with runner.failing(**output):
            output["bundle"] = write_bundle(backend.contents())
    output.update(client.server_facts() if client is not None else {})
    output["diff"] = list(backend.diffs)
    runner.hide(output, backend.warnings)  # before the manifest is masked
    if manifest is not None:
        with runner.failing(**output):
            manifest_changed, output["manifest_files"], manifest_diffs = write_manifest(
                runner.files, results, manifest["dir"], name=manifest["name"], mode=manifest["mode"],
                dir_mode=params["dir_mode"], check_mode=runner.check_mode, mask=runner.mask, feed=params["feed"])
        output["changed"] = output["changed"] or manifest_changed
        output["diff"].extend(manifest_diffs)
    failed = ["%s: %s" % (r["name"], r["msg"]) for r in results if r.get("failed")]
    if not failed:
        return output, None
    return output, "%d of %d releases failed: %s" % (len(failed), len(results), "; ".join(failed))
