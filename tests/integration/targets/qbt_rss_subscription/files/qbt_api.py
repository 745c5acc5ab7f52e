"""Test-only looks at a server through qbittorrent-api (what a person's script would do, not the collection's code).

  qbt_api.py HOST prefs KEY...        -> {key: value} of those preferences
  qbt_api.py HOST set-prefs JSON      -> sets the preferences in JSON
  qbt_api.py HOST torrents PREFIX     -> the torrents saved under PREFIX: hash, name, progress, state, ...
  qbt_api.py HOST delete PREFIX       -> takes the torrents saved under PREFIX out of the session (data kept)
  qbt_api.py HOST rss                 -> {"feeds": {name: url}, "rules": [names]}
  qbt_api.py HOST refresh ITEM        -> asks qBittorrent to fetch the feed ITEM now (rss/refreshItem)
  qbt_api.py HOST reannounce PREFIX   -> the torrents under PREFIX announce to their trackers now

Credentials come from QBITTORRENT_USERNAME and QBITTORRENT_PASSWORD.
"""
import json
import os
import sys
import time

import qbittorrentapi

host, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
api = qbittorrentapi.Client(host=host, username=os.environ["QBITTORRENT_USERNAME"],
                            password=os.environ["QBITTORRENT_PASSWORD"], FORCE_SCHEME_FROM_HOST=True)
api.auth_log_in()


def under(prefix):
    return [t for t in api.torrents_info() if (t.save_path.rstrip("/") + "/").startswith(prefix.rstrip("/") + "/")]


if command == "prefs":
    prefs = api.app_preferences()
    print(json.dumps(dict((key, prefs.get(key)) for key in args)))
elif command == "set-prefs":
    api.app_set_preferences(prefs=json.loads(args[0]))
    print("{}")
elif command == "torrents":
    print(json.dumps([dict(hash=t.hash, name=t.name, progress=t.progress, state=t.state, save_path=t.save_path,
                           category=t.category, tags=t.tags, size=t.size, amount_left=t.amount_left)
                      for t in under(args[0])]))
elif command == "delete":
    hashes = [t.hash for t in under(args[0])]
    if hashes:
        api.torrents_delete(delete_files=False, torrent_hashes=hashes)
    for dummy in range(30):
        if not under(args[0]):
            break
        time.sleep(1)
    print(json.dumps(hashes))
elif command == "rss":
    items = api.rss_items()
    print(json.dumps(dict(feeds=dict((name, item.get("url")) for name, item in items.items() if "url" in item),
                          rules=sorted(api.rss_rules()))))
elif command == "refresh":
    api.rss_refresh_item(item_path=args[0])
    print("{}")
elif command == "reannounce":
    hashes = [t.hash for t in under(args[0])]
    if hashes:
        api.torrents_reannounce(torrent_hashes=hashes)
    print(json.dumps(hashes))
else:
    sys.exit("unknown command %s" % command)
