# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The release feed: ``<manifest name>.rss``, an RSS 2.0 torrent feed (BEP 36) of the releases the manifest lists.

One ``<item>`` per release: its name as title, its magnet link as ``<link>``, the info hash as ``<guid>`` (v1, else
v2), the .torrent's creation date as ``<pubDate>``, an ``<enclosure type="application/x-bittorrent">`` to
``base_url`` + the .torrent's file name with the file's length, and the content size, info hash, file name and
magnet link in the ``torrent`` namespace most torrent feeds use (``http://xmlns.ezrss.it/0.1/``). Newest first.

qBittorrent's RSS reader takes the torrent from an item's enclosure, else from a magnet ``<link>``, whichever comes
last in the item: the enclosure is written after the link so the .torrent wins. It reparses a feed only when its
``<lastBuildDate>`` changed, so that date changes exactly when the items change (a later instant than the one in
the existing file) and is kept from the existing file otherwise: a run that changes nothing renders the same bytes
and writes nothing (``_manifest.write_manifest`` owns the writing).

Private releases are left out unless ``include_private``; secrets are masked by the caller's ``mask`` as in the
manifest.

Private module_utils file: its API may change without notice.
"""

from __future__ import annotations

import datetime
import email.utils
import os
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlsplit

from ansible.module_utils.common.text.formatters import bytes_to_human

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import OptionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._torrent_meta import TorrentMeta, TorrentMetaError

TORRENT_NS = "http://xmlns.ezrss.it/0.1/"
BUILD_DATE = re.compile(rb"<lastBuildDate>([^<]*)</lastBuildDate>")
ITEMS = re.compile(rb"<item>.*</item>", re.DOTALL)


def validate_feed(feed: dict | None) -> None:
    """OptionError naming the key when ``feed`` (the qbt_releases option) cannot work."""
    base_url = (feed or {}).get("base_url") or ""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise OptionError("feed.base_url: %r is not an http:// or https:// URL; set it to where the .torrent files "
                          "are served, for example https://releases.example.org/torrents/" % base_url)


def enclosure_url(base_url, dest):
    """``base_url`` + the .torrent's file name, percent-encoded."""
    return base_url.rstrip("/") + "/" + quote(os.path.basename(dest))


def rfc822(timestamp):
    return email.utils.format_datetime(datetime.datetime.fromtimestamp(int(timestamp), datetime.timezone.utc),
                                       usegmt=True)


def _parse_date(text):
    try:
        return int(email.utils.parsedate_to_datetime(text.decode("ascii")).timestamp())
    except (TypeError, ValueError, UnicodeDecodeError, IndexError, OverflowError):
        return None


def torrent_facts(path):
    """(length of the .torrent file, its creation date or else its modification time), or None if unreadable."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        meta = TorrentMeta.from_bytes(data)
        published = meta.creation_date
        if published is None:
            published = int(os.stat(path).st_mtime)
        return len(data), int(published)
    except (OSError, TorrentMetaError, ValueError, TypeError):
        return None


def feed_items(listed, feed, read_facts=None):
    """The items of the feed from the manifest's releases (``listed``): those with an info hash and a readable
    .torrent (in check mode a release still to be built has neither), private ones only with ``include_private``."""
    read_facts = read_facts or torrent_facts
    items = []
    for release in listed:
        if release.get("private") and not feed.get("include_private"):
            continue
        guid = release.get("info_hash_v1") or release.get("info_hash_v2")
        dest = release.get("dest")
        if not guid or not dest:
            continue
        facts = read_facts(dest)
        if facts is None:
            continue
        length, published = facts
        items.append(dict(release, _length=length, _published=published))
    items.sort(key=lambda r: (-r["_published"], r["name"]))
    return items


def _text(parent, tag, text, **attrs):
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = str(text)
    return element


def render_feed(items, feed, title, build_date):
    """The feed's bytes (UTF-8, ends with a newline) for ``items`` (feed_items) with ``build_date`` (RFC 822)."""
    ET.register_namespace("torrent", TORRENT_NS)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", feed.get("title") or title)
    _text(channel, "link", feed.get("link") or feed["base_url"])
    _text(channel, "description", feed.get("description") or "Torrents of %s" % (feed.get("title") or title))
    _text(channel, "generator", "torrentops.qbittorrent")
    _text(channel, "lastBuildDate", build_date)
    for release in items:
        item = ET.SubElement(channel, "item")
        guid = release.get("info_hash_v1") or release.get("info_hash_v2")
        size = release.get("total_size") or 0
        _text(item, "title", release["name"])
        files = release.get("file_count")
        count = "" if files is None else ", %d file%s" % (files, "" if files == 1 else "s")
        _text(item, "description", bytes_to_human(size) + count)
        if release.get("magnet_uri"):  # before the enclosure: qBittorrent takes the last of the two
            _text(item, "link", release["magnet_uri"])
        _text(item, "guid", guid, isPermaLink="false")
        _text(item, "pubDate", rfc822(release["_published"]))
        ET.SubElement(item, "enclosure", {"url": enclosure_url(feed["base_url"], release["dest"]),
                                          "length": str(release["_length"]), "type": "application/x-bittorrent"})
        _text(item, "{%s}infoHash" % TORRENT_NS, guid)
        _text(item, "{%s}contentLength" % TORRENT_NS, size)
        _text(item, "{%s}fileName" % TORRENT_NS, os.path.basename(release["dest"]))
        if release.get("magnet_uri"):
            _text(item, "{%s}magnetURI" % TORRENT_NS, release["magnet_uri"])
    if hasattr(ET, "indent"):
        ET.indent(rss, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="utf-8", xml_declaration=False) + b"\n"


def render(listed, feed, title, existing=None, now=None, read_facts=None):
    """The feed for the manifest's (masked) releases ``listed``. ``existing`` is the current file's bytes: its
    ``lastBuildDate`` is kept while the items are the same, else the new date is ``now`` (epoch seconds), at least
    one second after the old one so that qBittorrent reparses the feed."""
    items = feed_items(listed, feed, read_facts)
    old_date = None
    if existing:
        found = BUILD_DATE.search(existing)
        old_date = found.group(1).decode("utf-8", "replace") if found else None
    if old_date:
        candidate = render_feed(items, feed, title, old_date)
        if candidate == existing or _items(candidate) == _items(existing):
            return candidate
    when = int(now if now is not None else datetime.datetime.now(datetime.timezone.utc).timestamp())
    previous = _parse_date(old_date.encode("utf-8")) if old_date else None
    if previous is not None and when <= previous:
        when = previous + 1
    return render_feed(items, feed, title, rfc822(when))


def _items(content):
    found = ITEMS.search(content)
    return found.group(0) if found else b""


def feed_private(listed, feed):
    """Whether any release the feed lists is private (the file's default mode is then 0600)."""
    return bool(feed.get("include_private")) and any(r.get("private") for r in listed)
