#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""find_secret.py FILE SECRET...: where each SECRET appears in FILE (an ansible-playbook log), in any encoding a log
could carry it in: as written (any case), percent-encoded (quote, quote_plus, every byte, upper or lower hex, any
mix of encoded and plain bytes),
JSON-escaped (\\uXXXX), and inside every base64 blob (standard or URL-safe alphabet, each run of 16 or more base64
characters decoded from each of its first four offsets, also with the log's white space and \\n escapes taken out,
so a wrapped blob counts), where the decoded bytes are searched for the same forms (a .torrent is bencoded: its
strings are the raw bytes).

Prints one JSON object: {"found": [{"secret": ..., "form": ..., "where": ...}], "blobs": N}; exit 1 when anything
was found, 0 otherwise.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import json
import re
import sys

from urllib.parse import quote, quote_plus, unquote_to_bytes

BASE64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{16,}=*")


def forms(secret):
    """{form name: bytes} of ``secret`` as a log could carry it."""
    raw = secret.encode("utf-8")
    found = {
        "plain": raw,
        "percent-encoded": quote(secret, safe="").encode("ascii"),
        "percent-encoded (form)": quote_plus(secret, safe="").encode("ascii"),
        "percent-encoded, every byte": "".join("%%%02X" % b for b in bytearray(raw)).encode("ascii"),
        "percent-encoded, every byte, lower hex": "".join("%%%02x" % b for b in bytearray(raw)).encode("ascii"),
        "JSON-escaped": json.dumps(secret)[1:-1].encode("ascii"),
        "JSON \\u escapes": "".join("\\u%04x" % ord(c) for c in secret).encode("ascii"),
    }
    return found


def search(data, secrets, where, hits):
    lowered = data.lower()
    decoded = unquote_to_bytes(data.replace(b"+", b" ")).lower()  # any mix of percent-encoded and plain bytes
    for secret in secrets:
        for form, needle in forms(secret).items():
            if needle.lower() in lowered:
                hits.append(dict(secret=secret, form=form, where=where))
        if secret.encode("utf-8").lower() in decoded and secret.encode("utf-8").lower() not in lowered:
            hits.append(dict(secret=secret, form="partly percent-encoded", where=where))


def decodings(run):
    """Every decoding of ``run`` (bytes of base64 characters of either alphabet): split where a character belongs to
    the other alphabet only, each piece of 16 or more characters decoded from each of its first four offsets."""
    for name, other, table in (("base64", rb"[-_]", None), ("base64url", rb"[+/]", (b"-_", b"+/"))):
        for piece in re.split(other, run):
            piece = piece.rstrip(b"=")
            if len(piece) < 16:
                continue
            if table is not None:
                piece = piece.translate(bytes.maketrans(*table))
            for offset in range(4):
                part = piece[offset:]
                part = part[:len(part) - len(part) % 4]
                try:
                    yield "%s at offset %d" % (name, offset), base64.b64decode(part, validate=True)
                except (binascii.Error, ValueError):
                    continue


def find(log, secrets):
    hits = []
    search(log, secrets, "the log", hits)
    unwrapped = re.sub(rb"\\n|\\r|\s", b"", log)
    blobs = 0
    for text in (log, unwrapped):
        for match in BASE64_RUN.finditer(text):
            blobs += 1
            for how, decoded in decodings(match.group(0)):
                search(decoded, secrets, "%s of the blob at %d" % (how, match.start()), hits)
    return hits, blobs


def main(argv):
    with open(argv[1], "rb") as handle:
        log = handle.read()
    hits, blobs = find(log, argv[2:])
    print(json.dumps(dict(found=hits[:50], blobs=blobs)))
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
