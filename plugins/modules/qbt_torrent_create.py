#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: qbt_torrent_create
short_description: Create a .torrent with qBittorrent's torrent creator, idempotently
version_added: 0.1.0
description:
  - Makes sure O(dest) is a .torrent of O(source_path) with the given options, built by a qBittorrent server
    (qBittorrent 5.0.0 or newer, Web API 2.10.4).
  - Run every day with the same options and unchanged content, it reports no change, starts no creator task and
    hashes nothing. It decides by comparing the parsed .torrent at O(dest) with the options and, when the module can
    see O(source_path), with the files (names, sizes, and modification times against the .torrent's creation date).
  - When only O(trackers), O(url_seeds) or O(comment) change, the existing .torrent is rewritten without hashing,
    so the info hash stays the same. If that torrent is in this qBittorrent's session, its trackers and web seeds are
    updated too.
  - Otherwise a creator task runs on the server, is polled until done (or O(timeout)), its .torrent is fetched and
    the task is always deleted, also on failure, timeout or interruption.
  - O(dest) is written atomically (temporary file and rename); a failure leaves it as it was.
author:
  - Torrentops maintainers (@torrentops)
extends_documentation_fragment:
  - torrentops.qbittorrent.connection
  - torrentops.qbittorrent.attributes
  - torrentops.qbittorrent.secrets
  - torrentops.qbittorrent.format_compatibility
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
    details: Makes the same decision, starts no creator task and writes nothing.
  diff_mode:
    support: full
    details: Before and after are the parsed metadata (name, format, hashes, trackers, ...), not bytes.
  idempotent:
    support: full
  safe_file_operations:
    description: Uses Ansible's strict file operation functions to ensure proper permissions and avoid data corruption.
    support: full
options:
  state:
    description:
      - V(present) makes sure O(dest) is a matching .torrent; V(absent) removes O(dest) (and needs no server).
    type: str
    choices: [present, absent]
    default: present
  dest:
    description:
      - Where the .torrent is written, on the host that runs the module. Its directory must exist.
    type: path
    required: true
  source_path:
    description:
      - The file or directory to make a torrent of, as an absolute path on the qBittorrent host (as qBittorrent sees
        it, inside its container if it runs in one; see O(path_map)).
      - Its last component becomes the torrent's name. Names starting with a dot are skipped unless
        O(ignore_dotfiles=false).
      - Required with O(state=present).
    type: str
  torrent_file_path:
    description:
      - Also have the server write the .torrent to this absolute path on the qBittorrent host, whenever a creator task
        runs. It is not updated when only trackers, web seeds or the comment change.
    type: str
  format:
    description:
      - V(v1) (SHA-1) is read and downloaded by every BitTorrent client, from peers and from web seeds. It is the
        default (it was V(hybrid) before; a .torrent left on the default is rebuilt once as v1).
      - V(hybrid) (v1 and v2 in one torrent) adds v2's per-file SHA-256 hashes for clients built on libtorrent 2, but
        Transmission 3.00 (Debian 12's and Ubuntu 22.04's client) cannot open it and aria2 1.36 computes a wrong info
        hash (it finds no peer) and asks web seeds for the torrent's padding files.
      - V(v2) (SHA-256 only, BEP 52) is read only by clients built on libtorrent 2 (qBittorrent 4.4 and newer, for
        example). libtorrent reads a v2 torrent of a directory holding one file as that file alone, without the
        directory; qBittorrent seeds it with the directory itself as save path.
      - 'Web seeds (O(url_seeds), BEP 19): a client asks the web server for byte ranges of the files, at the URL
        followed by the torrent name and the file''s path (C(https://mirror.example/r/) gives
        C(https://mirror.example/r/distro-1.2/images/disk.iso)); for a single file, at the URL itself, or the URL
        followed by the name when it ends with C(/). A hybrid torrent lists padding files (C(.pad/N)) between its
        files: libtorrent skips them, aria2 1.36 asks the web server for them (C(https://mirror.example/r/distro-1.2/.pad/N))
        and fails. The module warns when O(url_seeds) are combined with V(hybrid) or V(v2).'
    type: str
    choices: [v1, v2, hybrid]
    default: v1
  start_seeding:
    description:
      - Have qBittorrent add the new torrent to its session and seed it from O(source_path).
      - Always sent explicitly, because the server defaults it to true when it is omitted.
      - Only acts when a creator task runs. If the same torrent is already in the session the server cannot start a
        second copy; the module then exports the session's .torrent and reports RV(exported_from_session).
      - The server adds the torrent with the parent of O(source_path) as save path. A V(v2) torrent of a directory
        holding one file is read by qBittorrent as that file alone, so the module takes it out of the session again
        and adds it with the directory itself as save path (qBittorrent checks the data), where it seeds.
    type: bool
    default: false
  is_private:
    description:
      - Mark the torrent private (BEP 27), so that peers come only from its trackers. Changes the info hash.
    type: bool
    default: false
  optimize_alignment:
    description:
      - Only honoured by qBittorrent built with libtorrent 1.2 (for example the official image's plain tags, which
        make v1 torrents only); libtorrent 2 builds (Debian's, the official image's C(-lt2) tags) ignore it and the
        module warns.
    type: bool
  padded_file_size_limit:
    description:
      - Only honoured by qBittorrent built with libtorrent 1.2 (see O(optimize_alignment)); -1 disables padding files.
    type: int
  piece_size:
    description:
      - Piece size in bytes, a power of two from 16384 (16 KiB) to 268435456 (256 MiB), or V(0) for automatic.
      - With V(0) an existing .torrent keeps whatever size the server chose.
    type: int
    default: 0
  comment:
    description:
      - The torrent's comment. Changing it rewrites O(dest) without hashing.
    type: str
  source:
    description:
      - The C(source) field of the info dictionary (private trackers use it to tell torrents apart). Changes the info
        hash. Refused on qBittorrent 5.0.0 to 5.0.2, which write the comment there instead.
    type: str
  trackers:
    description:
      - Announce URLs. A flat list is one tier (as qBittorrent does); a list of lists gives one tier per inner list.
      - URLs are checked (http, https, udp, ws, wss) and encoded for the server's version so that they are stored
        byte for byte as given.
      - Changing them rewrites O(dest) without hashing.
    type: list
    elements: raw
    default: []
  url_seeds:
    description:
      - Web seed URLs (BEP 19), http or https. Changing them rewrites O(dest) without hashing.
    type: list
    elements: str
    default: []
  ignore_dotfiles:
    description:
      - Whether names starting with a dot are left out. qBittorrent before 5.3 always leaves them out, so
        V(false) is refused there. Unset means the server's default (left out).
    type: bool
  force:
    description:
      - Always run a creator task, even if O(dest) already matches.
    type: bool
    default: false
  source_check:
    description:
      - How the module compares the content with O(dest).
      - V(auto) scans O(source_path) where the host running the module sees it (through O(path_map) when an entry
        matches, else at the same path), and otherwise compares the options only and warns that content changes go
        unnoticed (set O(path_map), run the module on the qBittorrent host with C(delegate_to), or set
        V(never) to silence it).
      - V(always) fails when the source is not visible there (naming O(path_map) when an entry matched); V(never)
        never looks at the files, so content changes are only picked up with O(force=true).
      - The scan reads names, sizes and modification times, not content; a file changed in place with its old
        size and modification time restored is not noticed.
    type: str
    choices: [auto, always, never]
    default: auto
  path_map:
    description:
      - Where the host running the module sees qBittorrent's files when it sees them under another path ("remote path
        mappings" in download managers), for example qBittorrent in a container with the host's C(/srv/data) mounted
        at C(/downloads).
      - Each entry maps a path prefix as qBittorrent sees it (O(path_map[].server)) to the same directory as the
        host running the module sees it (O(path_map[].local)). O(source_path) stays the path qBittorrent sees (it is
        sent to the server and names the torrent); only O(source_check) scans the mapped path.
      - A prefix matches whole path components (V(/downloads) maps C(/downloads/distro-1.2) but not
        C(/downloads2/distro-1.2)); V(/) matches every path. The longest matching prefix wins; the same prefix twice
        is refused. When no entry matches, the module looks at O(source_path) itself.
      - An entry that matches decides where the module looks, even if O(source_path) also exists on this host.
    type: list
    elements: dict
    default: []
    suboptions:
      server:
        description:
          - Absolute path prefix as qBittorrent sees it (inside its container), for example V(/downloads).
        type: str
        required: true
      local:
        description:
          - Absolute path of the same directory (or file) on the host running the module, for example V(/srv/data).
        type: str
        required: true
  backup:
    description:
      - Keep a timestamped copy of the previous O(dest) when it is replaced or removed.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for the creator task, including waiting for room in a full creator queue. When it runs out
        the task is cancelled and deleted and O(dest) is left as it was.
    type: float
    default: 3600
notes:
  - The module runs where Ansible runs modules (the managed node), talks to qBittorrent over HTTP, and writes O(dest)
    there; O(source_path) is read by qBittorrent on its own host.
  - qBittorrent in a container (the official C(qbittorrentofficial/qbittorrent-nox) image) or on another host sees
    the data under its own path. Give O(source_path) as qBittorrent sees it and map it with O(path_map) to where the
    managed node sees the same files (the volume's host directory, an NFS mount), so that O(source_check) still
    notices content changes. Without it, O(source_check=auto) compares the options only and warns.
seealso:
  - module: torrentops.qbittorrent.qbt_torrent_create_info
requirements:
  - fastbencode (Python library on the host that runs the module)
"""

EXAMPLES = r"""
- name: Release distro 1.2 (format v1, the default, which every client can download, also from web seeds)
  torrentops.qbittorrent.qbt_torrent_create:
    host: http://127.0.0.1:8080
    username: admin
    password: "{{ qbittorrent_password }}"
    source_path: /srv/releases/distro-1.2
    dest: /srv/torrents/distro-1.2.torrent
    trackers:
      - udp://tracker.example:1337/announce
      - https://t2.example/announce
    url_seeds:
      - https://mirror.example/distro-1.2/
    comment: Distro 1.2
    source: DISTRO
    mode: "0644"
  register: release

- name: Show the magnet link
  ansible.builtin.debug:
    msg: "{{ release.magnet_uri }}"

- name: Trackers in tiers (backup tracker only used when the first tier fails), private torrent
  torrentops.qbittorrent.qbt_torrent_create:
    source_path: /srv/datasets/survey-2026.csv
    dest: /srv/torrents/survey-2026.csv.torrent
    is_private: true
    piece_size: 1048576
    trackers:
      - [https://tracker.example/announce]
      - [udp://backup.example:6969/announce]

- name: A hybrid torrent, for swarms of libtorrent 2 clients (per-file SHA-256 hashes), no web seeds
  torrentops.qbittorrent.qbt_torrent_create:
    source_path: /srv/releases/distro-1.2
    dest: /srv/torrents/distro-1.2-hybrid.torrent
    format: hybrid
    trackers: [udp://tracker.example:1337/announce]

- name: Connection options once for the whole play
  module_defaults:
    group/torrentops.qbittorrent.qbittorrent:
      host: "{{ qbt_host }}"
      username: admin
      password: "{{ qbittorrent_password }}"
  block:
    - name: Build and start seeding
      torrentops.qbittorrent.qbt_torrent_create:
        source_path: /srv/releases/distro-1.3
        dest: /srv/torrents/distro-1.3.torrent
        start_seeding: true

- name: Release with qBittorrent in a container that mounts the host's /srv/data at /downloads
  torrentops.qbittorrent.qbt_torrent_create:
    host: http://127.0.0.1:8080
    source_path: /downloads/distro-1.2        # the path qBittorrent sees (inside the container)
    dest: /srv/torrents/distro-1.2.torrent
    path_map:
      - server: /downloads                    # inside the container
        local: /srv/data                      # the same directory on this host
    source_check: always                      # fail instead of warning when /srv/data is not there

- name: Withdraw an old release's .torrent
  torrentops.qbittorrent.qbt_torrent_create:
    dest: /srv/torrents/distro-1.0.torrent
    state: absent
"""

RETURN = r"""
dest:
  description: The .torrent's path.
  returned: always
  type: str
  sample: /srv/torrents/distro-1.2.torrent
name:
  description: The torrent's name (last component of O(source_path)).
  returned: state=present
  type: str
  sample: distro-1.2
info_hash_v1:
  description: SHA-1 info hash (hex), null for a v2-only torrent.
  returned: state=present
  type: str
  sample: 71a809187c6a1bb097aaa2f7ba46cb7acbd9e25e
info_hash_v2:
  description: SHA-256 info hash (hex), null for a v1-only torrent.
  returned: state=present
  type: str
  sample: 1f2d7c44c1e1e6b0f7d37cfe5a1c8f6f5c6e0e4b5b0d8a2b9d2e4f8c0a1b3c5d
magnet_uri:
  description: Magnet link with both hashes as applicable, name, trackers and web seeds.
  returned: state=present
  type: str
  sample: "magnet:?xt=urn:btih:71a8...&dn=distro-1.2&tr=udp%3A%2F%2Ftracker.example%3A1337%2Fannounce"
format:
  description: V(v1), V(v2) or V(hybrid).
  returned: state=present
  type: str
piece_size:
  description: Piece size in bytes.
  returned: state=present
  type: int
  sample: 1048576
total_size:
  description: Size of the content in bytes (padding excluded).
  returned: state=present
  type: int
file_count:
  description: Number of files in the torrent.
  returned: state=present
  type: int
private:
  description: Whether the torrent is private.
  returned: state=present
  type: bool
trackers:
  description: Tracker tiers, each a list of URLs.
  returned: state=present
  type: list
  elements: list
  sample: [[udp://tracker.example:1337/announce, https://t2.example/announce]]
url_seeds:
  description: Web seeds.
  returned: state=present
  type: list
  elements: str
comment:
  description: The comment, or null.
  returned: state=present
  type: str
source:
  description: The source field, or null.
  returned: state=present
  type: str
task_id:
  description: Id of the creator task that ran (already deleted), null when none ran.
  returned: always
  type: str
reasons:
  description: Why the file was created, rewritten or removed; empty when nothing changed.
  returned: always
  type: list
  elements: str
  sample: ["content added: images/extra.iso"]
source_checked:
  description: Whether the files of O(source_path) were compared (see O(source_check)).
  returned: state=present
  type: bool
source_checked_path:
  description:
    - Where the module looked for the files of O(source_path) on the host running it (after O(path_map)), whether
      it found them or not.
  returned: state=present and O(source_check) is not V(never)
  type: str
  sample: /srv/data/distro-1.2
exported_from_session:
  description: The .torrent came from qBittorrent's session because the same torrent was already seeding there.
  returned: when it happened
  type: bool
seeding:
  description:
    - With O(start_seeding=true), whether the new torrent is complete and seeding in qBittorrent's session (once
      qBittorrent's own check, if any, is over).
    - When it is not (for example state C(missingFiles) or C(error), because the server cannot read the data at
      O(source_path)), the .torrent is still written, RV(seeding) is V(false) and a warning gives the session's state
      and what to do; the task does not fail.
  returned: when a creator task ran with O(start_seeding=true)
  type: bool
seeding_state:
  description: qBittorrent's state of the new torrent, for example V(stalledUP) or V(missingFiles).
  returned: when a creator task ran with O(start_seeding=true)
  type: str
session_updated:
  description: The seeding copy's trackers and web seeds were updated after an in-place rewrite.
  returned: when it happened
  type: bool
server_version:
  description: The qBittorrent version that answered.
  returned: state=present
  type: str
  sample: 5.1.0
webapi_version:
  description: Its Web API version.
  returned: state=present
  type: str
backup_file:
  description: The backup of the previous O(dest).
  returned: when O(backup=true) and a file was replaced or removed
  type: str
"""

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._create_options import CreateOptions, create_argument_spec
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._module import ModuleRunner
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_file_backend import TorrentFileBackend


def main() -> None:
    runner = ModuleRunner(create_argument_spec(), required_if=[("state", "present", ["source_path"])],
                          add_file_common_args=True)
    facts = dict(dest=runner.params["dest"], task_id=None, reasons=[])
    options = CreateOptions(runner.params)
    with runner.failing(**facts):
        options.validate()
    client = runner.connect(need_creator=True) if runner.params["state"] == "present" else None
    backend = TorrentFileBackend(options, runner.files, client=client, check_mode=runner.check_mode)
    result = runner.run(backend, torrents=lambda: [backend.existing], **facts)  # an old passkey at dest
    runner.exit(result, backend.warnings)


if __name__ == "__main__":
    main()
