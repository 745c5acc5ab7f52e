# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The release manifest qbt_releases writes: the same bytes the role's templates rendered (to_nice_json and the
Markdown table with human_readable sizes), secrets masked, no write when the bytes are unchanged, the mode policy."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

import pytest

from ansible.module_utils.basic import AnsibleModule, remove_values
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.module_args import patch_module_args

from ansible_collections.torrentops.qbittorrent.plugins.module_utils import _manifest
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._io import ModuleFiles

PASSKEY = "0123456789abcdef0123456789abcdef"


def results():
    return [
        dict(name="zeta|x", state="present", source_path="/d/zeta", dest="/t/zeta|x.torrent", total_size=1536,
             file_count=2, format="hybrid", piece_size=16384, private=False, info_hash_v1="aa", info_hash_v2="bb",
             magnet_uri="magnet:?xt=urn:btih:aa&dn=z\u00e9ta", trackers=[["udp://a/announce"]],
             url_seeds=["https://w/x"], seed=True, torrent_name="z\u00e9ta"),
        dict(name="alpha", state="present", source_path="/d/alpha", dest="/t/alpha.torrent", total_size=0,
             file_count=1, format="v1", piece_size=16384, private=False, info_hash_v1="cc", magnet_uri="",
             trackers=[], url_seeds=[], seed=False),
        dict(name="beta", state="present", source_path="/d/beta", dest="/t/beta.torrent", total_size=5000000000,
             file_count=None, format="v2", info_hash_v2="dd", seed="yes"),
        dict(name="gone", state="absent", source_path="/d/gone", dest="/t/gone.torrent"),
        dict(name="bad", state="present", failed=True, msg="boom", source_path="/d/bad", dest="/t/bad.torrent"),
    ]


# What the role's templates (releases.json.j2, releases.md.j2) rendered for results() with ansible-core 2.18/2.19.
EXPECTED_MD = (
    "| Release | Size | Files | Info hash | Magnet | .torrent |\n"
    "|---|---:|---:|---|---|---|\n"
    "| alpha | 0.00 Bytes | 1 | v1 `cc` |  | `/t/alpha.torrent` |\n"
    "| beta | 4.66 GB |  | v2 `dd` |  | `/t/beta.torrent` |\n"
    "| zeta\\|x | 1.50 KB | 2 | v1 `aa`<br>v2 `bb` | [magnet](magnet:?xt=urn:btih:aa&dn=z\u00e9ta) | `/t/zeta\\|x.torrent` |\n"
)


@pytest.fixture
def module():
    with patch_module_args({}):
        return AnsibleModule(argument_spec={}, add_file_common_args=True)


def test_json_lists_present_releases_that_did_not_fail_sorted_by_name():
    text = _manifest.render(results())["json"].decode("utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "releases": [\n    {\n      "file_count": 1,\n')
    data = json.loads(text)
    assert [r["name"] for r in data["releases"]] == ["alpha", "beta", "zeta|x"]
    assert data["releases"][1] == dict(
        name="beta", torrent_name=None, source_path="/d/beta", torrent_file="/t/beta.torrent", size=5000000000,
        file_count=None, format="v2", piece_size=None, private=None, info_hash_v1=None, info_hash_v2="dd",
        magnet_uri=None, trackers=[], url_seeds=[], seeded=True)
    assert data["releases"][2]["seeded"] is True and data["releases"][0]["seeded"] is False
    assert text == json.dumps(data, indent=2, sort_keys=True, separators=(",", ": ")) + "\n"


def test_markdown_table_as_the_template_rendered_it():
    assert _manifest.render(results())["md"].decode("utf-8") == EXPECTED_MD


def test_empty_manifest():
    contents = _manifest.render([])
    assert contents["json"] == b'{\n  "releases": []\n}\n'
    assert contents["md"] == b"| Release | Size | Files | Info hash | Magnet | .torrent |\n|---|---:|---:|---|---|---|\n"


def test_secrets_are_masked_with_the_modules_no_log_values():
    url = "https://tracker.example/announce?passkey=%s" % PASSKEY
    release = dict(results()[1], trackers=[[url]], magnet_uri="magnet:?xt=urn:btih:cc&tr=https%%3A%%2F%%2Ftracker."
                   "example%%2Fannounce%%3Fpasskey%%3D%s" % PASSKEY)
    contents = _manifest.render([release], mask=lambda data: remove_values(data, {PASSKEY}))
    for text in contents.values():
        assert PASSKEY.encode() not in text
    assert b"passkey=********" in contents["json"] and b"passkey%3D********" in contents["md"]
    shown = _manifest.render([release])  # show_tracker_secrets: no mask
    assert PASSKEY.encode() in shown["json"] and PASSKEY.encode() in shown["md"]


@pytest.mark.parametrize("listed, mode, expected", [
    ([dict(name="a", private=False), dict(name="b")], None, "0644"),
    ([dict(name="a", private=False), dict(name="b", private=True)], None, "0600"),
    ([dict(name="a", private=True)], "0640", "0640"),
    ([], None, "0644"),
])
def test_mode_policy(listed, mode, expected):
    assert _manifest.manifest_mode(listed, mode) == expected


def test_a_failed_private_release_does_not_make_the_manifest_private(tmp_path, module):
    failed_private = dict(name="p", state="present", failed=True, private=True)
    _manifest.write_manifest(ModuleFiles(module), results() + [failed_private], str(tmp_path))
    assert stat.S_IMODE(os.stat(str(tmp_path / "releases.json")).st_mode) == 0o644


def test_write_creates_the_directory_then_an_unchanged_run_writes_nothing(tmp_path, module, monkeypatch):
    directory = tmp_path / "a" / "b"
    changed, paths, diffs = _manifest.write_manifest(ModuleFiles(module), results(), str(directory), name="rel",
                                                     dir_mode="0750")
    assert changed and paths == [str(directory / "rel.json"), str(directory / "rel.md")]
    assert [d["before"] for d in diffs] == ["", ""]
    assert stat.S_IMODE(os.stat(str(tmp_path / "a")).st_mode) == 0o750
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == 0o750
    assert (directory / "rel.md").read_text(encoding="utf-8") == EXPECTED_MD
    for path in paths:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o644

    def no_write(*args, **kwargs):
        raise AssertionError("unchanged bytes must not be written")

    monkeypatch.setattr(ModuleFiles, "write", no_write)
    assert _manifest.write_manifest(ModuleFiles(module), results(), str(directory), name="rel") == (False, paths, [])


def test_existing_directory_keeps_its_mode_and_mode_is_applied(tmp_path, module):
    os.chmod(str(tmp_path), 0o711)
    _manifest.write_manifest(ModuleFiles(module), results(), str(tmp_path), dir_mode="0755")
    assert stat.S_IMODE(os.stat(str(tmp_path)).st_mode) == 0o711
    changed, paths, diffs = _manifest.write_manifest(ModuleFiles(module), results(), str(tmp_path), mode="0600")
    assert changed and diffs == []  # only the mode changed
    for path in paths:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_changed_content_is_rewritten_with_a_diff(tmp_path, module):
    _manifest.write_manifest(ModuleFiles(module), results(), str(tmp_path))
    changed, paths, diffs = _manifest.write_manifest(ModuleFiles(module), results()[1:], str(tmp_path))
    assert changed and len(diffs) == 2
    assert "zeta" in diffs[1]["before"] and "zeta" not in diffs[1]["after"]
    assert "zeta" not in (tmp_path / "releases.md").read_text(encoding="utf-8")


def test_check_mode_writes_nothing_but_reports_the_change(tmp_path, module):
    with patch_module_args({"_ansible_check_mode": True}):
        checking = AnsibleModule(argument_spec={}, add_file_common_args=True, supports_check_mode=True)
    directory = tmp_path / "new"
    changed, paths, diffs = _manifest.write_manifest(ModuleFiles(checking), results(), str(directory),
                                                     check_mode=True)
    assert changed and len(diffs) == 2 and not directory.exists()
    directory.mkdir()
    _manifest.write_manifest(ModuleFiles(module), results(), str(directory), check_mode=False)
    before = [written(path) for path in paths]
    changed, paths, diffs = _manifest.write_manifest(ModuleFiles(checking), results(), str(directory), mode="0600",
                                                     check_mode=True)
    assert changed and diffs == []
    assert [written(path) for path in paths] == before  # mode left alone, nothing written or replaced


def written(path):
    """What a write, a replacement or a chmod changes (not the access time: reading a file to compare it may set it)."""
    st = os.stat(path)
    return st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns
