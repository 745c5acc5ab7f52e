"""Byte-for-byte comparison of a download with the release it came from.

  same_files.py RELEASE_DIR DOWNLOADED_DIR
      -> {"identical": bool, "files": N, "missing": [...], "different": [...], "extra": [...]}

identical: every file of RELEASE_DIR is in DOWNLOADED_DIR under the same relative path with the same SHA-256.
extra lists what a client wrote besides the release's files (aria2 writes a hybrid torrent's .pad files, for example).
"""
import hashlib
import json
import os
import sys


def digests(top):
    found = {}
    for root, dummy, names in os.walk(top):
        for name in names:
            path = os.path.join(root, name)
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(chunk)
            found[os.path.relpath(path, top)] = digest.hexdigest()
    return found


def compare(release, downloaded):
    want = digests(release)
    got = digests(downloaded) if os.path.isdir(downloaded) else {}
    missing = sorted(p for p in want if p not in got)
    different = sorted(p for p in want if p in got and got[p] != want[p])
    return dict(identical=bool(want) and not missing and not different, files=len(want), missing=missing,
                different=different, extra=sorted(p for p in got if p not in want))


if __name__ == "__main__":
    print(json.dumps(compare(sys.argv[1], sys.argv[2])))
