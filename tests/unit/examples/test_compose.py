# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""examples/compose.yaml is run by scripts/test's examples stage (scripts/compose-example) with a locally built image in
place of the official one, which no registry here serves. What that run cannot show is checked here as data: the file
names the official image at a pinned libtorrent 2.0 tag, confirms the legal notice, publishes the Web UI port it
configures, mounts the data volume where examples/container.yml's path_map expects it, and the override used in CI
changes nothing but the image and the address the ports are published on.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def load(name):
    with open(os.path.join(ROOT, "examples", name)) as handle:
        return yaml.safe_load(handle)


def service():
    compose = load("compose.yaml")
    assert list(compose["services"]) == ["qbittorrent-nox"]
    return compose["services"]["qbittorrent-nox"]


def volumes():
    """{container path: host path}"""
    found = {}
    for volume in service()["volumes"]:
        host, inside = volume.split(":")[:2]
        found[inside] = host
    return found


def test_official_image_pinned_to_a_libtorrent_2_tag():
    image = service()["image"]
    repository, tag = image.rsplit(":", 1)
    assert repository in ("qbittorrentofficial/qbittorrent-nox", "docker.io/qbittorrentofficial/qbittorrent-nox")
    # X.Y.Z-lt2-N: a fixed release built with libtorrent 2.0 (v2 and hybrid torrents); not latest, not libtorrent 1.2
    assert re.match(r"^5\.\d+\.\d+-lt2-\d+$", tag), tag


def test_legal_notice_and_web_ui_port_published():
    environment = service()["environment"]
    assert environment["QBT_LEGAL_NOTICE"] == "confirm"
    port = environment["QBT_WEBUI_PORT"]
    published = [p for p in service()["ports"] if p.endswith(":%s/tcp" % port)]
    assert published == ["127.0.0.1:%s:%s/tcp" % (port, port)]


def test_profile_and_data_volumes_are_absolute_host_paths():
    found = volumes()
    assert set(found) == {"/config", "/downloads"}
    assert all(os.path.isabs(host) for host in found.values())


def test_the_playbook_maps_the_data_volume_back():
    play = load("container.yml")[0]
    [task] = [t for t in play["tasks"] if "torrentops.qbittorrent.qbt_torrent_create" in t]
    args = task["torrentops.qbittorrent.qbt_torrent_create"]
    assert args["path_map"] == [{"server": "/downloads", "local": volumes()["/downloads"]}]
    assert args["source_path"].startswith("/downloads/")


def test_the_ci_override_only_swaps_the_image_and_binds_ports_to_loopback():
    with open(os.path.join(ROOT, "examples", "compose.local-image.yaml")) as handle:
        text = handle.read()
    # the !override tag (Compose 2.24+) is not YAML that safe_load knows: read it as a plain sequence
    override = yaml.safe_load(text.replace("!override", ""))
    assert list(override["services"]) == ["qbittorrent-nox"]
    local = override["services"]["qbittorrent-nox"]
    assert set(local) == {"image", "ports"}
    assert "TORRENTOPS_QBITTORRENT_IMAGE" in local["image"]
    # the same ports as the example, each on 127.0.0.1
    assert local["ports"] == ["127.0.0.1:%s" % p.split("127.0.0.1:")[-1] for p in service()["ports"]]
