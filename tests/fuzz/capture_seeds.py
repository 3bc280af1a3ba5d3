"""Captures the wire seeds of tests/fuzz/corpus/{mysql_wire,pg_wire} from
real servers of the lab (tests/lab): PostgreSQL 15 and MariaDB 10.11 brought
up into the scenarios of shared/spec/scenarios.md, each answer saved as the
raw bytes the server sent. Run as root from tests/:

    cd tests && /usr/bin/python3 -m fuzz.capture_seeds

Each file is named <scenario>-<transport>-<what>.bin; the README lists them.
"""

import hashlib
import os
import socket
import struct
import sys

from lab import scenarios

HERE = os.path.dirname(os.path.abspath(__file__))
SSL_REQUEST = struct.pack("!II", 8, 80877103)


def _recv_some(sock, want_min=1, cap=65536):
    data = b""
    while len(data) < want_min:
        chunk = sock.recv(cap)
        if not chunk:
            break
        data += chunk
    return data


def _connect(address, timeout=2.0):
    family = socket.AF_UNIX if isinstance(address, str) else (
        socket.AF_INET6 if ":" in address[0] else socket.AF_INET)
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(address)
    return s


def _pg_message(sock):
    head = _recv_some(sock, 5)
    if len(head) < 5:
        return head
    length = struct.unpack("!I", head[1:5])[0]
    data = head
    while len(data) < 1 + length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def pg_capture(address, user, database, ssl):
    """(ssl answer byte or None, first message after the StartupMessage)."""
    answer = None
    with _connect(address) as s:
        if ssl:
            s.sendall(SSL_REQUEST)
            answer = s.recv(1)
            if answer == b"S":
                return answer, None  # the rest is TLS
        params = f"user\0{user}\0database\0{database}\0application_name\0dbloop\0\0".encode()
        s.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
        return answer, _pg_message(s)


def my_packet(sock):
    head = _recv_some(sock, 4)
    if len(head) < 4:
        return head
    length = head[0] | head[1] << 8 | head[2] << 16
    data = head
    while len(data) < 4 + length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _scramble(password, salt):
    if not password:
        return b""
    h1 = hashlib.sha1(password.encode()).digest()
    h2 = hashlib.sha1(h1).digest()
    h3 = hashlib.sha1(salt + h2).digest()
    return bytes(a ^ b for a, b in zip(h1, h3))


def my_capture(address, user, password, database):
    """(greeting packet, answer to a mysql_native_password login)."""
    with _connect(address) as s:
        greeting = my_packet(s)
        payload = greeting[4:]
        if payload[:1] != b"\x0a":
            return greeting, None
        ver_end = payload.index(b"\0", 1)
        p = ver_end + 1 + 4
        salt = payload[p:p + 8]
        p += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10
        salt += payload[p:p + 12]
        caps = 0x000FA685 | (0x8 if database else 0)  # PROTOCOL_41, SECURE_CONN, PLUGIN_AUTH...
        auth = _scramble(password, salt)
        body = (struct.pack("<IIB", caps, 1 << 24, 45) + b"\0" * 23 + user.encode() + b"\0"
                + bytes([len(auth)]) + auth
                + ((database.encode() + b"\0") if database else b"")
                + b"mysql_native_password\0")
        s.sendall(struct.pack("<I", len(body))[:3] + b"\x01" + body)
        return greeting, my_packet(s)


def save(target, name, data):
    if not data:
        return
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".bin"), "wb") as fh:
        fh.write(data)
    print(f"{target}/{name}.bin {len(data)} bytes", file=sys.stderr)


def capture_pg(name, tcp_hosts=("127.0.0.1", "::1"), database="appdb", user="app"):
    with scenarios.running(name) as run:
        c = run.client
        sock = os.path.join(c.socket, f".s.PGSQL.{c.port}")

        def body():
            out = {"unix": pg_capture(sock, user, database, ssl=False)}
            for h in tcp_hosts:
                out["tcp6" if ":" in h else "tcp4"] = pg_capture((h, c.port), user, database, True)
            return out

        for transport, (answer, msg) in run.ns.run(body).items():
            save("pg_wire", f"{name}-{transport}-sslanswer", answer)
            save("pg_wire", f"{name}-{transport}-startup", msg)


def capture_my(name, tcp_hosts=("127.0.0.1", "::1"), database="appdb", user="app",
               password=None, tag=None):
    with scenarios.running(name) as run:
        c = run.client
        pw = c.password if password is None else password

        def body():
            out = {"unix": my_capture(c.socket, user, pw, database)}
            for h in tcp_hosts:
                out["tcp6" if ":" in h else "tcp4"] = my_capture((h, c.port), user, pw, database)
            return out

        for transport, (greeting, answer) in run.ns.run(body).items():
            save("mysql_wire", f"{tag or name}-{transport}-greeting", greeting)
            save("mysql_wire", f"{tag or name}-{transport}-login", answer)


def main():
    capture_pg("pg_ok")
    capture_pg("pg_hba_no_ipv6_entry")
    capture_pg("pg_peer_only_socket", tcp_hosts=())
    capture_pg("pg_server_starting")
    capture_pg("pg_ssl_required")
    capture_my("my_ok")
    capture_my("my_ok", password="wrong-password", tag="my_wrong_password")
    capture_my("my_database_missing", database="nosuchdb")
    capture_my("my_user_localhost_only")
    capture_my("my_too_many_connections", tcp_hosts=("127.0.0.1",))
    capture_my("my_ssl_required", tcp_hosts=("127.0.0.1",))


if __name__ == "__main__":
    main()
