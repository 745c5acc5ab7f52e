"""A web seed for the download tests: serves DIRECTORY on 127.0.0.1:PORT as a mirror's web server does.

  web_seed.py DIRECTORY PORT LOG

GET and HEAD with byte ranges (a single "Range: bytes=A-B" answered 206, as nginx or Apache answer it: BitTorrent
clients fetch pieces with ranges, and some of them refuse a whole file sent instead of the range they asked for).
Every request is appended to LOG as one JSON line: {"path": the decoded URL path, "status": ..., "range": ...}, so a
test can say what a client asked the web seed for. Truncating LOG between runs is fine (it is opened for appending).
"""
import http.server
import json
import os
import re
import sys
import urllib.parse


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def send_head(self):
        self.range = None
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            self.send_error(404, "File not found")
            return None
        size = os.path.getsize(path)
        start, end = 0, size - 1
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        if match and (match.group(1) or match.group(2)):
            if match.group(1):
                start = int(match.group(1))
                end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
            else:  # the last N bytes
                start = max(size - int(match.group(2)), 0)
            if start > end:
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % size)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            self.range = "%d-%d" % (start, end)
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        else:
            self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        handle = open(path, "rb")
        handle.seek(start)
        self.remaining = end - start + 1
        return handle

    def copyfile(self, source, outputfile):
        while self.remaining > 0:
            chunk = source.read(min(self.remaining, 65536))
            if not chunk:
                break
            outputfile.write(chunk)
            self.remaining -= len(chunk)

    def log_request(self, code="-", size="-"):
        entry = {"path": urllib.parse.unquote(self.path.split("?", 1)[0]), "status": int(code),
                 "range": getattr(self, "range", None), "method": self.command}
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")

    def log_message(self, *args):  # nothing on stderr: the log above says it all
        pass


if __name__ == "__main__":
    directory, port, LOG = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), lambda *a, **kw: Handler(*a, directory=directory, **kw))
    server.serve_forever()
