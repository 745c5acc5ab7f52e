# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible callback of the benchmarks (bench/bench.py enables it; not part of the collection).

Records each task's wall time and, for qbt_releases results, what each release did (changed, creator task, data
check, info hashes, seeding), then writes it as JSON to $BENCH_RECORD at the end of the playbook. The playbook's
own output stays Ansible's default.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_record
type: aggregate
short_description: records task times and qbt_releases results for bench/bench.py
description:
  - Writes the task times and the per-release results to the file named by the BENCH_RECORD environment variable.
"""

KEYS = ("name", "changed", "failed", "task_id", "actions", "info_hash_v1", "info_hash_v2", "seeding", "data_check")


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_record"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.tasks = []
        self.current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.current = dict(name=task.get_name(), start=time.monotonic(), end=None, hosts={})
        self.tasks.append(self.current)

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def record(self, result, status):
        task = self.current
        if task is None:
            return
        task["end"] = time.monotonic()
        data = result.result
        entry = dict(status=status, changed=bool(data.get("changed")))
        if isinstance(data.get("releases"), list):
            entry["releases"] = [dict((key, release.get(key)) for key in KEYS) for release in data["releases"]]
        if status == "failed":
            entry["msg"] = str(data.get("msg"))[:2000]
        task["hosts"][result.host.get_name()] = entry

    def v2_runner_on_ok(self, result):
        self.record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self.record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self.record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self.record(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_RECORD")
        if not path:
            return
        summary = dict((host, stats.summarize(host)) for host in sorted(stats.processed))
        tasks = [dict(name=task["name"], seconds=(task["end"] or task["start"]) - task["start"], hosts=task["hosts"])
                 for task in self.tasks]
        with open(path, "w") as handle:
            json.dump(dict(tasks=tasks, stats=summary), handle)
