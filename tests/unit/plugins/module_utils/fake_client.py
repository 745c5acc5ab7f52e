# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A QbtClient for any server version, without a server.

A live test run has three qBittorrent versions at hand, not every one whose rules the code knows (5.0.0-5.0.2's
source field, 5.2's URL decoding, a libtorrent 1.2 build). ``FakeClient`` is a real ``QbtClient`` whose constructor
does not connect: the version facts are set directly and every capability (``has_webseeds``,
``creator_decodes_urls``, ...) comes from QbtClient's own properties, so the rules under test are the shipped ones.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import QbtClient, normalise_host, version_tuple


class FakeClient(QbtClient):
    """QbtClient without the login: ``api`` is whatever fake the test hands in.

    The host is https:// so that ``describe()`` never probes the network for a TLS port (it only does that for
    http:// hosts)."""

    def __init__(self, version="5.1.0", webapi="2.11.4", libtorrent="2.0.11", api=None,
                 host="https://qbt.example:8080"):  # pylint: disable=super-init-not-called
        self.host = host
        self.url = normalise_host(host)
        self.request_timeout = 30.0
        self.validate_certs = True
        self.api = api
        self.qbittorrent_version = version
        self.webapi_version = webapi
        # () is what QbtClient caches when app/buildInfo names no libtorrent: libtorrent_version is then None
        self._libtorrent = version_tuple(libtorrent) if libtorrent else ()
