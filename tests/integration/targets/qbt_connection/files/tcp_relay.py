# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only TCP relay: a server reached through another port, as `docker run -p 127.0.0.1:OUTER:INNER` publishes it.

  tcp_relay.py TARGET_HOST TARGET_PORT STATE_FILE [LIFETIME]

Listens on a free port of 127.0.0.1 and copies bytes both ways between each connection and TARGET_HOST:TARGET_PORT,
unchanged: a client's Host header names the relay's port, not the server's. Once listening it writes
{"port": ..., "pid": ...} to STATE_FILE (renamed into place, so a reader never sees half of it). It stops on SIGTERM
or SIGINT, or by itself after LIFETIME seconds (default 600), so a test that dies midway leaves no process behind.
"""
import json
import os
import signal
import socket
import sys
import threading


def pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for sock, how in ((sink, socket.SHUT_WR), (source, socket.SHUT_RD)):
            try:
                sock.shutdown(how)
            except OSError:
                pass


def serve(client, target):
    try:
        upstream = socket.create_connection(target, timeout=10)
    except OSError:
        client.close()
        return
    upstream.settimeout(None)
    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    pump(client, upstream)
    back.join()
    client.close()
    upstream.close()


def main():
    target = (sys.argv[1], int(sys.argv[2]))
    state_file = sys.argv[3]
    lifetime = float(sys.argv[4]) if len(sys.argv) > 4 else 600.0

    def stop(signum, frame):
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, lifetime)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(state_file + ".tmp", "w") as handle:
        json.dump(dict(port=listener.getsockname()[1], pid=os.getpid()), handle)
    os.rename(state_file + ".tmp", state_file)
    try:
        while True:
            client, dummy = listener.accept()
            threading.Thread(target=serve, args=(client, target), daemon=True).start()
    finally:
        listener.close()
        try:
            os.unlink(state_file)
        except OSError:
            pass


if __name__ == "__main__":
    main()
