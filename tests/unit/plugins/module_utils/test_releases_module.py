# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""qbt_releases' own options are refused before any request, naming the option; every release is validated before
anything changes (validate_releases: all input errors at once, each naming the release and the key); the summary says
what changed."""

from __future__ import annotations

import re

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_module import (
    check_releases_options,
    release_argument_spec,
    releases_argument_spec,
    summary,
    validate_releases,
)

MANIFEST = dict(dir="/srv/manifest", name="releases", mode=None)
FEED = dict(base_url="https://releases.example/torrents/")


def params(**changes):
    values = dict(dir_mode="0755", manifest=None, feed=None)
    values.update(changes)
    return values


def test_the_spec_holds_the_module_options_only():
    spec = releases_argument_spec()
    assert spec["releases"]["required"] is True and spec["dir_mode"]["default"] == "0755"
    assert "host" not in spec and "show_tracker_secrets" not in spec  # added by the module runner


@pytest.mark.parametrize("changes", [{}, dict(manifest=dict(MANIFEST, mode="0640"), feed=FEED)])
def test_good_options_pass(changes):
    check_releases_options(params(**changes))


@pytest.mark.parametrize("changes, message", [
    (dict(dir_mode="rwx"), "dir_mode: 'rwx' is not an octal mode such as '0755'"),
    (dict(manifest=dict(MANIFEST, mode="0698")), "manifest.mode: '0698' is not an octal mode such as '0644'"),
    (dict(manifest=dict(MANIFEST, name="../up")), "manifest: name '../up' holds '/'"),
    (dict(feed=FEED), "feed: the feed is written beside the manifest (<manifest.dir>/<manifest.name>.rss): set "
                      "manifest too"),
    (dict(manifest=MANIFEST, feed=dict(base_url="ftp://x/")), "feed.base_url: 'ftp://x/' is not an http:// or "
                                                              "https:// URL"),
])
def test_bad_options_are_refused_naming_the_option(changes, message):
    with pytest.raises(OptionError) as caught:
        check_releases_options(params(**changes))
    assert caught.value.msg.startswith(message)


def test_summary_lists_what_changed_or_failed():
    results = [dict(name="a", changed=True, actions=["built", "added to the session"]),
               dict(name="b", changed=False, actions=[]),
               dict(name="c", changed=True, actions=[]),
               dict(name="d", changed=False, failed=True, msg="data does not match", actions=[])]
    assert summary(results) == ["a: built; added to the session", "c: changed", "d: FAILED: data does not match"]


# ---------------------------------------------------------------- validate_releases

def one_error(releases, defaults=None):
    with pytest.raises(OptionError) as caught:
        validate_releases(releases, defaults)
    message = caught.value.msg
    assert message.endswith(" (nothing was changed)")
    return message


def problems(message, label=r"releases?\S*"):
    """The single problems in one error (they are joined with "; ", which some of them contain too)."""
    return re.split(r"; (?=%s)" % label, message[:-len(" (nothing was changed)")])


def test_defaults_are_applied_and_the_spec_fills_the_rest():
    releases = validate_releases(
        [dict(name="a", source_path="/srv/a"), dict(name="b", source_path="/srv/b", seed=False, format="hybrid")],
        dict(dest_dir="/out", seed=True, trackers=["udp://t.example:1337/announce"]))
    first, second = releases
    assert first["dest_dir"] == "/out" and first["dest"] is None
    assert first["seed"] is True and second["seed"] is False  # a release's own value wins
    assert first["trackers"] == second["trackers"] == ["udp://t.example:1337/announce"]
    assert first["format"] == "v1" and second["format"] == "hybrid"  # v1 by default: every client
    assert first["state"] == "present" and first["timeout"] == 3600.0
    assert set(first) == set(release_argument_spec())
    assert "start_seeding" not in first  # seeding is the release's seed key


def test_a_release_dest_overrides_a_default_dest_dir():
    releases = validate_releases([dict(name="a", source_path="/srv/a", dest="/elsewhere/a.torrent"),
                                  dict(name="b", source_path="/srv/b")], dict(dest_dir="/out"))
    assert releases[0]["dest"] == "/elsewhere/a.torrent" and releases[0]["dest_dir"] is None
    assert releases[1]["dest_dir"] == "/out" and releases[1]["dest"] is None


def test_a_release_dest_dir_overrides_a_default_dest():
    releases = validate_releases([dict(name="a", source_path="/srv/a", dest_dir="/out")],
                                 dict(dest="/default.torrent"))
    assert releases[0]["dest_dir"] == "/out" and releases[0]["dest"] is None


def test_unknown_key_names_the_release_and_lists_the_valid_keys():
    message = one_error([dict(name="good", source_path="/srv/g", dest_dir="/out"),
                         dict(name="rel1", source_path="/srv/r", dest_dir="/out", sead=True)])
    assert message.startswith("releases[1] (rel1): unknown key sead; valid keys: ")
    valid = message.split("valid keys: ", 1)[1].split(" (nothing", 1)[0].split(", ")
    assert valid == sorted(release_argument_spec())
    assert "good" not in message


def test_several_unknown_keys():
    message = one_error([dict(name="rel1", source_path="/srv/r", dest_dir="/out", sead=True, tag="x")])
    assert "releases[0] (rel1): unknown keys sead, tag; valid keys:" in message


def test_an_unknown_key_in_defaults_is_blamed_on_defaults_once():
    message = one_error([dict(name="a", source_path="/srv/a"), dict(name="b", source_path="/srv/b")],
                        dict(dest_dir="/out", sead=True))
    assert message.startswith("defaults: unknown key sead; valid keys: ")
    assert "releases[" not in message  # not on every release


def test_missing_name_names_the_release_by_its_index():
    message = one_error([dict(name="a", source_path="/srv/a"), dict(source_path="/srv/b")], dict(dest_dir="/out"))
    assert message.startswith("releases[1]: ")
    assert "name" in message and "missing" in message


def test_present_without_source_path():
    message = one_error([dict(name="rel1", dest_dir="/out")])
    assert message.startswith("releases[0] (rel1): ")
    assert "source_path" in message


def test_absent_needs_no_source_path():
    assert validate_releases([dict(name="rel1", state="absent", dest_dir="/out")])[0]["source_path"] is None


def test_dest_and_dest_dir_both_given():
    message = one_error([dict(name="rel1", source_path="/srv/r", dest="/out/r.torrent", dest_dir="/out")])
    assert message.startswith("releases[0] (rel1): ")
    assert "mutually exclusive" in message and "dest|dest_dir" in message


def test_neither_dest_nor_dest_dir():
    message = one_error([dict(name="rel1", source_path="/srv/r")])
    assert message.startswith("releases[0] (rel1): ") and "dest, dest_dir" in message


def test_duplicate_names():
    message = one_error([dict(name="rel1", source_path="/srv/a"), dict(name="rel2", source_path="/srv/b"),
                         dict(name="rel1", source_path="/srv/c", dest="/other/c.torrent")], dict(dest_dir="/out"))
    assert message == "releases[2] (rel1): name rel1 is used twice (also releases[0]) (nothing was changed)"


def test_duplicate_dests_also_through_dest_dir():
    message = one_error([dict(name="a", source_path="/srv/a"),
                         dict(name="b", source_path="/srv/b", dest="/out/a.torrent")], dict(dest_dir="/out"))
    assert message == "releases[1] (b): dest /out/a.torrent is used twice (also releases[0]) (nothing was changed)"


def test_wrong_types_name_the_release_and_the_key():
    message = one_error([dict(name="rel1", source_path="/srv/r", dest_dir="/out", piece_size="big", seed="maybe")])
    parts = problems(message)
    assert len(parts) == 2
    assert all(part.startswith("releases[0] (rel1): ") for part in parts)
    assert "piece_size" in parts[0] and "seed" in parts[1]


@pytest.mark.parametrize("name, why", [
    ("../evil", "holds '/'"),
    ("sub/evil", "holds '/'"),
    ("", "is empty"),
    (".", "names a directory"),
    ("..", "names a directory"),
    ("tab\there", "holds the control character U+0009"),
    ("nul\x00", "holds a NUL character"),
])
def test_a_name_that_is_no_single_file_name_is_refused_with_the_rule(name, why):
    message = one_error([dict(name="good", source_path="/srv/good"), dict(name=name, source_path="/srv/x")],
                        dict(dest_dir="/out"))
    assert message.startswith("releases[1]: name %r %s" % (name, why))
    assert "; a name must be a single file name: " in message
    assert "good" not in message


def test_a_bad_name_is_refused_also_with_its_own_dest():
    """dest does not use the name, the hand-off bundle does: the rule is the same for every release."""
    message = one_error([dict(name="a/b", source_path="/srv/a", dest="/out/ab.torrent")])
    assert message.startswith("releases[0]: name 'a/b' holds '/'")


def test_a_release_that_is_not_a_dictionary():
    assert one_error(["rel1"]) == "releases[0]: not a dictionary of release keys (nothing was changed)"


def test_every_bad_release_is_reported_in_one_error():
    message = one_error([
        dict(name="ok1", source_path="/srv/ok1"),
        dict(name="bad1", source_path="/srv/b1", colour="red"),
        dict(name="bad2"),
        dict(name="ok2", source_path="/srv/ok2"),
        dict(name="bad3", source_path="/srv/b3", format="v3"),
        dict(name="ok1", source_path="/srv/again"),
    ], dict(dest_dir="/out"))
    parts = problems(message)
    assert [part.split(":", 1)[0] for part in parts] == [
        "releases[1] (bad1)", "releases[2] (bad2)", "releases[4] (bad3)", "releases[5] (ok1)"]
    assert "unknown key colour" in parts[0]
    assert "source_path" in parts[1]
    assert "format" in parts[2] and "v3" in parts[2]
    assert "used twice" in parts[3]
    assert "ok2" not in message
