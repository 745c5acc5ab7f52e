# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The baseline of the create1g benchmark: a plain qbittorrent-api script, what a user would write without Ansible.

Logs in, adds one creator task, polls its status every 5 ms, fetches the .torrent, writes it to --dest and deletes
the task. No option checks, no idempotence, no atomic write. The password comes from QBITTORRENT_PASSWORD.
"""

import argparse
import os
import sys
import time

import qbittorrentapi


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--username", default="admin")
    parser.add_argument("--source", required=True)
    parser.add_argument("--dest", required=True)
    parser.add_argument("--format", default="hybrid", choices=("v1", "v2", "hybrid"))
    parser.add_argument("--piece-size", type=int, default=0)
    parser.add_argument("--poll", type=float, default=0.005, help="seconds between two status requests")
    args = parser.parse_args()
    api = qbittorrentapi.Client(host=args.host, username=args.username, password=os.environ["QBITTORRENT_PASSWORD"],
                                FORCE_SCHEME_FROM_HOST=True)
    api.auth_log_in()
    task = api.torrentcreator_add_task(source_path=args.source, format=args.format, piece_size=args.piece_size,
                                       start_seeding=False)
    try:
        while True:
            status = task.status()
            if status.status == "Finished":
                break
            if status.status == "Failed":
                sys.exit("creator task failed: %s" % status.get("errorMessage"))
            time.sleep(args.poll)
        data = task.torrent_file()
    finally:
        task.delete()
    with open(args.dest, "wb") as handle:
        handle.write(data)


if __name__ == "__main__":
    main()
