# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Connection layer shared by every module: options, login, what the server can do, readable errors.

``QbtClient`` is created from the connection options alone (no ``AnsibleModule``), so one module run or a module
that converges many releases logs in once and hands the same client to every backend. What a server version can do
is asked of the client (``client.has_webseeds``, ``client.creator_decodes_urls``, ...), never compared with version
constants elsewhere.

Transport rules (see docs/reliability.md):

* The scheme the user wrote is the scheme used: qbittorrent-api's http/https detection is off, so ``https://`` is
  never downgraded to plain HTTP. A host without a scheme means ``http://`` (documented in the connection fragment).
* ``validate_certs`` is passed with every request, so ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` in the environment
  cannot turn verification back on (they still supply the CA bundle when verification is on).
* A request gives up after ``request_timeout`` seconds in all: urllib3 does not retry, and the one retry
  qbittorrent-api always makes shares the budget (connect and read timeouts are half of it each try).

This is a private module_utils file (leading underscore): its API may change without notice.
"""

from __future__ import annotations

import socket
import ssl
import traceback
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback, missing_required_lib

QBITTORRENTAPI_IMPORT_ERROR = None
try:
    import qbittorrentapi
    import requests.exceptions
except ImportError:
    QBITTORRENTAPI_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import ConnectionFailure

# The torrent creator endpoints appeared in Web API 2.10.4 (qBittorrent 5.0.0).
CREATOR_MIN_WEBAPI = (2, 10, 4)
CREATOR_MIN_QBITTORRENT = "5.0.0"


# OpenSSL's words when the other end answers a TLS hello with plain HTTP
PLAIN_HTTP_MARKERS = ("wrong_version_number", "wrong version number", "record layer failure", "http_request",
                      "packet length too long", "unknown protocol")


def connection_argument_spec() -> dict:
    """Options of the ``torrentops.qbittorrent.connection`` doc fragment."""
    return dict(
        host=dict(type="str", fallback=(env_fallback, ["QBITTORRENT_HOST"])),
        username=dict(type="str", fallback=(env_fallback, ["QBITTORRENT_USERNAME"])),
        password=dict(type="str", no_log=True, fallback=(env_fallback, ["QBITTORRENT_PASSWORD"])),
        validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["QBITTORRENT_VALIDATE_CERTS"])),
        request_timeout=dict(type="float", default=30.0, fallback=(env_fallback, ["QBITTORRENT_REQUEST_TIMEOUT"])),
    )


def version_tuple(text: object) -> tuple[int, ...]:
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


def describe_error(exc: BaseException, host: str) -> str:
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
                    "logins (or no login was made: set username and password); fix the credentials, then wait "
                    "for the ban to expire (Web UI option 'ban duration') or restart qBittorrent" % host)
        if has(requests.exceptions.SSLError) or has(ssl.SSLError):
            if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
                return ("TLS certificate verification failed for %s: install a certificate the target trusts (or "
                        "point REQUESTS_CA_BUNDLE at its CA), or set validate_certs=false "
                        "(QBITTORRENT_VALIDATE_CERTS=false) for a self-signed one" % host)
            if any(marker in text.lower() for marker in PLAIN_HTTP_MARKERS):
                return plain_http_message(host)
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


def host_header_message(url: str) -> str:
    """What to do when qBittorrent's Host header validation refuses the address the module uses (see
    QbtClient.refused_by_host_header). Names the address without any user info that the URL may carry."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = 8080
    return ("qBittorrent at %s://%s refused the request before checking any password (401 from its Web UI's Host "
            "header validation): the address and port the module uses (%s) do not match what qBittorrent's Web UI "
            "accepts, as when a container publishes the Web UI under another port. Publish the same port on both "
            "sides (-p %d:%d, with the Web UI port %d inside the container) and use it in the host option; for a name "
            "qBittorrent does not know, add it to the Web UI's 'Server domains'; or turn off 'Enable Host header "
            "validation' (preference web_ui_host_header_validation_enabled, WebUI\\HostHeaderValidation=false in "
            "qBittorrent.conf)" % (parts.scheme, netloc, netloc, port, port, port))


def plain_http_message(host: str) -> str:
    return ("%s does not speak TLS on that port (it looks like plain HTTP): the module never falls back to http://, "
            "which would send the password in clear text. Enable HTTPS in qBittorrent's Web UI options, or write "
            "http:// in the host option if plain HTTP is acceptable there" % host)


def _short(everything, kind):
    for e in everything:
        if isinstance(e, kind):
            return _first_line(e)
    return None


def _first_line(exc):
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def _dropped_without_answer(exc):
    """The server closed or reset the connection without an HTTP answer (what a TLS listener does to plain HTTP);
    not a refusal, a timeout or an HTTP error."""
    everything = _walk_args(exc)
    text = " ".join(str(e) for e in everything)
    if QBITTORRENTAPI_IMPORT_ERROR is None and any(
            isinstance(e, (qbittorrentapi.HTTPError, qbittorrentapi.LoginFailed, requests.exceptions.Timeout,
                           socket.timeout, ConnectionRefusedError)) for e in everything):
        return False
    return any(marker in text for marker in ("RemoteDisconnected", "Connection aborted", "Connection reset",
                                             "BadStatusLine", "without response"))


def _unauthorized(exc):
    """A refused login or a 401 answer: the cases in which qBittorrent's Host header validation may be the cause."""
    if QBITTORRENTAPI_IMPORT_ERROR is not None:
        return False
    return any(isinstance(e, (qbittorrentapi.LoginFailed, qbittorrentapi.HTTP401Error)) for e in _walk_args(exc))


def _speaks_tls(hostname, port, timeout):
    """Whether a TLS handshake succeeds at hostname:port (certificate not checked): tells an http:// host that it
    points at an HTTPS Web UI."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((hostname, port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=hostname):
                return True
    except (OSError, ValueError):
        return False


def _speaks_plain_http(hostname, port, timeout):
    """Whether hostname:port answers a plain HTTP request (no credentials sent): tells an https:// host that it points
    at a plain HTTP Web UI when the server just hangs up on the TLS hello (qBittorrent does)."""
    try:
        with socket.create_connection((hostname, port), timeout=timeout) as raw:
            raw.sendall(b"HEAD / HTTP/1.0\r\nHost: " + hostname.encode("idna") + b"\r\n\r\n")
            return raw.recv(5) == b"HTTP/"
    except (OSError, ValueError, UnicodeError):
        return False


def normalise_host(host: str) -> str:
    """The URL the client talks to: ``host:port`` without a scheme means ``http://host:port`` (documented)."""
    host = str(host).strip()
    if not host.lower().startswith(("http://", "https://")):
        host = "http://" + host.lstrip("/")
    return host


class QbtClient:
    """A logged-in qbittorrent-api client, the server's versions and what they can do; one per module run.

    Built from the connection options (``connection_argument_spec()``) alone; raises ConnectionFailure with a
    message for a person when the server cannot be used.
    """

    def __init__(self, params: dict, need_creator: bool = True) -> None:
        if QBITTORRENTAPI_IMPORT_ERROR is not None:
            raise ConnectionFailure(missing_required_lib("qbittorrent-api", url="https://pypi.org/project/qbittorrent-api/"),
                                    exception=QBITTORRENTAPI_IMPORT_ERROR)
        self.host = params.get("host")
        if not self.host:
            raise ConnectionFailure("host is required to reach qBittorrent: set the host option (or QBITTORRENT_HOST, "
                                    "or module_defaults for group/torrentops.qbittorrent.qbittorrent)")
        self.url = normalise_host(self.host)
        self.request_timeout = float(params.get("request_timeout") or 30.0)
        if self.request_timeout <= 0:
            raise ConnectionFailure("request_timeout: must be a positive number of seconds")
        self.validate_certs = bool(params.get("validate_certs", True))
        self._libtorrent = None
        try:
            self.api = self._connect(params)
            self.qbittorrent_version = str(self.api.app_version()).strip().lstrip("vV")
            self.webapi_version = str(self.api.app_web_api_version()).strip()
        except Exception as exc:  # pylint: disable=broad-except
            raise ConnectionFailure(self.describe(exc))
        if need_creator and not self.has_creator:
            raise ConnectionFailure(
                "qBittorrent %s (Web API %s) at %s has no torrent creator API: it needs qBittorrent %s or newer "
                "(Web API %s); upgrade the server"
                % (self.qbittorrent_version, self.webapi_version, self.host, CREATOR_MIN_QBITTORRENT,
                   ".".join(str(p) for p in CREATOR_MIN_WEBAPI)),
                **self.server_facts())

    def _connect(self, params):
        # qbittorrent-api tries every request twice: each try gets half of request_timeout
        half = self.request_timeout / 2.0
        api = qbittorrentapi.Client(
            host=self.url,
            username=params.get("username"),
            password=params.get("password"),
            FORCE_SCHEME_FROM_HOST=True,
            VERIFY_WEBUI_CERTIFICATE=self.validate_certs,
            REQUESTS_ARGS={"timeout": (half, half), "verify": self.validate_certs},
            HTTPADAPTER_ARGS={"max_retries": 0},
            RAISE_NOTIMPLEMENTEDERROR_FOR_UNIMPLEMENTED_API_ENDPOINTS=True,
            DISABLE_LOGGING_DEBUG_OUTPUT=True,
        )
        if params.get("username") or params.get("password"):
            api.auth_log_in()
        return api

    def describe(self, exc: BaseException) -> str:
        """One line for a person about a failed request; says so when an http:// host is an HTTPS Web UI, or when
        qBittorrent refused the address the module uses rather than the password."""
        if _unauthorized(exc) and self.refused_by_host_header():
            return host_header_message(self.url)
        message = describe_error(exc, self.host)
        if self.url.lower().startswith("http://") and _dropped_without_answer(exc):
            parts = urlsplit(self.url)
            try:
                port = parts.port or 80
            except ValueError:
                port = None
            if port and parts.hostname and _speaks_tls(parts.hostname, port, min(self.request_timeout, 5.0)):
                return ("%s speaks HTTPS on that port, not plain HTTP: write https://%s in the host option (with "
                        "validate_certs=false for a self-signed certificate)" % (self.host, parts.netloc))
        if self.url.lower().startswith("https://") and message.startswith("TLS handshake with "):
            parts = urlsplit(self.url)
            try:
                port = parts.port or 443
            except ValueError:
                port = None
            if port and parts.hostname and _speaks_plain_http(parts.hostname, port, min(self.request_timeout, 5.0)):
                return plain_http_message(self.host)
        return message

    def refused_by_host_header(self) -> bool:
        """Whether qBittorrent refuses every request to this address before looking at credentials.

        qBittorrent checks the Host header (its port must be the Web UI's own port, its name the address qBittorrent
        listens on or one of its 'Server domains') before anything else and answers 401 when it does not match; a
        wrong password gets 200 "Fails." (up to 5.1) or 401 (from 5.2), and a ban 403. So ask without credentials
        for app/version, which needs a login: 401 means the Host header was refused; 403 (no session) or 200 (no login
        needed from here) means it was accepted and the login itself failed. The CSRF check also answers 401, but only
        to a request with a foreign Origin or Referer, which neither this request nor qbittorrent-api sends. A 401 with
        WWW-Authenticate comes from something else (a proxy asking for its own login), never from qBittorrent.
        """
        try:
            response = requests.get(self.url.rstrip("/") + "/api/v2/app/version", allow_redirects=False,
                                    timeout=min(self.request_timeout, 5.0), verify=self.validate_certs)
        except requests.exceptions.RequestException:
            return False
        return response.status_code == 401 and "WWW-Authenticate" not in response.headers

    def describe_lost(self, exc: BaseException) -> str:
        """Why a server that was answering stopped doing so, in a few words: the host was right, so no hint about it
        (a refusal means qBittorrent stopped or is restarting; a timeout that it hangs)."""
        everything = _walk_args(exc)
        text = " ".join(str(e) for e in everything)
        if any(isinstance(e, ConnectionRefusedError) for e in everything) or "Connection refused" in text:
            return "the connection was refused (qBittorrent stopped, or is restarting)"
        if any(isinstance(e, (requests.exceptions.Timeout, socket.timeout)) for e in everything):
            return ("no answer within request_timeout=%g s (qBittorrent hangs or is overloaded)"
                    % self.request_timeout)
        if _dropped_without_answer(exc):
            return "the connection was dropped without an answer (qBittorrent stopped or crashed)"
        return self.describe(exc)

    # ---- what the server can do ---------------------------------------------------------------------------------
    @property
    def webapi(self) -> tuple[int, ...]:
        return version_tuple(self.webapi_version)

    @property
    def version(self) -> tuple[int, ...]:
        return version_tuple(self.qbittorrent_version)

    @property
    def has_creator(self) -> bool:
        """torrentcreator/* endpoints (Web API 2.10.4, qBittorrent 5.0)."""
        return self.webapi >= CREATOR_MIN_WEBAPI

    @property
    def has_webseeds(self) -> bool:
        """torrents/webseeds, addWebSeeds, removeWebSeeds (Web API 2.11.3, qBittorrent 5.1)."""
        return self.webapi >= (2, 11, 3)

    @property
    def lists_trackers(self) -> bool:
        """torrents/info?includeTrackers=true: every torrent's trackers in the one listing (Web API 2.11.4, 5.1)."""
        return self.webapi >= (2, 11, 4)

    @property
    def can_export(self) -> bool:
        """torrents/export (Web API 2.8.14)."""
        return self.webapi >= (2, 8, 14)

    @property
    def has_ignore_dotfiles(self) -> bool:
        """The creator's ignoreDotfiles parameter (Web API 2.16, qBittorrent 5.3)."""
        return self.webapi >= (2, 16, 0)

    @property
    def creator_decodes_urls(self) -> bool:
        """addTask percent-decodes each |-separated tracker and web seed (qBittorrent 5.2, PR #22459)."""
        return self.version >= (5, 2, 0)

    @property
    def tracker_removal_decodes_urls(self) -> bool:
        """removeTrackers percent-decodes each |-separated URL (qBittorrent 5.1)."""
        return self.version >= (5, 1, 0)

    @property
    def source_from_comment(self) -> bool:
        """qBittorrent 5.0.0-5.0.2 fill the creator's source field from the comment (fixed in 5.0.3)."""
        return (5, 0, 0) <= self.version < (5, 0, 3)

    @property
    def rss_rule_torrent_params(self) -> bool:
        """RSS auto-download rules carry ``torrentParams`` (with tags; the old savePath, assignedCategory and
        addPaused keys are then ignored) from qBittorrent 4.6.0 (Web API 2.9.2); 4.5 has only the old keys."""
        return self.version >= (4, 6, 0)

    @property
    def can_set_feed_url(self) -> bool:
        """rss/setFeedURL (Web API 2.9.1, qBittorrent 4.6)."""
        return self.webapi >= (2, 9, 1)

    @property
    def has_feed_refresh_interval(self) -> bool:
        """Per-feed refresh intervals in seconds: rss/addFeed's refreshInterval, rss/setFeedRefreshInterval
        (Web API 2.11.5, qBittorrent 5.2)."""
        return self.webapi >= (2, 11, 5)

    @property
    def libtorrent_version(self) -> tuple[int, ...] | None:
        """libtorrent's version from app/buildInfo as a tuple, None when the server does not say."""
        if self._libtorrent is None:
            try:
                value = (self.api.app_build_info() or {}).get("libtorrent")
            except Exception:  # pylint: disable=broad-except
                value = None
            self._libtorrent = version_tuple(value) if value else ()
        return self._libtorrent or None

    def server_facts(self) -> dict[str, str]:
        return dict(server_version=self.qbittorrent_version, webapi_version=self.webapi_version)
