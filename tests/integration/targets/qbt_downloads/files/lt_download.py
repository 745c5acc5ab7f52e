"""A download with libtorrent's Python binding, as a libtorrent-based client (Deluge, qBittorrent) makes it.

  lt_download.py read TORRENT
      -> {"version": ..., "info_hash_v1": ..., "info_hash_v2": ...}, or {"error": ...} when libtorrent refuses the file
  lt_download.py get TORRENT OUT_DIR LISTEN_PORT SECONDS
      -> downloads TORRENT into OUT_DIR (peers from its trackers, data from peers and its web seeds; no DHT, LSD,
         UPnP or NAT-PMP), at most SECONDS, and prints {"finished": bool, "seconds": ..., "errors": [...],
         "blocks_from": {"IP:PORT": blocks received from that peer or web seed}}; exits 0 when the download is
         complete, 1 when it is not.
"""
import json
import sys
import time

import libtorrent as lt


def hashes(ti):
    ih = ti.info_hashes()
    return dict(info_hash_v1=str(ih.v1) if ih.has_v1() else None, info_hash_v2=str(ih.v2) if ih.has_v2() else None)


def read(path):
    try:
        ti = lt.torrent_info(path)
    except RuntimeError as exc:
        return dict(version=lt.__version__, error=str(exc))
    return dict(version=lt.__version__, **hashes(ti))


def get(torrent, out_dir, listen_port, seconds):
    started = time.monotonic()
    session = lt.session({
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "listen_interfaces": "127.0.0.1:%d" % int(listen_port),
        "alert_mask": (lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
                       | lt.alert.category_t.block_progress_notification),
    })
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = out_dir
    handle = session.add_torrent(params)
    deadline = started + float(seconds)
    blocks = {}  # "IP:PORT" of a peer or web seed -> how many 16 KiB blocks of the download came from it
    errors = []
    finished = False
    # The first announce can reach the tracker before a seeder's own (on a busy machine qBittorrent announces a torrent
    # it just started a few seconds late), and the tracker's next interval is far beyond the deadline: while no peer
    # is connected, announce again every few seconds, as a user's "force reannounce" does. The peers still come from
    # the tracker alone.
    reannounce_at = started + 5.0
    while time.monotonic() < deadline:
        for alert in session.pop_alerts():
            if isinstance(alert, lt.block_finished_alert):
                source = "%s:%d" % tuple(alert.endpoint)
                blocks[source] = blocks.get(source, 0) + 1
            elif alert.category() & lt.alert.category_t.error_notification:
                errors.append(alert.message())
        if finished:
            break
        status = handle.status()
        finished = status.is_seeding  # one more round of alerts once it is
        if not finished and status.num_peers == 0 and time.monotonic() >= reannounce_at:
            handle.force_reannounce()
            reannounce_at = time.monotonic() + 5.0
        time.sleep(0.05)
    if finished:
        # every piece written and the files closed before anyone compares them
        handle.flush_cache()
        session.remove_torrent(handle)
        while session.get_torrents():
            time.sleep(0.05)
    return dict(finished=finished, seconds=round(time.monotonic() - started, 1), errors=errors[-5:],
                blocks_from=blocks, **hashes(params.ti))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    result = {"read": read, "get": get}[command](*args)
    print(json.dumps(result))
    sys.exit(0 if result.get("finished", True) else 1)
