"""Offer a builder to a seeder as a peer, as a tracker, DHT or LSD would (the test servers run without them).

    offer_peer.py SEEDER_URL BUILDER_URL SECONDS HASH...      (password in QBT_PASSWORD, user admin)

For SECONDS, every 0.2 s: each HASH that is in the seeder's session gets the builder's BitTorrent port as a peer
(torrents/addPeers). Prints how many times it offered the builder, so the test knows the peer was there."""

import json
import os
import sys
import time
import urllib.parse
import urllib.request


def opener(url):
    jar = urllib.request.HTTPCookieProcessor()
    open_ = urllib.request.build_opener(jar).open
    body = urllib.parse.urlencode({"username": "admin", "password": os.environ["QBT_PASSWORD"]}).encode()
    open_(urllib.request.Request(url + "/api/v2/auth/login", data=body, headers={"Referer": url}), timeout=10)

    def call(path, **form):
        data = urllib.parse.urlencode(form).encode() if form else None
        with open_(urllib.request.Request(url + path, data=data, headers={"Referer": url}), timeout=10) as answer:
            return answer.read()
    return call


def main():
    seeder_url, builder_url, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    hashes = sys.argv[4:]
    seeder, builder = opener(seeder_url), opener(builder_url)
    port = json.loads(builder("/api/v2/app/preferences"))["listen_port"]
    offered = 0
    deadline = time.time() + seconds
    while time.time() < deadline:
        present = [t["hash"] for t in json.loads(seeder("/api/v2/torrents/info", hashes="|".join(hashes)))]
        if present:
            seeder("/api/v2/torrents/addPeers", hashes="|".join(present), peers="127.0.0.1:%d" % port)
            offered += 1
        time.sleep(0.2)
    print(offered)


if __name__ == "__main__":
    main()
