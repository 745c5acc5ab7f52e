# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:

    # Connection options shared by every module of the collection.
    DOCUMENTATION = r"""
options:
  host:
    description:
      - The qBittorrent Web UI to talk to, as qbittorrent-api takes it.
      - V(localhost:8080) (the scheme is detected), V(http://qbt.example:8080), or V(https://qbt.example/qbittorrent)
        behind a reverse proxy with a path prefix.
      - If not set, the value of the E(QBITTORRENT_HOST) environment variable is used.
      - Required, one way or the other, by everything that talks to the server.
    type: str
  username:
    description:
      - Web UI user name.
      - Leave unset when the Web UI does not ask for a login (for example O(host) is in its
        authentication bypass list).
      - If not set, the value of the E(QBITTORRENT_USERNAME) environment variable is used.
    type: str
  password:
    description:
      - Web UI password. It is never logged nor returned.
      - If not set, the value of the E(QBITTORRENT_PASSWORD) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the Web UI's TLS certificate when O(host) uses HTTPS.
      - Set to V(false) only for a self-signed certificate on a network you trust.
      - If not set, the value of the E(QBITTORRENT_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  request_timeout:
    description:
      - Seconds to wait for each HTTP answer from the Web UI.
      - If not set, the value of the E(QBITTORRENT_REQUEST_TIMEOUT) environment variable is used.
    type: float
    default: 30
notes:
  - All modules of this collection belong to the action group C(torrentops.qbittorrent.qbittorrent), so the connection
    options can be set once with C(module_defaults) and C(group/torrentops.qbittorrent.qbittorrent).
requirements:
  - qbittorrent-api >= 2024.9.66 (Python library on the host that runs the module)
"""
