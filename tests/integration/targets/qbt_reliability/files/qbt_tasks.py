"""Test-only pokes at a server's creator queue through qbittorrent-api (what another client of the server would do).

  qbt_tasks.py fill SOURCE N     -> adds N creator tasks for SOURCE (no .torrent file, not seeded); prints their ids
  qbt_tasks.py delete [ID...]    -> deletes the given tasks, or every task when none is given; prints the ids deleted

The server and credentials come from QBITTORRENT_HOST, QBITTORRENT_USERNAME and QBITTORRENT_PASSWORD.
"""
import json
import os
import sys

import qbittorrentapi

api = qbittorrentapi.Client(host=os.environ["QBITTORRENT_HOST"], username=os.environ["QBITTORRENT_USERNAME"],
                            password=os.environ["QBITTORRENT_PASSWORD"], FORCE_SCHEME_FROM_HOST=True)
api.auth_log_in()
command, args = sys.argv[1], sys.argv[2:]
if command == "fill":
    ids = [api.torrentcreator_add_task(source_path=args[0], start_seeding=False)["taskID"] for dummy in range(int(args[1]))]
    print(json.dumps(ids))
elif command == "delete":
    ids = args or [t["taskID"] for t in api.torrentcreator_status()]
    for task_id in ids:
        api.torrentcreator_delete_task(task_id=task_id)
    print(json.dumps(ids))
else:
    sys.exit("unknown command %s" % command)
