#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: qbt_torrent
short_description: A torrent present or absent in qBittorrent's session, seeding from data that is already there
version_added: 0.1.0
description:
  - Makes sure a torrent is (or is not) in a qBittorrent server's session, found by its info hash, with the save
    path, category, tags, started or stopped state, trackers and web seeds asked for.
  - Meant for publishing releases, whose data is complete where O(save_path) says, so by default the torrent is added
    without a hash check and seeds right away, with nothing to download.
  - The torrent is added from a .torrent file on the host that runs the module (O(torrent_file)); its info hash comes
    from the file, or from O(info_hash) for a torrent that is already in the session.
  - The module never deletes data. V(absent) removes the torrent from the session and keeps its files. qBittorrent's
    own "set location" moves the files, so when an existing torrent must use another O(save_path) the module removes
    it from the session and adds it again at the new path instead (its transfer statistics start over).
  - Works with qBittorrent 4.5 and newer; O(url_seeds) needs qBittorrent 5.1 (Web API 2.11.3).
author:
  - Torrentops maintainers (@torrentops)
extends_documentation_fragment:
  - torrentops.qbittorrent.connection
  - torrentops.qbittorrent.attributes
  - torrentops.qbittorrent.secrets
attributes:
  check_mode:
    support: full
    details: Reads the session and reports what it would change; creates no category and sends no change.
  diff_mode:
    support: full
    details: Before and after are the torrent's session state (save path, category, tags, started, trackers, web seeds).
  idempotent:
    support: full
options:
  state:
    description:
      - V(present) makes sure the torrent is in the session and matches the other options.
      - V(absent) removes it from the session. Its files are never deleted.
    type: str
    choices: [present, absent]
    default: present
  torrent_file:
    description:
      - Path of the .torrent on the host that runs the module (for example what
        M(torrentops.qbittorrent.qbt_torrent_create) wrote).
      - Needed to add the torrent. Its info hashes identify the torrent in the session.
      - With O(state=absent) and O(info_hash), a missing file only gives a warning.
    type: path
  info_hash:
    description:
      - The torrent's v1 (40 hex digits) or v2 (64 hex digits) info hash.
      - Not needed with O(torrent_file); if both are given they must agree.
      - Enough on its own to change or remove a torrent that is already in the session.
      - qBittorrent's own id for a v2 or hybrid torrent is its v2 hash cut to 40 digits; the module finds a torrent by
        any of its hashes.
    type: str
  save_path:
    description:
      - Absolute path, on the qBittorrent host, of the directory that holds the torrent's content (the file, or the
        directory named like the torrent). For a release made from C(/srv/releases/distro-1.2) that is
        C(/srv/releases).
      - The torrent's content layout is always the .torrent's own, whatever the server's default.
      - Setting it turns off automatic torrent management for the torrent, which would move the files to its
        category's path.
      - Unset, a new torrent goes to the server's default save path and an existing one stays where it is.
    type: str
  category:
    description:
      - The torrent's category; created when the server does not have it yet. An empty string removes the category.
      - Unset leaves it as it is.
    type: str
  tags:
    description:
      - The torrent's tags, exactly (tags it has and that are not listed are removed); an empty list removes all.
      - Unset leaves them as they are.
    type: list
    elements: str
  started:
    description:
      - Whether the torrent is started (seeding) or stopped (paused in qBittorrent before 5.0).
    type: bool
    default: true
  trackers:
    description:
      - The trackers the torrent announces to in the session. A flat list is one tier; a list of lists gives one tier
        per inner list. Trackers not listed are removed; an empty list removes all.
      - Unset leaves them as they are (a new torrent has the .torrent's trackers).
    type: list
    elements: raw
  url_seeds:
    description:
      - The torrent's web seeds (BEP 19) in the session, http or https. Web seeds not listed are removed.
      - Unset leaves them as they are (a new torrent has the .torrent's web seeds). Needs qBittorrent 5.1 or newer.
    type: list
    elements: str
  skip_checking:
    description:
      - Add the torrent without checking its data (release data is complete where O(save_path) says).
      - With V(false) qBittorrent hashes the data first; missing or different data is then downloaded.
      - Only used when the torrent is added.
    type: bool
    default: true
  supersede:
    description:
      - Remove from the session (keeping the data) every other torrent with the same name in the same save path,
        such as an older build of the same release after a file was added to it.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for qBittorrent to show an added torrent in its session, or to drop a removed one.
    type: float
    default: 30
notes:
  - The module runs where Ansible runs modules (the managed node) and reads O(torrent_file) there; O(save_path) is a
    path on the qBittorrent host.
seealso:
  - module: torrentops.qbittorrent.qbt_torrent_create
requirements:
  - fastbencode (Python library on the host that runs the module)
"""

EXAMPLES = r"""
- name: Seed release 1.2 from where its data is, in category releases with tag stable
  torrentops.qbittorrent.qbt_torrent:
    host: http://127.0.0.1:8080
    username: admin
    password: "{{ qbittorrent_password }}"
    torrent_file: /srv/torrents/distro-1.2.torrent
    save_path: /srv/releases
    category: releases
    tags: [stable]
  register: seeding

- name: Show how far it is (1.0 = complete, seeding)
  ansible.builtin.debug:
    msg: "{{ seeding.name }} {{ seeding.state }} {{ seeding.progress }}"

- name: Build a release, then seed it with the .torrent's trackers and web seeds
  module_defaults:
    group/torrentops.qbittorrent.qbittorrent:
      host: "{{ qbt_host }}"
      username: admin
      password: "{{ qbittorrent_password }}"
  block:
    - name: Make the .torrent
      torrentops.qbittorrent.qbt_torrent_create:
        source_path: /srv/releases/distro-1.3
        dest: /srv/torrents/distro-1.3.torrent
        trackers: [udp://tracker.example:1337/announce]
      register: release

    - name: Seed it; an older build of distro-1.3 leaves the session
      torrentops.qbittorrent.qbt_torrent:
        torrent_file: "{{ release.dest }}"
        save_path: /srv/releases
        trackers: "{{ release.trackers }}"
        url_seeds: "{{ release.url_seeds }}"
        supersede: true

- name: Stop seeding an old release (its files stay)
  torrentops.qbittorrent.qbt_torrent:
    info_hash: 71a809187c6a1bb097aaa2f7ba46cb7acbd9e25e
    state: absent

- name: Keep it in the session but stopped, with trackers in two tiers
  torrentops.qbittorrent.qbt_torrent:
    torrent_file: /srv/torrents/distro-1.1.torrent
    save_path: /srv/releases
    started: false
    trackers:
      - [https://tracker.example/announce]
      - [udp://backup.example:6969/announce]
"""

RETURN = r"""
info_hash:
  description: The v1 info hash, or the v2 one for a v2-only torrent.
  returned: always
  type: str
  sample: 71a809187c6a1bb097aaa2f7ba46cb7acbd9e25e
info_hash_v1:
  description: SHA-1 info hash (hex), null for a v2-only torrent.
  returned: always
  type: str
info_hash_v2:
  description: SHA-256 info hash (hex), null for a v1-only torrent.
  returned: always
  type: str
torrent_id:
  description: The id qBittorrent uses for the torrent (Web API and Web UI); the v2 hash cut to 40 digits for v2 and
    hybrid torrents.
  returned: always
  type: str
name:
  description: The torrent's name.
  returned: always
  type: str
  sample: distro-1.2
state:
  description:
    - qBittorrent's state for the torrent after the run, for example V(stalledUP) or V(uploading) (seeding),
      V(stoppedUP) (complete and stopped; V(pausedUP) before 5.0), V(checkingUP), V(missingFiles).
    - V(absent) when it is not in the session. In check mode the session is unchanged, so a torrent that would be
      added is still V(absent).
  returned: always
  type: str
  sample: stalledUP
progress:
  description: Share of the data qBittorrent has, from 0 to 1 (1 = complete). Null when the torrent is not in the
    session.
  returned: state=present
  type: float
  sample: 1.0
save_path:
  description: The directory holding the torrent's content on the qBittorrent host.
  returned: state=present
  type: str
  sample: /srv/releases
category:
  description: The torrent's category (empty string for none).
  returned: state=present
  type: str
tags:
  description: The torrent's tags, sorted.
  returned: state=present
  type: list
  elements: str
started:
  description: Whether the torrent is started.
  returned: state=present
  type: bool
trackers:
  description: The torrent's trackers in the session, as tiers (lists of URLs).
  returned: state=present
  type: list
  elements: list
  sample: [[udp://tracker.example:1337/announce]]
url_seeds:
  description: The torrent's web seeds in the session (null when the server cannot list them).
  returned: state=present
  type: list
  elements: str
superseded:
  description: Ids of the other torrents removed from the session by O(supersede).
  returned: state=present
  type: list
  elements: str
actions:
  description: What was changed (or would be, in check mode), in words.
  returned: always
  type: list
  elements: str
  sample: ["added", "tags added: stable"]
server_version:
  description: The qBittorrent version that answered.
  returned: always
  type: str
  sample: v5.1.0
webapi_version:
  description: Its Web API version.
  returned: always
  type: str
  sample: 2.11.4
"""

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._module import ModuleRunner
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_backend import TorrentSessionBackend
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._session_options import SessionOptions, session_argument_spec


def main() -> None:
    runner = ModuleRunner(session_argument_spec(), fastbencode=False, required_one_of=[("torrent_file", "info_hash")])
    if runner.params["torrent_file"] is not None:
        runner.require_fastbencode()
    options = SessionOptions(runner.params)
    with runner.failing(actions=[]):
        options.validate()
    runner.hide_torrents(options.meta)  # the trackers of torrent_file
    client = runner.connect(need_creator=False)
    backend = TorrentSessionBackend(options, client, check_mode=runner.check_mode)
    runner.exit(runner.run(backend), backend.warnings)


if __name__ == "__main__":
    main()
