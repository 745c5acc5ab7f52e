# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:

    # The secrets policy of every module that handles tracker URLs (docs/reliability.md, "Secrets and seeding state").
    DOCUMENTATION = r"""
options:
  show_tracker_secrets:
    description:
      - Tracker and web seed URLs often carry a private tracker's passkey. By default the module masks their secrets
        as C(********) everywhere Ansible shows or keeps what it returns (every returned field such as C(trackers)
        and C(magnet_uri), C(msg), warnings, the C(--diff) output and the C(-vvv) module arguments), so registered
        results hold the masked URLs too.
      - "The secrets of a URL are: every query-string value (C(?passkey=VALUE)); the password of its user info
        (C(https://user:PASSWORD@host/)); in a URL whose path has a segment starting with C(announce) or C(scrape),
        every other path segment of 16 or more ASCII letters and digits holding at least one digit
        (C(/0a1b2c3d4e5f6a7b8/announce), C(/announce/0a1b2c3d4e5f6a7b8)). A value or password shorter than 8
        characters is masked with its name (C(uid=42) becomes C(********)), since Ansible masks by replacing the text
        wherever it occurs."
      - The .torrent files themselves always hold the real URLs (they must, to work).
      - Set V(true) to get the real URLs in the results, for example to pass C(trackers) on to another task. A URL
        holding C(********) is refused as a tracker or web seed, so a masked result cannot be sent to a server.
    type: bool
    default: false
"""
