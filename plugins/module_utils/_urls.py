# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every rule about tracker and web seed URLs: the ``trackers`` option's tiers, what a valid URL is, how two URLs
compare, and how each endpoint must be sent URLs so that the server stores them byte for byte.

Wire formats, per endpoint and server version (seen live on qBittorrent 5.1.0 and 5.3.0, read in 5.2's sources):

* torrentcreator/addTask splits trackers and web seeds on ``|`` (an empty piece starts a new tier); from 5.2 it
  percent-decodes each piece, so each URL is sent fully percent-encoded there (``client.creator_decodes_urls``).
* torrents/addTrackers takes one URL a line, an empty line moving to the next tier.
* torrents/removeTrackers splits on ``|`` and percent-decodes each piece from 5.1 on
  (``client.tracker_removal_decodes_urls``); before, it takes them as they are.
* torrents/addWebSeeds and removeWebSeeds split on ``|``, percent-decode each piece and parse strictly.
* Web seeds come back from torrents/webseeds through QUrl::toString(): scheme and host lower-cased and
  percent-escapes such as ``%20`` decoded (``url_key`` compares on that, ``requote`` gives the form back).

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import re
import typing as t
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError, SessionError

TRACKER_SCHEMES = ("http", "https", "udp", "ws", "wss")
WEB_SEED_SCHEMES = ("http", "https")
MASK = "********"  # what Ansible puts in place of a no_log value (AnsibleModule.no_log_values, remove_values)
SECRET_MIN_LENGTH = 8  # shorter query values / passwords are masked together with their name
ANNOUNCE_SEGMENTS = ("announce", "scrape")  # a path with one is a tracker's: its key-like segments are keys
KEY_SEGMENT = re.compile(r"^(?=[A-Za-z0-9]*[0-9])[A-Za-z0-9]{16,}$")  # a path segment that looks like a passkey
URL_IN_TEXT = re.compile(r"(?:\b[A-Za-z][A-Za-z0-9+.-]*://|\bmagnet:\?)[^\s'\"<>`]+")


# ------------------------------------------------------------------------------------------------- options
def tracker_tiers(value: t.Any, option: str = "trackers") -> list[list[str]]:
    """The ``trackers`` option -> a list of tiers (lists of URLs).

    A flat list keeps qBittorrent's meaning: one tier. A list of lists gives one tier per inner list. Mixing the
    two forms is refused, empty tiers are dropped.
    """
    if not value:
        return []
    nested = [isinstance(item, (list, tuple)) for item in value]
    if all(nested):
        tiers = [[str(url) for url in tier] for tier in value]
    elif not any(nested):
        tiers = [[str(url) for url in value]]
    else:
        raise OptionError("%s: give either a flat list of URLs (one tier) or a list of lists (one tier each), "
                          "not a mix" % option)
    return [tier for tier in tiers if tier]


def check_url(option, url, schemes):
    """Refuse what is not a ``scheme://host[:port]/...`` URL with one of ``schemes``, naming the option."""
    expected = "%s://host[:port]/..." % "|".join(schemes)
    if not isinstance(url, str) or not url:
        raise OptionError("%s: %r is not a URL; expected %s" % (option, url, expected))
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc or "://" not in url:
        raise OptionError("%s: %r is not a URL; expected %s" % (option, url, expected))
    if url != url.strip() or any(ch.isspace() for ch in url):
        raise OptionError("%s: %r contains white space; percent-encode it (%%20)" % (option, url))
    if parts.scheme.lower() not in schemes:
        raise OptionError("%s: %r has scheme %s; expected %s" % (option, url, parts.scheme, expected))
    try:
        parts.port  # pylint: disable=pointless-statement
    except ValueError:
        raise OptionError("%s: %r has an invalid port" % (option, url))


def check_not_masked(option, url):
    """A URL holding Ansible's mask came from an earlier task's masked result: refuse it, it would be sent as is."""
    if isinstance(url, str) and MASK in url:
        raise OptionError("%s: %r holds %s, the mask Ansible puts in place of a tracker's secret (passkey) in results; "
                          "pass the real URL (from your variables, not from a registered result), or set "
                          "show_tracker_secrets=true on the task whose result you used" % (option, url, MASK))


def check_tiers(option, tiers, unique=False):
    """check_url for every tracker; with ``unique``, a URL may appear once only (a session keeps one tier a URL)."""
    seen = set()
    for tier in tiers:
        for url in tier:
            check_not_masked(option, url)
            check_url(option, url, TRACKER_SCHEMES)
            if unique and url in seen:
                raise OptionError("%s: %s is listed twice; a tracker can be in one tier only" % (option, url))
            seen.add(url)


def check_url_seeds(option, urls):
    for url in urls:
        check_not_masked(option, url)
        check_url(option, url, WEB_SEED_SCHEMES)


# ------------------------------------------------------------------------------------------------- secrets
def _secret_forms(secret, context):
    """The strings to mask for one secret: as written, percent-decoded and fully percent-encoded (as magnet links
    carry it); ``context`` (the secret with its name) replaces it when it is too short to be masked alone."""
    if len(unquote(secret)) < SECRET_MIN_LENGTH and len(secret) < SECRET_MIN_LENGTH:
        if not context:
            return set()
        secret = context
    forms = set([secret, unquote(secret)])
    forms.add(quote(unquote(secret), safe=""))
    return set(form for form in forms if form)


def url_secrets(url: str) -> list[str]:
    """The secrets of one tracker or web seed URL (the policy of docs/reliability.md, "Secrets and seeding state"):

    * every query-string value (``?passkey=VALUE&uid=VALUE``; a piece without ``=`` counts as a value);
    * the password of the URL's user info (``https://user:PASSWORD@host/``);
    * in a URL whose path has a segment starting with ``announce`` or ``scrape`` (a tracker's), every other path
      segment of 16 or more ASCII letters and digits holding at least one digit (``/a1b2c3d4e5f60718/announce``,
      ``/announce/a1b2c3d4e5f60718``); a web seed's path (``/pub/distro20260101release/``) names the data, not a key.

    Ansible masks by replacing each registered string wherever it occurs in a result, so a value or password shorter
    than 8 characters is registered together with its name (``uid=42``, ``user:pw@``), and each secret is also
    registered percent-decoded and fully percent-encoded (the form magnet links carry)."""
    secrets = set()
    if not isinstance(url, str) or "://" not in url:
        return secrets
    try:
        parts = urlsplit(url.strip())
        password = parts.password
    except ValueError:
        return secrets
    if not parts.scheme or not parts.netloc:
        return secrets
    if password:
        userinfo = parts.netloc.rpartition("@")[0]
        secrets |= _secret_forms(password, userinfo + "@")
    for piece in parts.query.split("&"):
        name, sep, value = piece.partition("=")
        if not sep:
            name, value = "", piece
        if value:
            secrets |= _secret_forms(value, piece if sep else None)
    segments = parts.path.split("/")
    if any(unquote(segment).lower().startswith(ANNOUNCE_SEGMENTS) for segment in segments):
        for segment in segments:
            if KEY_SEGMENT.match(unquote(segment)):
                secrets |= _secret_forms(segment, None)
    return secrets


def urls_in(value: t.Any) -> list[str]:
    """Every URL in ``value``: a URL, a tier list, a result (dicts and lists walked), URLs inside messages, and the
    trackers and web seeds of magnet links."""
    found = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
        elif isinstance(item, bytes):
            stack.append(item.decode("utf-8", "replace"))
        elif isinstance(item, str) and ("://" in item or "magnet:?" in item):
            for match in URL_IN_TEXT.findall(item):
                candidate = match.rstrip(".,;:)]}")
                if candidate.startswith("magnet:?"):
                    found.extend(v for k, v in parse_qsl(candidate[len("magnet:?"):]) if k in ("tr", "ws"))
                else:
                    found.append(candidate)
            if "://" in item and not item.startswith("magnet:") and not any(ch.isspace() for ch in item):
                found.append(item)  # the whole string when it is a URL (the pattern stops at quotes)
    return found


def tracker_secrets(*values: t.Any) -> list[str]:
    """The secrets (url_secrets) of every URL found in ``values`` (URLs, tiers, results, messages), sorted."""
    secrets = set()
    for url in urls_in(list(values)):
        secrets |= url_secrets(url)
    return sorted(secrets)


def mask_secrets(text: str, secrets: t.Iterable[str]) -> str:
    """``text`` with every secret replaced by the mask, longest first (as Ansible's remove_values does)."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


# ------------------------------------------------------------------------------------------------- comparing
def tiers_key(tiers):
    """What makes two tier lists the same: the order of tiers, not their numbers nor the order inside a tier
    (clients shuffle each tier anyway, BEP 12)."""
    return [sorted(set(tier)) for tier in tiers if tier]


def url_key(url: str) -> str:
    """A web seed as QUrl::toString() gives it back: scheme and host lower-cased, percent-escapes decoded."""
    try:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), unquote(parts.path), unquote(parts.query),
                           unquote(parts.fragment)))
    except ValueError:
        return url


def requote(url):
    """A web seed as the server lists it (``rel hybrid``) -> the form it was given in (``rel%20hybrid``)."""
    return quote(url, safe="!#$%&'()*+,/:;=?@[]~")


# ------------------------------------------------------------------------------------------------- wire formats
def encode_pieces(urls):
    """For endpoints that split on ``|`` and percent-decode each piece: every URL arrives byte for byte."""
    return "|".join(quote(url, safe="") for url in urls)


def creator_urls(urls, client):
    """URLs for addTask's trackers / urlSeeds list (qbittorrent-api joins it with ``|``)."""
    if client.creator_decodes_urls:
        return [quote(url, safe="") if url else url for url in urls]
    return list(urls)


def check_creator_urls(client, trackers, url_seeds):
    """Before 5.2 addTask takes URLs as they are, so a ``|`` inside one would split it."""
    if client.creator_decodes_urls:
        return
    for option, urls in (("trackers", [u for tier in trackers for u in tier]), ("url_seeds", url_seeds)):
        for url in urls:
            if "|" in url:
                raise OptionError("%s: %r contains '|', which qBittorrent %s reads as a separator; percent-encode it "
                                  "(%%7C)" % (option, url, client.qbittorrent_version))


def tracker_removal(urls, client):
    """The ``urls`` field of removeTrackers; before 5.1 a URL holding ``|`` cannot be removed."""
    if client.tracker_removal_decodes_urls:
        return encode_pieces(urls)
    for url in urls:
        if "|" in url:
            raise SessionError("tracker %s contains '|', which qBittorrent before 5.1 reads as a separator when "
                               "removing trackers: remove it in the Web UI, or upgrade qBittorrent" % url)
    return "|".join(urls)


def creator_tracker_list(tiers, client):
    """addTask's trackers list: the tiers joined, an empty piece between two tiers."""
    joined = []
    for index, tier in enumerate(tiers):
        if index:
            joined.append("")
        joined.extend(creator_urls(tier, client))
    return joined
