# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""path_map (qBittorrent's paths seen elsewhere by the module): validation and longest whole-component prefix
matching. Pure path arithmetic, no file is touched; what the backend does with a mapped path (scan it, warn, fail) is
in test_torrent_file_backend.py, and the mapping against real servers in tests/integration/targets/qbt_path_map.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import (
    CreateOptions,
    create_argument_spec,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._path_map import PathMap


def path_map(*pairs):
    return PathMap.from_option([dict(server=server, local=local) for server, local in pairs])


def mapped_path(pairs, server_path):
    found = path_map(*pairs).lookup(server_path)
    return found.path if found else None


# ---------------------------------------------------------------- matching

def test_empty_or_unset_maps_nothing():
    for value in (None, []):
        mapping = PathMap.from_option(value)
        assert not mapping
        assert mapping.lookup("/downloads/distro-1.2") is None


def test_prefix_replaced_rest_kept():
    found = path_map(("/downloads", "/srv/data")).lookup("/downloads/distro-1.2/images")
    assert found.path == "/srv/data/distro-1.2/images"
    assert (found.server, found.local) == ("/downloads", "/srv/data")


def test_the_server_path_itself_maps_to_the_local_path():
    assert mapped_path([("/downloads", "/srv/data")], "/downloads") == "/srv/data"
    assert mapped_path([("/downloads/distro.iso", "/srv/iso/d.iso")], "/downloads/distro.iso") == "/srv/iso/d.iso"


@pytest.mark.parametrize("server_path", ["/downloads2/distro", "/downloads-old", "/download", "/srv/downloads/x", "/"])
def test_prefix_matches_whole_components_only(server_path):
    assert mapped_path([("/downloads", "/srv/data")], server_path) is None


def test_longest_server_prefix_wins_whatever_the_order():
    pairs = [("/downloads", "/srv/data"), ("/downloads/releases", "/mnt/releases"), ("/", "/mnt/qbt-root")]
    for order in (pairs, list(reversed(pairs))):
        assert mapped_path(order, "/downloads/releases/distro-1.2") == "/mnt/releases/distro-1.2"
        assert mapped_path(order, "/downloads/releases-old/distro") == "/srv/data/releases-old/distro"
        assert mapped_path(order, "/downloads/x") == "/srv/data/x"
        assert mapped_path(order, "/media/usb/x") == "/mnt/qbt-root/media/usb/x"


def test_root_maps_every_path():
    assert mapped_path([("/", "/mnt/qbt-root")], "/downloads/distro") == "/mnt/qbt-root/downloads/distro"


def test_paths_are_normalised_on_both_sides():
    pairs = [("/downloads/", "/srv/data/")]
    assert mapped_path(pairs, "/downloads/distro-1.2/") == "/srv/data/distro-1.2"
    assert mapped_path(pairs, "//downloads//distro-1.2") == "/srv/data/distro-1.2"
    assert mapped_path(pairs, "/downloads/./a/../distro-1.2") == "/srv/data/distro-1.2"
    assert mapped_path([("//downloads/./x/..", "//srv/data")], "/downloads/d") == "/srv/data/d"
    # '..' cannot climb out of a prefix by string tricks: /downloads/../etc is /etc, not under /downloads
    assert mapped_path(pairs, "/downloads/../etc/passwd") is None


# ---------------------------------------------------------------- validation

@pytest.mark.parametrize("entry, message", [
    (dict(server="downloads", local="/srv/data"), r"path_map\[0\]\.server: 'downloads' is relative"),
    (dict(server="/downloads", local="srv/data"), r"path_map\[0\]\.local: 'srv/data' is relative"),
    (dict(server="/downloads", local="~/data"), r"path_map\[0\]\.local: '~/data' is relative"),
    (dict(server="/downloads", local=""), r"path_map\[0\]\.local: missing"),
    (dict(server="/downloads"), r"path_map\[0\]\.local: missing"),
    (dict(server="/down\x00loads", local="/srv/data"), r"path_map\[0\]\.server: contains a NUL"),
    (dict(server="/downloads", local="/srv/data", remote="/x"), r"path_map\[0\]: unknown key\(s\) remote"),
    ("/downloads:/srv/data", r"path_map\[0\]: each entry is a dictionary"),
])
def test_bad_entries_are_refused_naming_the_entry(entry, message):
    with pytest.raises(OptionError, match=message):
        PathMap.from_option([entry])


def test_the_same_server_path_twice_is_refused():
    with pytest.raises(OptionError, match=r"path_map\[1\]: server path /downloads is already mapped by path_map\[0\]"):
        path_map(("/downloads", "/srv/a"), ("/downloads/", "/srv/b"))


def test_a_later_bad_entry_is_named_by_its_index():
    with pytest.raises(OptionError, match=r"path_map\[2\]\.server"):
        path_map(("/a", "/x"), ("/b", "/y"), ("c", "/z"))


# ---------------------------------------------------------------- as an option of qbt_torrent_create (and releases)

def params(tmp_path, **overrides):
    values = dict((key, spec.get("default")) for key, spec in create_argument_spec().items())
    values.update(dest=str(tmp_path / "out.torrent"), source_path="/downloads/distro-1.2")
    values.update(overrides)
    return values


def test_create_options_validate_the_map(tmp_path):
    options = CreateOptions(params(tmp_path, path_map=[dict(server="/downloads", local="/srv/data")]))
    options.validate()
    assert options.path_map.lookup(options.source_path).path == "/srv/data/distro-1.2"
    assert options.name == "distro-1.2"  # the torrent is still named after the server's path
    bad = CreateOptions(params(tmp_path, path_map=[dict(server="downloads", local="/srv/data")]))
    with pytest.raises(OptionError, match="path_map"):
        bad.validate()


def test_state_absent_ignores_the_map(tmp_path):
    options = CreateOptions(params(tmp_path, state="absent", path_map=[dict(server="x", local="y")]))
    options.validate()
    assert not options.path_map


def test_argument_spec_requires_both_keys_and_defaults_to_no_mapping():
    result = ArgumentSpecValidator(create_argument_spec()).validate(
        dict(dest="/tmp/x.torrent", path_map=[dict(server="/downloads")]))
    assert result.error_messages == ["missing required arguments: local found in path_map"]
    result = ArgumentSpecValidator(create_argument_spec()).validate(dict(dest="/tmp/x.torrent"))
    assert result.error_messages == [] and result.validated_parameters["path_map"] == []
