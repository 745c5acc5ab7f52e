# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Connection layer shared by every module: options, login, version check, readable errors.

This is a private module_utils file (leading underscore): its API may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import ssl
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib

QBITTORRENTAPI_IMPORT_ERROR = None
try:
    import qbittorrentapi
    import requests.exceptions
except ImportError:
    QBITTORRENTAPI_IMPORT_ERROR = traceback.format_exc()

# The torrent creator endpoints appeared in Web API 2.10.4 (qBittorrent 5.0.0).
CREATOR_MIN_WEBAPI = (2, 10, 4)
CREATOR_MIN_QBITTORRENT = "5.0.0"


def connection_argument_spec():
    """Options of the ``torrentops.qbittorrent.connection`` doc fragment."""
    return dict(
        host=dict(type="str", fallback=(env_fallback, ["QBITTORRENT_HOST"])),
        username=dict(type="str", fallback=(env_fallback, ["QBITTORRENT_USERNAME"])),
        password=dict(type="str", no_log=True, fallback=(env_fallback, ["QBITTORRENT_PASSWORD"])),
        validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["QBITTORRENT_VALIDATE_CERTS"])),
        request_timeout=dict(type="float", default=30.0, fallback=(env_fallback, ["QBITTORRENT_REQUEST_TIMEOUT"])),
    )


def version_tuple(text):
    """``"v5.1.0"`` / ``"2.11.4"`` -> ``(5, 1, 0)``; non-numeric parts (``beta1``) count as 0."""
    parts = []
    for piece in str(text).strip().lstrip("vV").split("."):
        digits = ""
        for char in piece:
            if not char.isdigit():
                break
            digits += char
        parts.append(int(digits) if digits else 0)
    while len(parts) < 3:
        parts.append(0)
    return tuple(parts)


class QbtConnectionError(Exception):
    """A failure with a one-line message meant for a person (no traceback, no secret)."""


def _chain(exc):
    """The exception and everything it was raised from or during, outermost first."""
    seen = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _walk_args(exc):
    """Exceptions nested in args (urllib3 wraps the socket error inside MaxRetryError.reason)."""
    found = []
    todo = list(_chain(exc))
    while todo:
        item = todo.pop(0)
        if item in found:
            continue
        found.append(item)
        reason = getattr(item, "reason", None)
        if isinstance(reason, BaseException):
            todo.append(reason)
        for arg in getattr(item, "args", ()):
            if isinstance(arg, BaseException):
                todo.append(arg)
        todo.extend(_chain(item.__cause__ or item.__context__))
    return found


def describe_error(exc, host):
    """Turn a qbittorrent-api / requests exception into one line a person can act on."""
    everything = _walk_args(exc)
    text = " ".join(str(e) for e in everything)

    def has(kind):
        return any(isinstance(e, kind) for e in everything)

    if QBITTORRENTAPI_IMPORT_ERROR is None:
        if has(qbittorrentapi.LoginFailed):
            return ("qBittorrent at %s rejected the login: check the username and password options "
                    "(or QBITTORRENT_USERNAME / QBITTORRENT_PASSWORD)" % host)
        if has(qbittorrentapi.Forbidden403Error):
            return ("qBittorrent at %s answered 403 Forbidden: this address is banned after too many failed "
                    "logins, or the Web UI refuses it (host header or CSRF checks); fix the credentials, then wait "
                    "for the ban to expire (Web UI option 'ban duration') or restart qBittorrent" % host)
        if has(requests.exceptions.SSLError) or has(ssl.SSLError):
            if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
                return ("TLS certificate verification failed for %s: install a certificate the target trusts, or "
                        "set validate_certs=false (QBITTORRENT_VALIDATE_CERTS=false) for a self-signed one"
                        % host)
            detail = _short(everything, ssl.SSLError) or "check the scheme (http:// or https://) and port"
            return "TLS handshake with %s failed: %s" % (host, detail)
        if has(socket.gaierror) or "NameResolutionError" in text or "Name or service not known" in text \
                or "nodename nor servname" in text or "Temporary failure in name resolution" in text:
            return "cannot resolve the host name in host=%s: check the spelling or DNS" % host
        if has(ConnectionRefusedError) or "Connection refused" in text:
            return ("connection to %s refused: is qBittorrent running with its Web UI enabled on that port? "
                    "Check the host option (host:port or URL)" % host)
        if has(requests.exceptions.Timeout) or has(socket.timeout):
            return ("no answer from %s within request_timeout: check the host option, firewalls, "
                    "or raise request_timeout" % host)
        if has(qbittorrentapi.HTTPError):
            return "qBittorrent at %s answered an HTTP error: %s" % (host, _first_line(exc))
        if has(qbittorrentapi.APIConnectionError) or has(requests.exceptions.RequestException):
            return "cannot talk to qBittorrent at %s: %s" % (host, _first_line(exc))
    return "qBittorrent at %s: %s" % (host, _first_line(exc))


def _short(everything, kind):
    for e in everything:
        if isinstance(e, kind):
            return _first_line(e)
    return None


def _first_line(exc):
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


class QbtClient:
    """A logged-in qbittorrent-api client plus the server's versions, created once per module run."""

    def __init__(self, module, need_creator=True):
        self.module = module
        if QBITTORRENTAPI_IMPORT_ERROR is not None:
            module.fail_json(msg=missing_required_lib("qbittorrent-api", url="https://pypi.org/project/qbittorrent-api/"),
                             exception=QBITTORRENTAPI_IMPORT_ERROR)
        params = module.params
        self.host = params["host"]
        if not self.host:
            module.fail_json(msg="host is required to reach qBittorrent: set the host option (or QBITTORRENT_HOST, or "
                                 "module_defaults for group/torrentops.qbittorrent.qbittorrent)")
        try:
            self.api = self._connect(params)
            self.qbittorrent_version = str(self.api.app_version()).strip().lstrip("vV")
            self.webapi_version = str(self.api.app_web_api_version()).strip()
        except Exception as exc:  # pylint: disable=broad-except
            self.fail(exc)
        if need_creator and not self.has_creator:
            module.fail_json(
                msg="qBittorrent %s (Web API %s) at %s has no torrent creator API: it needs qBittorrent %s or newer "
                    "(Web API %s); upgrade the server"
                    % (self.qbittorrent_version, self.webapi_version, self.host, CREATOR_MIN_QBITTORRENT,
                       ".".join(str(p) for p in CREATOR_MIN_WEBAPI)),
                server_version=self.qbittorrent_version, webapi_version=self.webapi_version)

    @staticmethod
    def _connect(params):
        api = qbittorrentapi.Client(
            host=params["host"],
            username=params.get("username"),
            password=params.get("password"),
            VERIFY_WEBUI_CERTIFICATE=params["validate_certs"],
            REQUESTS_ARGS={"timeout": params["request_timeout"]},
            RAISE_NOTIMPLEMENTEDERROR_FOR_UNIMPLEMENTED_API_ENDPOINTS=True,
            DISABLE_LOGGING_DEBUG_OUTPUT=True,
        )
        if params.get("username") or params.get("password"):
            api.auth_log_in()
        return api

    @property
    def webapi(self):
        return version_tuple(self.webapi_version)

    @property
    def version(self):
        return version_tuple(self.qbittorrent_version)

    @property
    def has_creator(self):
        return self.webapi >= CREATOR_MIN_WEBAPI

    def server_facts(self):
        return dict(server_version=self.qbittorrent_version, webapi_version=self.webapi_version)

    def fail(self, exc, **kwargs):
        """fail_json with a readable message for a client exception."""
        self.module.fail_json(msg=describe_error(exc, self.host), **kwargs)
