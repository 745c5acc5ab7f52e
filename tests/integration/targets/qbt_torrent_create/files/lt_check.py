"""Independent checks with libtorrent's Python binding (not the collection's code).

  lt_check.py inspect TORRENT            -> what libtorrent reads from a .torrent file
  lt_check.py make SOURCE FORMAT PIECE_SIZE PRIVATE SOURCE_FIELD
                                         -> info hashes libtorrent computes for the same content and info fields
  lt_check.py verify TORRENT SOURCE      -> every piece of TORRENT checked against SOURCE's content
"""
import json
import os
import sys

import libtorrent as lt


def hashes(ti):
    ih = ti.info_hashes()
    v1 = str(ih.v1) if ih.has_v1() else None
    v2 = str(ih.v2) if ih.has_v2() else None
    return v1, v2


def inspect(path):
    ti = lt.torrent_info(path)
    v1, v2 = hashes(ti)
    # torrent_info.trackers() shuffles each tier (BEP 12), so read the file's own announce-list with libtorrent's
    # bdecode to check the order too
    with open(path, "rb") as handle:
        top = lt.bdecode(handle.read())
    tiers = [[url.decode() for url in tier] for tier in top.get(b"announce-list", [])]
    if not tiers and top.get(b"announce"):
        tiers = [[top[b"announce"].decode()]]
    info = lt.bdecode(ti.info_section())
    files = ti.files()
    real = [i for i in range(files.num_files()) if not files.file_flags(i) & lt.file_storage.flag_pad_file]
    source = info.get(b"source")
    return dict(v1=v1, v2=v2, name=ti.name(), trackers=tiers,
                url_seeds=[s["url"] for s in ti.web_seeds()], comment=ti.comment() or None, private=ti.priv(),
                piece_size=ti.piece_length(), source=source.decode() if source else None, file_count=len(real),
                total_size=sum(files.file_size(i) for i in real))


def make(source, fmt, piece_size, private, source_field):
    fs = lt.file_storage()
    parent = os.path.dirname(source.rstrip("/"))
    if os.path.isdir(source):
        paths = []
        for root, dirs, names in os.walk(source):  # like qBittorrent: only file names starting with '.' are skipped
            paths += [os.path.join(root, n) for n in names if not n.startswith(".")]
        for path in sorted(paths):
            fs.add_file(os.path.relpath(path, parent), os.path.getsize(path))
    else:
        fs.add_file(os.path.basename(source), os.path.getsize(source))
    flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[fmt]
    ct = lt.create_torrent(fs, int(piece_size), flags)
    lt.set_piece_hashes(ct, parent)
    if private.lower() in ("true", "yes", "1"):
        ct.set_priv(True)
    entry = ct.generate()
    if source_field:
        entry[b"info"][b"source"] = source_field.encode()
    v1, v2 = hashes(lt.torrent_info(lt.bencode(entry)))
    return dict(v1=v1, v2=v2)


def verify(torrent, source):
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = os.path.dirname(source.rstrip("/"))
    session = lt.session({"enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
                          "listen_interfaces": "127.0.0.1:0"})
    handle = session.add_torrent(params)
    handle.force_recheck()
    import time
    deadline = time.time() + 60
    while time.time() < deadline:
        status = handle.status()
        if status.state not in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data) \
                and status.num_pieces == params.ti.num_pieces() or status.is_seeding:
            break
        time.sleep(0.05)
    status = handle.status()
    return dict(pieces=params.ti.num_pieces(), valid=status.num_pieces, seeding=status.is_seeding)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    print(json.dumps({"inspect": inspect, "make": make, "verify": verify}[command](*args)))
