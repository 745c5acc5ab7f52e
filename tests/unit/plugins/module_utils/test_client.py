# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""QbtClient: the transport rules and the words for a failed connection.

What is faked and why: the HTTP layer (requests' HTTPAdapter.send) answers or fails on demand, so the tests see
exactly which URLs are requested and with which ``verify`` after requests has merged the environment; a live test
cannot make a server answer a TLS hello with plain HTTP, present a bad certificate, refuse or time out at will, nor
observe that no plain-HTTP request was ever tried. The answers to a refused login (200 "Fails." up to qBittorrent 5.1,
401 from 5.2, 403 for a ban, 401 to everything when the Host header is refused) are copied from what real 4.5.2, 5.1.0
and 5.3.0 servers answered; here they show which request the decision makes and that it carries no credentials.
qbittorrent-api itself is real (its retry, its URL building, its exception wrapping). Real servers, including one
with HTTPS and one reached through another port, are used in tests/integration/targets/qbt_connection.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import ssl

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils import _client
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._client import (
    QbtClient,
    describe_error,
    normalise_host,
    version_tuple,
)
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import ConnectionFailure
from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.fake_client import FakeClient

qbittorrentapi = pytest.importorskip("qbittorrentapi")
requests = pytest.importorskip("requests")

CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


class FakeHttp:
    """Stands in for the network below requests: records each request, answers like qBittorrent or raises."""

    def __init__(self, qbittorrent="v5.1.0", webapi="2.11.4", error=None):
        self.answers = {"app/version": qbittorrent, "app/webapiVersion": webapi, "app/buildInfo": '{"libtorrent":'
                        ' "2.0.11.0"}', "auth/login": "Ok."}
        self.error = error
        self.requests = []
        # (status, body) for auth/login instead of 200 "Ok."; what the server answers when the login fails
        self.login_answer = ()
        # 401 to every request, as qBittorrent's Host header validation does (a port published as another port)
        self.host_refused = False
        # extra headers on a 401 (a proxy in front asking for its own login)
        self.unauthorized_headers = {}

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        self.requests.append(dict(method=request.method, url=request.url, verify=verify, timeout=timeout,
                                  headers=dict(request.headers), body=request.body))
        if self.error is not None:
            raise self.error
        endpoint = request.url.split("/api/v2/", 1)[1]
        status, body = 200, self.answers[endpoint]
        if self.host_refused:
            status, body = 401, "Unauthorized"
        elif endpoint == "auth/login" and self.login_answer:
            status, body = self.login_answer
        elif self.login_answer and "Cookie" not in request.headers:
            status, body = 403, "Forbidden"  # no session: every endpoint but auth/login is refused
        response = requests.models.Response()
        response.status_code = status
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        response._content = body.encode()  # pylint: disable=protected-access
        response.headers["Content-Type"] = "application/json" if endpoint == "app/buildInfo" else "text/plain"
        if status == 401:
            response.headers.update(self.unauthorized_headers)
        if endpoint == "auth/login" and status == 200 and body == "Ok.":
            response.headers["Set-Cookie"] = "SID=abc; HttpOnly; path=/"
        return response


@pytest.fixture
def http(monkeypatch):
    fake = FakeHttp()
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", fake.send)  # a bound method: called without the adapter
    # qbittorrent-api retries once after a failure; on a real network the backoff sleep would run
    monkeypatch.setattr(qbittorrentapi.request, "sleep", lambda seconds: None)
    probes = []
    monkeypatch.setattr(_client, "_speaks_tls", lambda host, port, timeout: probes.append((host, port)) or False)
    monkeypatch.setattr(_client, "_speaks_plain_http",
                        lambda host, port, timeout: probes.append(("plain", host, port)) or False)
    fake.probes = probes
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "QBITTORRENTAPI_DO_NOT_VERIFY_WEBUI_CERTIFICATE",
                 "PYTHON_QBITTORRENTAPI_DO_NOT_VERIFY_WEBUI_CERTIFICATE"):
        monkeypatch.delenv(name, raising=False)
    return fake


def connect(host="https://qbt.example:8080", need_creator=False, **params):
    params.setdefault("validate_certs", True)
    params.setdefault("request_timeout", 30.0)
    return QbtClient(dict(params, host=host), need_creator=need_creator)


def failure(**kwargs):
    with pytest.raises(ConnectionFailure) as caught:
        connect(**kwargs)
    return caught.value


# ---------------------------------------------------------------- transport rules

def test_https_host_is_never_downgraded(http):
    """qbittorrent-api would try plain HTTP when HTTPS fails; the module must not (the password would go in clear)."""
    http.error = requests.exceptions.SSLError(ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"))
    error = failure(host="https://qbt.example:8080")
    assert http.requests, "no request at all"
    assert all(request["url"].startswith("https://qbt.example:8080/") for request in http.requests)
    assert "does not speak TLS" in error.msg and "never falls back to http://" in error.msg


@pytest.fixture
def built(monkeypatch):
    """The keyword arguments QbtClient gives qbittorrentapi.Client (the client is replaced by a recorder)."""
    calls = []

    class RecordingClient:
        def __init__(self, **kwargs):
            calls.append(kwargs)

        def auth_log_in(self):
            calls.append("login")

        def app_version(self):
            return "v5.3.0"

        def app_web_api_version(self):
            return "2.16.0"

    monkeypatch.setattr(_client.qbittorrentapi, "Client", RecordingClient)
    return calls


def test_client_built_with_the_scheme_forced_and_verify_per_request(built):
    client = connect(host="https://qbt.example:8080", validate_certs=False, request_timeout=10.0, username="admin",
                     password="secret", need_creator=True)
    kwargs = built[0]
    assert kwargs["host"] == "https://qbt.example:8080"
    assert kwargs["FORCE_SCHEME_FROM_HOST"] is True  # no http/https detection: https:// stays https://
    assert kwargs["VERIFY_WEBUI_CERTIFICATE"] is False
    assert kwargs["REQUESTS_ARGS"] == {"timeout": (5.0, 5.0), "verify": False}  # two tries share request_timeout
    assert kwargs["HTTPADAPTER_ARGS"] == {"max_retries": 0}
    assert built[1] == "login"
    assert (client.qbittorrent_version, client.webapi_version) == ("5.3.0", "2.16.0")


def test_verify_merged_like_requests_does(built, monkeypatch):
    """requests lets REQUESTS_CA_BUNDLE override a session's verify=False unless verify is given per request: merged
    the way requests merges it, the REQUESTS_ARGS QbtClient uses keep verification off."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", CA_BUNDLE)
    session = requests.Session()
    session.verify = False  # what VERIFY_WEBUI_CERTIFICATE=False alone does: not enough
    url = "https://qbt.example:8080/api/v2/app/version"
    assert session.merge_environment_settings(url, {}, None, None, None)["verify"] == CA_BUNDLE
    connect(validate_certs=False)
    verify = built[0]["REQUESTS_ARGS"]["verify"]
    assert session.merge_environment_settings(url, {}, None, verify, None)["verify"] is False


def test_ca_bundle_in_the_environment_does_not_turn_verification_back_on(http, monkeypatch):
    """requests lets REQUESTS_CA_BUNDLE override a session's verify=False; validate_certs=false must win."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", CA_BUNDLE)
    monkeypatch.setenv("CURL_CA_BUNDLE", CA_BUNDLE)
    client = connect(validate_certs=False)
    assert client.qbittorrent_version == "5.1.0"
    assert [request["verify"] for request in http.requests] == [False, False]


def test_ca_bundle_in_the_environment_is_used_when_verifying(http, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", CA_BUNDLE)
    connect(validate_certs=True)
    assert [request["verify"] for request in http.requests] == [CA_BUNDLE, CA_BUNDLE]


def test_host_without_scheme_means_http(http):
    client = connect(host="qbt.example:8080")
    assert client.url == "http://qbt.example:8080"
    assert client.host == "qbt.example:8080"  # messages name the host as the user wrote it
    assert all(request["url"].startswith("http://qbt.example:8080/api/v2/") for request in http.requests)


@pytest.mark.parametrize("host, url", [
    ("qbt.example:8080", "http://qbt.example:8080"),
    ("//qbt.example", "http://qbt.example"),
    (" HTTPS://qbt.example ", "HTTPS://qbt.example"),
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/"),
])
def test_normalise_host(host, url):
    assert normalise_host(host) == url


def test_request_timeout_is_the_total_of_both_tries(http):
    connect(request_timeout=8.0)
    assert {request["timeout"] for request in http.requests} == {(4.0, 4.0)}


def test_login_only_with_credentials(http):
    connect()
    assert not [request for request in http.requests if "auth/login" in request["url"]]
    http.requests[:] = []
    connect(username="admin", password="secret")
    assert http.requests[0]["url"] == "https://qbt.example:8080/api/v2/auth/login"


# ---------------------------------------------------------------- refusals before and after connecting

def test_host_required():
    assert "host is required" in failure(host=None).msg
    assert "host is required" in failure(host="").msg


def test_request_timeout_must_be_positive():
    assert failure(request_timeout=-1.0).msg.startswith("request_timeout: must be a positive number")


def test_server_without_the_creator(http):
    http.answers.update({"app/version": "v4.5.2", "app/webapiVersion": "2.8.19"})
    error = failure(need_creator=True)
    assert "qBittorrent 4.5.2 (Web API 2.8.19) at https://qbt.example:8080 has no torrent creator API" in error.msg
    assert "5.0.0 or newer" in error.msg
    assert error.result == dict(server_version="4.5.2", webapi_version="2.8.19")
    assert connect(need_creator=False).has_creator is False  # qbt_torrent works with 4.5


# ---------------------------------------------------------------- what went wrong, in words

def test_certificate_not_trusted(http):
    http.error = requests.exceptions.SSLError(ssl.SSLCertVerificationError(
        1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)"))
    message = failure().msg
    assert message.startswith("TLS certificate verification failed for https://qbt.example:8080")
    assert "validate_certs=false" in message and "REQUESTS_CA_BUNDLE" in message


def test_connection_refused_and_no_tls_probe(http):
    http.error = requests.exceptions.ConnectionError(ConnectionRefusedError(111, "Connection refused"))
    message = failure(host="qbt.example:8080").msg
    assert message.startswith("connection to qbt.example:8080 refused: is qBittorrent running")
    assert http.probes == []  # nothing listens there: no point asking whether it speaks TLS


def test_http_host_that_speaks_https(http, monkeypatch):
    # an HTTPS Web UI answers a plain HTTP request by closing the connection
    http.error = requests.exceptions.ConnectionError("Connection aborted.")
    monkeypatch.setattr(_client, "_speaks_tls", lambda host, port, timeout: (host, port) == ("qbt.example", 8080))
    message = failure(host="http://qbt.example:8080").msg
    assert message.startswith("http://qbt.example:8080 speaks HTTPS on that port, not plain HTTP")
    assert "write https://qbt.example:8080 in the host option" in message


def test_https_host_at_a_plain_http_server_that_hangs_up(http, monkeypatch):
    # qBittorrent's plain HTTP Web UI closes the connection on a TLS hello: no "wrong version number" to go by; a
    # plain HTTP request without credentials tells (seen live on 5.1.0)
    http.error = requests.exceptions.SSLError(ssl.SSLError(8, "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in "
                                                              "violation of protocol (_ssl.c:1006)"))
    monkeypatch.setattr(_client, "_speaks_plain_http", lambda host, port, timeout: (host, port) == ("qbt.example", 8080))
    message = failure(host="https://qbt.example:8080").msg
    assert message.startswith("https://qbt.example:8080 does not speak TLS on that port")
    assert "never falls back to http://" in message
    assert all(request["url"].startswith("https://") for request in http.requests)


def test_https_host_tls_cut_short_by_something_else(http):
    http.error = requests.exceptions.SSLError(ssl.SSLError(8, "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred"))
    message = failure(host="https://qbt.example:8080").msg
    assert message.startswith("TLS handshake with https://qbt.example:8080 failed: ")
    assert ("plain", "qbt.example", 8080) in http.probes


def test_name_not_resolved(http):
    http.error = requests.exceptions.ConnectionError(socket.gaierror(-2, "Name or service not known"))
    assert failure().msg.startswith("cannot resolve the host name in host=https://qbt.example:8080")


def test_no_answer_within_request_timeout(http):
    http.error = requests.exceptions.ReadTimeout("read timed out")
    assert "no answer from https://qbt.example:8080 within request_timeout" in failure().msg


def test_wrong_password():
    message = describe_error(qbittorrentapi.LoginFailed(), "https://qbt.example:8080")
    assert message.startswith("qBittorrent at https://qbt.example:8080 rejected the login")


def test_banned_address():
    message = describe_error(qbittorrentapi.Forbidden403Error("Forbidden"), "qbt.example:8080")
    assert "403 Forbidden" in message and "ban" in message


# ---------------------------------------------------------------- Host header refusal or wrong password

WRONG_PASSWORD_ANSWERS = {"4.5 and 5.1": (200, "Fails."), "5.2 and later": (401, "Unauthorized")}


def probes_for_host_check(http):
    """The requests made to tell a Host header refusal from a refused login: app/version without any credentials."""
    return [r for r in http.requests if r["method"] == "GET" and r["url"].endswith("/api/v2/app/version")
            and "Cookie" not in r["headers"] and "Authorization" not in r["headers"]]


@pytest.mark.parametrize("username", ["admin", None], ids=["login", "no-credentials"])
def test_host_header_refusal_is_not_called_a_wrong_password(http, username):
    """Published as another port, qBittorrent answers 401 to everything: the port is the problem, not the password."""
    http.host_refused = True
    message = failure(host="http://127.0.0.1:18098", username=username, password=username and "s3cret-pass").msg
    assert message.startswith("qBittorrent at http://127.0.0.1:18098 refused the request before checking any password")
    assert "Host header validation" in message
    assert "(127.0.0.1:18098) do not match what qBittorrent's Web UI accepts" in message
    assert "-p 18098:18098" in message and "'Server domains'" in message
    assert "web_ui_host_header_validation_enabled" in message and "WebUI\\HostHeaderValidation=false" in message
    assert "check the username and password" not in message
    assert "s3cret-pass" not in message and "\n" not in message
    probe = http.requests[-1]  # the check: the last request, without a cookie, a password or a body
    assert probes_for_host_check(http)[-1] is probe and probe["body"] is None and probe["verify"] is True


@pytest.mark.parametrize("answer", WRONG_PASSWORD_ANSWERS.values(), ids=list(WRONG_PASSWORD_ANSWERS))
def test_wrong_password_still_says_so(http, answer):
    """Host accepted: app/version without a session gets 403, so the login itself was refused."""
    http.login_answer = answer
    message = failure(host="http://127.0.0.1:8080", username="admin", password="wrong").msg
    assert message.startswith("qBittorrent at http://127.0.0.1:8080 rejected the login: check the username and password")
    assert "Host header" not in message
    assert len(probes_for_host_check(http)) == 1


def test_ban_keeps_its_message_and_asks_nothing_more(http):
    http.login_answer = (403, "Your IP address has been banned after too many failed authentication attempts.")
    message = failure(username="admin", password="right").msg
    assert "403 Forbidden" in message and "banned" in message
    assert probes_for_host_check(http) == []


def test_401_from_a_proxy_asking_for_its_own_login_is_not_a_host_header_refusal(http):
    http.host_refused = True
    http.unauthorized_headers = {"WWW-Authenticate": 'Basic realm="proxy"'}
    message = failure(username="admin", password="right").msg
    assert "rejected the login" in message and "Host header" not in message


def test_no_answer_to_the_check_keeps_the_login_message(http, monkeypatch):
    http.login_answer = WRONG_PASSWORD_ANSWERS["5.2 and later"]
    real_send = http.send

    def send(adapter, request, **kwargs):  # pylint: disable=unused-argument
        if request.url.endswith("/app/version") and "Cookie" not in request.headers:
            raise requests.exceptions.ConnectionError(ConnectionRefusedError(111, "Connection refused"))
        return real_send(request, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    assert "rejected the login" in failure(username="admin", password="wrong").msg


def test_host_header_message_leaves_out_user_info():
    message = _client.host_header_message("https://someone:pa55word@qbt.example/")
    assert "pa55word" not in message and "someone" not in message
    assert message.startswith("qBittorrent at https://qbt.example refused the request")
    assert "-p 443:443" in message


@pytest.mark.parametrize("text", [
    "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)",
    "[SSL: RECORD_LAYER_FAILURE] record layer failure (_ssl.c:1000)",
    "[SSL: HTTP_REQUEST] http request (_ssl.c:1000)",
])
def test_plain_http_on_a_https_host(text):
    """OpenSSL words it differently by version; every form says the port speaks plain HTTP."""
    with pytest.raises(requests.exceptions.SSLError) as caught:
        try:
            raise ssl.SSLError(1, text)
        except ssl.SSLError as inner:
            raise requests.exceptions.SSLError(inner)  # raised during the handling of the first: a chain, as live
    message = describe_error(caught.value, "https://qbt.example:8080")
    assert message.startswith("https://qbt.example:8080 does not speak TLS on that port")


def test_other_tls_failure_shows_the_detail():
    exc = requests.exceptions.SSLError(ssl.SSLError(1, "[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert"))
    assert describe_error(exc, "https://h:1").startswith("TLS handshake with https://h:1 failed: ")


def test_anything_else_names_the_host():
    assert describe_error(ValueError("boom\nsecond line"), "h:1") == "qBittorrent at h:1: boom"


# ---------------------------------------------------------------- what the server can do

@pytest.mark.parametrize("version, webapi, capabilities", [
    ("4.5.2", "2.8.19", dict(has_creator=False, has_webseeds=False, can_export=True, has_ignore_dotfiles=False,
                             creator_decodes_urls=False, tracker_removal_decodes_urls=False, source_from_comment=False)),
    ("5.0.0", "2.11.2", dict(has_creator=True, has_webseeds=False, source_from_comment=True)),
    ("5.0.2", "2.11.2", dict(source_from_comment=True, tracker_removal_decodes_urls=False)),
    ("5.0.3", "2.11.2", dict(source_from_comment=False)),
    ("5.1.0", "2.11.4", dict(has_webseeds=True, tracker_removal_decodes_urls=True, creator_decodes_urls=False)),
    ("5.2.0", "2.15.0", dict(creator_decodes_urls=True, has_ignore_dotfiles=False)),
    ("5.3.0", "2.16.0", dict(has_creator=True, has_webseeds=True, has_ignore_dotfiles=True, creator_decodes_urls=True)),
])
def test_capabilities(version, webapi, capabilities):
    client = FakeClient(version, webapi)
    assert dict((name, getattr(client, name)) for name in capabilities) == capabilities


def test_libtorrent_version_asked_once(http):
    client = connect()
    assert client.libtorrent_version == (2, 0, 11, 0)  # as app/buildInfo says it
    assert client.libtorrent_version == (2, 0, 11, 0)  # as app/buildInfo says it
    assert len([r for r in http.requests if r["url"].endswith("app/buildInfo")]) == 1


def test_libtorrent_version_unknown_when_the_server_does_not_say(http):
    http.answers["app/buildInfo"] = "{}"
    assert connect().libtorrent_version is None


@pytest.mark.parametrize("text, parsed", [
    ("v5.1.0", (5, 1, 0)), ("2.11.4", (2, 11, 4)), ("5.1.0beta1", (5, 1, 0)), ("5", (5, 0, 0)), ("v4.6.7.10", (4, 6, 7, 10)),
])
def test_version_tuple(text, parsed):
    assert version_tuple(text) == parsed
