"""Test-only peeks and pokes at a qBittorrent server through qbittorrent-api (what a user would click in the Web UI).

  qbt_api.py torrent HASH    -> {"present": bool, "trackers": [...], "url_seeds": [...], "state", "save_path", ...}
                                (HASH: the v1 hash, or the v2 hash of which qBittorrent uses the first 40 digits)
  qbt_api.py delete HASH     -> removes the torrent from the session (keeps the data)
  qbt_api.py tasks           -> the raw creator task list

The server and credentials come from QBITTORRENT_HOST, QBITTORRENT_USERNAME and QBITTORRENT_PASSWORD.
"""
import json
import os
import sys

import qbittorrentapi

command, args = sys.argv[1], [a[:40] for a in sys.argv[2:]]
api = qbittorrentapi.Client(host=os.environ["QBITTORRENT_HOST"], username=os.environ["QBITTORRENT_USERNAME"],
                            password=os.environ["QBITTORRENT_PASSWORD"])
api.auth_log_in()
if command == "torrent":
    found = api.torrents_info(torrent_hashes=args[0])
    out = {"present": bool(found)}
    if found:
        real = [t for t in api.torrents_trackers(torrent_hash=args[0]) if not t["url"].startswith("** [")]
        out["trackers"] = [t["url"] for t in real]
        out["tiers"] = [[t["url"] for t in real if t["tier"] == tier] for tier in sorted(set(t["tier"] for t in real))]
        out["url_seeds"] = [s["url"] for s in api.torrents_webseeds(torrent_hash=args[0])]
        out["state"] = found[0]["state"]
        out["save_path"] = found[0]["save_path"]
        out["progress"] = found[0]["progress"]
    print(json.dumps(out))
elif command == "delete":
    api.torrents_delete(torrent_hashes=args[0], delete_files=False)
    print(json.dumps({"deleted": args[0]}))
elif command == "tasks":
    print(json.dumps([dict(t) for t in api.torrentcreator_status()]))
else:
    sys.exit("unknown command %s" % command)
