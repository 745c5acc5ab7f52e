# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make a .torrent with libtorrent (an implementation independent of the collection) and print its hashes as JSON.

    make_torrent.py SOURCE DEST [--format v1|v2|hybrid] [--tracker URL ...] [--tier] [--web-seed URL ...]

--tier between --tracker options starts the next tier.
"""

import argparse
import json
import os
import sys

import libtorrent as lt


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("dest")
    parser.add_argument("--format", choices=["v1", "v2", "hybrid"], default="hybrid")
    parser.add_argument("--tracker", action="append", default=[], dest="trackers")
    parser.add_argument("--tier", action="append_const", const=None, dest="trackers")
    parser.add_argument("--web-seed", action="append", default=[], dest="web_seeds")
    args = parser.parse_args()

    source = os.path.abspath(args.source)
    files = lt.file_storage()
    lt.add_files(files, source)
    flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[args.format]
    creator = lt.create_torrent(files, 0, flags)
    tier = 0
    for url in args.trackers:
        if url is None:
            tier += 1
        else:
            creator.add_tracker(url, tier)
    for url in args.web_seeds:
        creator.add_url_seed(url)
    lt.set_piece_hashes(creator, os.path.dirname(source))
    data = lt.bencode(creator.generate())
    with open(args.dest, "wb") as handle:
        handle.write(data)

    hashes = lt.torrent_info(args.dest).info_hashes()
    json.dump(dict(
        name=os.path.basename(source),
        info_hash_v1=str(hashes.v1) if hashes.has_v1() else None,
        info_hash_v2=str(hashes.v2) if hashes.has_v2() else None,
    ), sys.stdout)


if __name__ == "__main__":
    main()
