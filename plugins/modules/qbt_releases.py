#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: qbt_releases
short_description: Converge a whole list of releases (.torrent files and seeding) in one module run
version_added: 0.2.0
description:
  - Makes every release of O(releases) real on one qBittorrent in a single process; its .torrent at C(dest) (as
    M(torrentops.qbittorrent.qbt_torrent_create) makes it) and, with C(seed=true), the torrent seeding from its data
    in the session (as M(torrentops.qbittorrent.qbt_torrent) does), or out of the session with C(seed=false), or
    both withdrawn with C(state=absent).
  - Logs in once and reads the session once. A release that has not changed starts no creator task and hashes
    nothing; on qBittorrent 5.1 and newer it costs no request of its own (its trackers come with the one listing,
    C(includeTrackers), its web seeds from the listing's magnet link), on older servers one small request for its
    trackers.
  - The creator tasks of all releases that need one are queued at once and polled together; every task is deleted
    when it ends, and on failure or interruption (SIGINT, SIGTERM) every task still queued is cancelled.
  - The role C(torrentops.qbittorrent.release) drives this module once per host, with a manifest and build once,
    seed everywhere across a fleet.
  - Every release is validated before anything is changed; one bad release fails the whole run naming the release
    and the key. A release that fails while converging (server error, data that does not match) does not stop the
    others; the module then fails naming each failed release and why, and RV(releases) holds every result.
  - B(Build once, seed everywhere.) The builder's run with O(bundle=true) writes its .torrent files into one file
    (RV(bundle)); another host's run given a copy of it (O(built_bundle)) builds nothing; each .torrent is written as
    given (same bytes, same info hashes), and this host's copy of the data is checked against it before it seeds
    (RV(releases[].data_check)). When the module sees the data (the rules of C(source_check) and C(path_map), as
    for building) it hashes every piece itself (SHA-1 pieces for v1 and hybrid, each file's merkle root for v2) and adds
    the torrent with skip_checking, seeding at once; qBittorrent would check one torrent at a time, about a second
    each even for small ones. When it does not see the data, qBittorrent checks it; the torrent is added with the
    stop condition "files checked" and started only when the check found all of the data. A copy that is missing,
    incomplete or different fails that release on that host, naming the file; it is not seeded and nothing is
    fetched from peers (a torrent that was added is taken out of the session again, data kept). A torrent already
    in the session with part of the data is left as it is and fails. Such hosts need no creator API (qBittorrent
    4.5 can seed). The .torrent files travel as a file, never in a module's arguments or results, because those are
    printed at C(-v) / C(-vvv) and a private torrent holds the tracker's passkey.
  - A release's C(name) names files (C(<dest_dir>/<name>.torrent), the member of the bundle), so it is refused, naming
    the release and the rule, when it is empty, V(.) or V(..), holds C(/), a NUL or a control character, or is too
    long for a file name, before anything is sent or written. The manifest's C(name) follows the same rule.
author:
  - Torrentops maintainers (@torrentops)
extends_documentation_fragment:
  - torrentops.qbittorrent.connection
  - torrentops.qbittorrent.attributes
  - torrentops.qbittorrent.secrets
  - torrentops.qbittorrent.format_compatibility
attributes:
  check_mode:
    support: full
    details: Makes the same decisions, starts no creator task, writes nothing and does not touch the session.
  diff_mode:
    support: full
    details: One before/after entry per release whose .torrent changes, as parsed metadata.
  idempotent:
    support: full
  safe_file_operations:
    description: Uses Ansible's strict file operation functions to ensure proper permissions and avoid data corruption.
    support: full
options:
  releases:
    description:
      - The releases, each a dictionary. Keys, checked for every release before anything changes
        (an unknown key fails naming it)
      - C(name) (required, unique); C(source_path) (required with C(state=present)); C(state) (V(present) or V(absent));
        C(dest) or C(dest_dir) (the .torrent is C(dest), or C(dest_dir)/C(name).torrent); C(seed) (bool, default
        false); C(category); C(tags); C(mode), C(owner), C(group) (of the .torrent; a private torrent without C(mode)
        gets V(0600)); C(built_by) (build once, seed everywhere, who built the release's .torrent in
        O(built_bundle), for messages).
      - C(name) is a file name (see the description), so not empty, not V(.) or V(..), no C(/), NUL or control
        character, at most 255 bytes with C(.torrent) added.
      - Every option of M(torrentops.qbittorrent.qbt_torrent_create) except C(start_seeding), with the same meaning and
        defaults. C(format), C(trackers), C(url_seeds), C(is_private), C(comment), C(source), C(piece_size),
        C(ignore_dotfiles), C(torrent_file_path), C(optimize_alignment), C(padded_file_size_limit), C(source_check),
        C(path_map), C(force), C(backup), C(timeout).
    type: list
    elements: dict
    required: true
  defaults:
    description:
      - Keys every release gets unless it sets them itself (a release's C(dest) overrides a default C(dest_dir)).
    type: dict
    default: {}
  create_dirs:
    description:
      - Create the missing directories of the releases' C(dest) files (mode O(dir_mode)) instead of failing.
    type: bool
    default: true
  dir_mode:
    description:
      - Mode of the directories O(create_dirs) creates.
    type: str
    default: "0755"
  bundle:
    description:
      - Build once, seed everywhere. Also write every present release's .torrent (releases that failed are left
        out) into one tar archive, C(releases.tar) (members C(<name>.torrent), mode V(0600)), in a new private
        directory (mode V(0700)) in the managed node's temporary directory, and return its path as RV(bundle), for
        other hosts to seed (O(built_bundle)). The caller removes that directory once they have it (the release
        role does).
      - Written in check mode too (the .torrent files that exist then), as this run's hand-off, not a managed
        file.
    type: bool
    default: false
  built_bundle:
    description:
      - Build once, seed everywhere. Path, on this host, of a copy of the bundle another host's run wrote
        (RV(bundle)). Every present release must have its C(<name>.torrent) in it; none is built on this host, and
        this host's data is checked against it before it seeds (by the module when it sees the data, else by
        qBittorrent; see the description). The module only reads it (members by name, nothing extracted); removing
        the copy is the caller's.
    type: path
  built_by:
    description:
      - Name of the host that built O(built_bundle), for messages.
    type: str
  manifest:
    description:
      - Write a release manifest, C(<dir>/<name>.json) and a Markdown table C(<dir>/<name>.md), listing every present
        release that did not fail, sorted by name. Each file is written (atomically) only when its content changes,
        and counts in C(changed). Tracker secrets are masked in it unless O(show_tracker_secrets=true).
    type: dict
    suboptions:
      dir:
        description:
          - Directory of the manifest; created with O(dir_mode) (its missing parents too) when missing. An existing
            directory keeps its mode.
        type: path
        required: true
      name:
        description:
          - File name of the manifest, without extension; the rule of a release's C(name) applies.
        type: str
        default: releases
      mode:
        description:
          - Mode of the manifest files. Unset, V(0600) when any listed release is private (its announce URLs usually
            hold a passkey), else V(0644). The feed (O(feed)) is V(0644) unless it lists a private release.
        type: str
  feed:
    description:
      - Also write a release feed beside the manifest, C(<manifest.dir>/<manifest.name>.rss) (needs O(manifest)), in
        RSS 2.0 as BEP 36 describes torrent feeds, which qBittorrent's RSS auto-downloader follows (see
        M(torrentops.qbittorrent.qbt_rss_subscription)).
      - One item per release of the manifest, newest first; its title is the release's name, its C(link) the magnet
        link, its C(guid) the info hash (v1, else v2), its C(pubDate) the .torrent's creation date, its enclosure
        (C(application/x-bittorrent)) O(feed.base_url) + the .torrent's file name with the file's length, and the
        content size, info hash, file name and magnet link in the C(torrent) namespace (C(http://xmlns.ezrss.it/0.1/)).
      - C(lastBuildDate) changes exactly when the items change (qBittorrent does not reparse a feed whose
        C(lastBuildDate) did not change); the file is written only when its bytes change, so a run that changes
        nothing writes nothing. Tracker secrets are masked as in the manifest.
      - Serve the .torrent files and the feed with any web server; in check mode, releases that would be built are
        not in the feed yet (there is no .torrent to link).
    type: dict
    suboptions:
      base_url:
        description:
          - URL (V(http://) or V(https://)) under which the .torrent files are served by file name; the enclosure of
            C(dest_dir/distro-1.2.torrent) is C(<base_url>/distro-1.2.torrent).
        type: str
        required: true
      title:
        description:
          - The feed's title. Default the manifest's name.
        type: str
      link:
        description:
          - The feed's web page. Default O(feed.base_url).
        type: str
      description:
        description:
          - The feed's description. Default C(Torrents of <title>).
        type: str
      include_private:
        description:
          - List private releases (C(is_private=true)) too. They are left out by default, as a private torrent is for
            its tracker's members, and its magnet link carries the announce URL.
        type: bool
        default: false
notes:
  - The session's save path of a seeded release is the parent directory of its C(source_path), so qBittorrent seeds
    the data where it is; the data is never moved nor deleted. A C(format=v2) torrent of a directory holding one file
    is read by qBittorrent as that file alone, so it is seeded with the directory itself as save path.
  - A release that fails after this run added its torrent to the session (its data does not check, or is not
    found) takes that torrent out of the session again (data kept); none is left behind in C(missingFiles).
  - With C(seed=true) a release is reported as seeding (RV(releases[].seeding)) only when qBittorrent has all of its
    data and seeds it; otherwise that release fails with the session's state and what to do.
seealso:
  - module: torrentops.qbittorrent.qbt_torrent_create
  - module: torrentops.qbittorrent.qbt_torrent
requirements:
  - fastbencode (Python library on the host that runs the module)
"""

EXAMPLES = r"""
- name: Converge every release on this seeder
  torrentops.qbittorrent.qbt_releases:
    host: http://127.0.0.1:8080
    username: admin
    password: "{{ qbittorrent_password }}"
    defaults:
      dest_dir: /srv/torrents
      trackers: [udp://tracker.example:1337/announce]
      seed: true
    releases:
      - name: distro-1.2
        source_path: /srv/releases/distro-1.2
        category: releases
        tags: [stable]
      - name: distro-1.1
        source_path: /srv/releases/distro-1.1
        state: absent
  register: converged

- name: What changed
  ansible.builtin.debug:
    msg: "{{ converged.summary }}"
"""

RETURN = r"""
releases:
  description: One result per release, in the order of O(releases).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The release's name.
      type: str
    changed:
      description: Whether this release changed.
      type: bool
    failed:
      description: Present and true when this release failed; RV(releases[].msg) says why.
      type: bool
    msg:
      description: Why this release failed.
      type: str
    actions:
      description: What was done (or would be, in check mode), in words.
      type: list
      elements: str
    seeding:
      description: The torrent is complete and seeding in qBittorrent's session (releases with C(seed=true)).
      type: bool
    seeding_state:
      description: The session's state of the torrent (for example V(stalledUP)).
      type: str
    data_check:
      description:
        - A release received from O(built_bundle) and added to the session by this run, who checked this host's copy
          of the data against the .torrent first; V(module) (every piece hashed by the module, then added with
          skip_checking) or V(qbittorrent) (qBittorrent's check, the torrent started only once complete).
      type: str
      returned: a received release that this run added (or tried to add) to the session
      sample: module
    dest:
      description: The .torrent's path.
      type: str
    info_hash_v1:
      description: SHA-1 info hash, null for v2-only.
      type: str
    info_hash_v2:
      description: SHA-256 info hash, null for v1-only.
      type: str
    magnet_uri:
      description: Magnet link.
      type: str
    reasons:
      description: Why the .torrent was built or rewritten.
      type: list
      elements: str
    task_id:
      description: Id of the creator task that ran (deleted), null when none ran.
      type: str
  sample:
    - name: distro-1.2
      changed: true
      actions: [".torrent built: dest does not exist", "added to the session"]
      seeding: true
      seeding_state: stalledUP
      dest: /srv/torrents/distro-1.2.torrent
      info_hash_v1: 71a809187c6a1bb097aaa2f7ba46cb7acbd9e25e
bundle:
  description:
    - Path of the tar archive holding each present release's .torrent (C(<name>.torrent); releases that failed are
      left out), in a new directory of mode V(0700) that the caller removes. Copy it to the other hosts (for example
      M(ansible.builtin.fetch) then M(ansible.builtin.copy), which print paths and checksums, never content) and give
      them its path as O(built_bundle).
  returned: when O(bundle=true) and the releases were checked
  type: str
  sample: /tmp/qbt-release-bundle-k2x9a1/releases.tar
summary:
  description: One line per release that changed (or failed), saying what and why.
  returned: always
  type: list
  elements: str
  sample: ["distro-1.2: .torrent built: dest does not exist; added to the session"]
created_dirs:
  description: Directories created for the .torrent files (or that would be, in check mode).
  returned: always
  type: list
  elements: str
server_version:
  description: The qBittorrent version that answered.
  returned: when a server was contacted
  type: str
manifest_files:
  description: The manifest's files (JSON, Markdown, and the RSS feed with O(feed)), when O(manifest) is set.
  returned: when O(manifest) is set
  type: list
  elements: str
webapi_version:
  description: Its Web API version.
  returned: when a server was contacted
  type: str
"""

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._bundle import receive_bundle
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._module import ModuleRunner
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_backend import ReleasesBackend
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._releases_module import (
    check_releases_options,
    releases_argument_spec,
    releases_output,
    torrents_read,
    validate_releases,
)


def main() -> None:
    runner = ModuleRunner(releases_argument_spec())
    params = runner.params
    with runner.failing():
        check_releases_options(params)
    with runner.failing(releases=[], summary=[]):
        releases = validate_releases(params["releases"], params["defaults"])
        received = receive_bundle(params["built_bundle"], releases, params["built_by"])
    present = any(release["state"] == "present" for release in releases)
    client = runner.connect(need_creator=received is None and present) if releases else None
    backend = ReleasesBackend(releases, client, runner.files, check_mode=runner.check_mode,
                              create_dirs=params["create_dirs"], dir_mode=params["dir_mode"], received=received)
    results = runner.run(backend, torrents=lambda: torrents_read(backend), releases=[], summary=[])
    output, failed = releases_output(runner, backend, results, client)
    runner.exit(output, backend.warnings, failed=failed)


if __name__ == "__main__":
    main()
