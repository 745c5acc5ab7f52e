#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: qbt_torrent_create_info
short_description: List the tasks in qBittorrent's torrent creator queue
version_added: 0.1.0
description:
  - Returns the torrent creator tasks a qBittorrent server holds (queued, running, finished or failed), or one task by
    its id, in the same shape whatever the server version.
  - Keys are snake_case, times are ISO 8601 UTC, empty placeholders sent by some versions are dropped, C(progress)
    is only present while a task runs and C(error_message) only when it failed.
  - Needs qBittorrent 5.0.0 or newer (Web API 2.10.4); older servers are refused with a message naming both versions.
author:
  - Torrentops maintainers (@torrentops)
extends_documentation_fragment:
  - torrentops.qbittorrent.connection
  - torrentops.qbittorrent.attributes
  - torrentops.qbittorrent.secrets
attributes:
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: none
  idempotent:
    support: full
options:
  task_id:
    description:
      - Only return this task. Fails if the server does not know it (tasks live in memory and are lost on restart).
    type: str
notes:
  - qBittorrent 5.0 and 5.1 send times as text in the server's local time without a zone; they are read as UTC.
    qBittorrent 5.3 sends epoch seconds, which are exact.
"""

EXAMPLES = r"""
- name: List every creator task
  torrentops.qbittorrent.qbt_torrent_create_info:
    host: http://127.0.0.1:8080
    username: admin
    password: "{{ qbittorrent_password }}"
  register: creator

- name: Fail if a creation failed
  ansible.builtin.assert:
    that: creator.tasks | selectattr('status', 'equalto', 'failed') | list | length == 0
    fail_msg: "{{ creator.tasks | selectattr('status', 'equalto', 'failed') | map(attribute='error_message') | list }}"

- name: One task by id, connection settings from module_defaults
  module_defaults:
    group/torrentops.qbittorrent.qbittorrent:
      host: "{{ qbt_host }}"
      username: admin
      password: "{{ qbittorrent_password }}"
  torrentops.qbittorrent.qbt_torrent_create_info:
    task_id: 5614fecc-6077-4e19-b7cb-c549bb336ffe
"""

RETURN = r"""
tasks:
  description: The creator tasks, oldest first.
  returned: success
  type: list
  elements: dict
  contains:
    task_id:
      description: The task's id.
      type: str
      sample: 5614fecc-6077-4e19-b7cb-c549bb336ffe
    status:
      description: One of V(queued), V(running), V(finished), V(failed).
      type: str
      sample: finished
    source_path:
      description: The file or directory the torrent is made of, on the qBittorrent host.
      type: str
      sample: /srv/releases/distro-1.2
    torrent_file_path:
      description: Where the server writes the .torrent, if asked to.
      type: str
      returned: when set
    format:
      description: V(v1), V(v2) or V(hybrid). Absent on servers built with libtorrent 1.2.
      type: str
      sample: hybrid
    piece_size:
      description: Piece size in bytes (0 = automatic until the task has run).
      type: int
      sample: 1048576
    private:
      description: Whether the torrent is private.
      type: bool
    comment:
      description: The comment, or null.
      type: str
    source:
      description: The source field, or null.
      type: str
    trackers:
      description: Tracker URLs as the server holds them (an empty string separates tiers on some versions).
      type: list
      elements: str
    url_seeds:
      description: Web seed URLs.
      type: list
      elements: str
    time_added:
      description: When the task was added, ISO 8601 UTC.
      type: str
      sample: "2026-11-27T15:39:41Z"
    time_started:
      description: When hashing started, or null.
      type: str
    time_finished:
      description: When the task ended, or null.
      type: str
    progress:
      description: Percentage done.
      type: float
      returned: while the task runs
    error_message:
      description: Why the task failed.
      type: str
      returned: when the task failed
      sample: "no files in torrent [libtorrent:16]"
    ignore_dotfiles:
      description: Whether names starting with a dot were skipped (qBittorrent 5.3 and newer).
      type: bool
      returned: qBittorrent 5.3 and newer
server_version:
  description: The qBittorrent version that answered.
  returned: always
  type: str
  sample: 5.1.0
webapi_version:
  description: Its Web API version.
  returned: always
  type: str
  sample: 2.11.4
"""

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._creator import creator_tasks
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._module import ModuleRunner


def main() -> None:
    runner = ModuleRunner(dict(task_id=dict(type="str")), fastbencode=False)
    client = runner.connect(need_creator=True)
    with runner.failing():
        tasks = creator_tasks(client, runner.params["task_id"])  # their trackers and web seeds are hidden on exit
    runner.exit(dict(changed=False, tasks=tasks, **client.server_facts()))


if __name__ == "__main__":
    main()
