"""A silent listener: the lab's tarpit and its "port that opens late".

Run as a script inside a scenario's namespace (ip netns exec NS python3
listener.py ...). After --delay seconds it listens on each --host at
--port and on --unix, accepts every connection, holds it open and never
sends a byte. Stdlib only; ends on SIGTERM.
"""

import argparse
import os
import selectors
import signal
import socket
import sys
import time


def open_listeners(args):
    socks = []
    for host in args.host:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((host, args.port))
        socks.append(sock)
    if args.unix:
        if os.path.lexists(args.unix):
            os.unlink(args.unix)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(args.unix)
        os.chmod(args.unix, 0o777)
        socks.append(sock)
    for sock in socks:
        sock.listen(128)
        sock.setblocking(False)
    return socks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", action="append", default=[])
    parser.add_argument("--unix")
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.delay > 0:
        time.sleep(args.delay)  # the point of this helper: open late
    sel = selectors.DefaultSelector()
    for sock in open_listeners(args):
        sel.register(sock, selectors.EVENT_READ, "listen")
    held = []
    try:
        while True:
            for key, _ in sel.select():
                if key.data == "listen":
                    try:
                        conn, _addr = key.fileobj.accept()
                    except BlockingIOError:
                        continue
                    held.append(conn)
                    sel.register(conn, selectors.EVENT_READ, "conn")
                else:
                    # read and drop what the client sends; close when it does
                    try:
                        data = key.fileobj.recv(4096)
                    except OSError:
                        data = b""
                    if not data:
                        sel.unregister(key.fileobj)
                        key.fileobj.close()
    finally:
        if args.unix and os.path.lexists(args.unix):
            os.unlink(args.unix)


if __name__ == "__main__":
    main()
