# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:

    # Which BitTorrent clients download which torrent format, as the qbt_downloads integration target measures it
    # (tests/integration/targets/qbt_downloads/vars/compat.yml holds the same table; change both together). The role's
    # README and the project README repeat it as a table.
    DOCUMENTATION = r"""
options: {}
notes:
  - "Which clients can use a release, by its C(format) (measured by the collection's C(qbt_downloads) integration test:
    releases with spaces and non-ASCII characters in their names, seeded by qBittorrent 5.1 and 4.5 and announced to
    opentracker, downloaded from those peers and, separately, from a web seed alone; every file compared byte for
    byte). B(aria2 1.36.0) (Debian 12): V(v1) downloads from peers and from a web seed; V(v2) is refused (C(Missing
    pieces in torrent metainfo)); V(hybrid) is read with a wrong info hash, so it joins another swarm and finds no
    peer, and from a web seed it asks for the torrent's pad files and never completes."
  - "B(Transmission 3.00) (C(transmission-cli); Debian 12's and Ubuntu 22.04's Transmission): V(v1) downloads from
    peers and from a web seed; V(v2) and V(hybrid) are refused (C(Error parsing .torrent file))."
  - "B(libtorrent 2.0.11) (the library of qBittorrent, Deluge and others): V(v1), V(v2) and V(hybrid) download from
    peers and from a web seed."
  - "What a client asks a web seed for (BEP 19): with a web seed URL ending in C(/), the torrent's name and each
    file's path appended, percent-encoded, in byte ranges (C(https://mirror.example/pub/) gives
    C(https://mirror.example/pub/D%C3%ADstro%201.0/read%20me%20%C3%BC.txt)); all three clients above do so. The web
    server must answer byte-range requests with C(206) (any common web server does; Python's C(http.server) does not,
    and Transmission then never completes). With a V(hybrid) torrent aria2 1.36 also asks for its pad files,
    C(<name>/.pad/<size>) (BEP 47), which exist only inside the torrent: the server answers 404 and aria2 stops short
    of complete. libtorrent does not ask for them."
"""
