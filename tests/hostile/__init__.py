"""Hostile listeners: sockets that misbehave the way real broken endpoints do.

Each listener binds a random port on 127.0.0.1 (or ::1), or a Unix socket
in a directory the caller gives, accepts every connection and runs one
behaviour on it in its own thread.  Used by tests/integration/test_hostile.py
and the other hardening tests; nothing here sleeps to synchronise: handlers
wait on their socket with deadlines and a stop event.

    with HostileServer("silent", family="tcp4") as srv:
        run(["dbloop", "diagnose", "-H", "127.0.0.1", "-P", str(srv.port)])
"""

import os
import selectors
import socket
import struct
import threading

# A real MariaDB 10.11 greeting (protocol 10), as mariadbd sends it; the
# version string and the salt are the only things that vary between runs.
_MARIADB_VERSION = b"5.5.5-10.11.19-MariaDB-0+deb12u1"


def mariadb_greeting(conn_id=7):
    """The bytes of a MariaDB handshake v10 packet (header included)."""
    salt1 = b"abcdefgh"
    salt2 = b"ijklmnopqrst"
    caps_low = 0xF7FE  # CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | ...
    caps_high = 0x81FF  # CLIENT_PLUGIN_AUTH among them
    body = (
        b"\x0a"
        + _MARIADB_VERSION
        + b"\x00"
        + struct.pack("<I", conn_id)
        + salt1
        + b"\x00"
        + struct.pack("<H", caps_low)
        + b"\x2d"  # utf8mb4_general_ci
        + struct.pack("<H", 0x0002)  # SERVER_STATUS_AUTOCOMMIT
        + struct.pack("<H", caps_high)
        + bytes([21])  # auth plugin data length
        + b"\x00" * 6
        + struct.pack("<I", 0x1D)  # MariaDB extended capabilities
        + salt2
        + b"\x00"
        + b"mysql_native_password\x00"
    )
    return struct.pack("<I", len(body))[:3] + b"\x00" + body


# A TLS 1.2 record header for a ServerHello handshake message, then the
# start of the message: what a TLS server sends after a ClientHello.
TLS_SERVER_HELLO = (
    b"\x16\x03\x03\x00\x5a"  # handshake record, TLS 1.2, length 90
    b"\x02\x00\x00\x56\x03\x03"  # ServerHello, length 86, version 1.2
    + bytes(range(32))  # server random
    + b"\x20"
    + bytes(range(32, 64))  # session id
    + b"\x13\x01\x00"  # cipher suite, compression
)

HTTP_RESPONSE = (
    b"HTTP/1.1 400 Bad Request\r\n"
    b"Server: nginx/1.22.1\r\n"
    b"Content-Type: text/html\r\n"
    b"Content-Length: 0\r\n"
    b"Connection: close\r\n\r\n"
)

PG_SSL_REQUEST = struct.pack("!II", 8, 80877103)


class _Conn:
    """One accepted connection, as a handler sees it."""

    def __init__(self, sock, stop):
        self.sock = sock
        self.stop = stop

    def wait_readable(self, timeout):
        """True when bytes (or EOF) can be read within timeout seconds,
        False on timeout or when the server is stopping."""
        sel = selectors.DefaultSelector()
        try:
            sel.register(self.sock, selectors.EVENT_READ)
            step = 0.05
            left = timeout
            while left > 0 and not self.stop.is_set():
                if sel.select(min(step, left)):
                    return True
                left -= step
            return False
        finally:
            sel.close()

    def recv_some(self, timeout=30.0):
        """Bytes the client sent next; b'' on EOF, None on timeout/stop."""
        if not self.wait_readable(timeout):
            return None
        try:
            return self.sock.recv(65536)
        except OSError:
            return b""

    def send(self, data):
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def peer_closed(self):
        """True when the client has closed its side (without waiting)."""
        try:
            return self.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def hold(self):
        """Keeps the connection open, reading and dropping whatever the
        client sends, until the client closes or the server stops."""
        while not self.stop.is_set():
            data = self.recv_some(0.2)
            if data == b"":
                return


def _silent(c):
    c.hold()


def _drip(c):
    # a valid greeting, one byte per second: never complete in time
    for b in mariadb_greeting():
        if not c.send(bytes([b])):
            return
        if c.stop.wait(1.0):
            return
        if c.peer_closed():
            return


def _mysql_huge(c):
    # a MySQL packet claiming 16 MB - 1 (the 3-byte maximum), a few bytes
    # of it, then silence
    c.send(b"\xff\xff\xff\x00\x0a" + b"A" * 64)
    c.hold()


def _pg_huge(length):
    def handler(c):
        # answer SSLRequest with 'N' as a server without TLS would, then
        # claim a message of the given length after the StartupMessage
        data = c.recv_some()
        if not data:
            return
        if data[:8] == PG_SSL_REQUEST:
            c.send(b"N")
            data = c.recv_some()
            if not data:
                return
        c.send(b"R" + struct.pack("!I", length) + b"\x00" * 16)
        c.hold()

    return handler


def random_garbage(n=4096):
    """Random bytes that cannot pass for any protocol's first bytes: byte 0
    is not a PostgreSQL answer ('S', 'N', 'E', 'R') and byte 4 is neither
    a MySQL protocol version (10) nor an error packet (0xff), so a probe's
    verdict does not depend on luck."""
    data = bytearray(os.urandom(n))
    while data[0] in b"SNER":
        data[0] = os.urandom(1)[0]
    while data[4] in (0x0A, 0xFF):
        data[4] = os.urandom(1)[0]
    return bytes(data)


def _random(c):
    c.send(random_garbage())
    c.hold()


def _greet_close(c):
    c.send(mariadb_greeting())
    c.recv_some(0.2)


def _close_first(c):
    pass


def _ssl_stall(c):
    # a PostgreSQL server that agrees to TLS and then never handshakes
    data = c.recv_some()
    if data and data[:8] == PG_SSL_REQUEST:
        c.send(b"S")
    c.hold()


def _http(c):
    # an HTTP server answers whatever arrives, then closes
    data = c.recv_some()
    if data:
        c.send(HTTP_RESPONSE)


def _tls(c):
    # a TLS server answers the first bytes with a ServerHello and stalls
    data = c.recv_some()
    if data:
        c.send(TLS_SERVER_HELLO)
    c.hold()


BEHAVIOURS = {
    "silent": _silent,  # accept and never speak
    "drip": _drip,  # one byte a second
    "mysql_huge": _mysql_huge,  # 3-byte length 0xffffff
    "pg_huge": _pg_huge(0x7FFFFFFF),  # message length 2 GB
    "pg_huge_4g": _pg_huge(0xFFFFFFFF),  # message length 4 GB (negative)
    "random": _random,  # random bytes
    "greet_close": _greet_close,  # valid MariaDB greeting, then close
    "close_first": _close_first,  # close before any greeting
    "ssl_stall": _ssl_stall,  # 'S' to SSLRequest, then stall
    "http": _http,  # answer as HTTP
    "tls": _tls,  # ServerHello-ish bytes
}


class HostileServer:
    """A listener running one behaviour on every connection.

    family: "tcp4" (127.0.0.1), "tcp6" (::1) or "unix" (path required).
    Attributes once started: port (TCP), path (unix), address (text),
    accepted (count), first_accept (threading.Event)."""

    def __init__(self, behaviour, family="tcp4", path=None):
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour '{behaviour}'")
        self.behaviour = behaviour
        self.family = family
        self.path = path
        self.port = None
        self.accepted = 0
        self.first_accept = threading.Event()
        self._stop = threading.Event()
        self._lsock = None
        self._threads = []
        self._conns = []
        self._lock = threading.Lock()

    def start(self):
        if self.family == "unix":
            if not self.path:
                raise ValueError("a unix listener needs a path")
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(self.path)
            os.chmod(self.path, 0o777)
        elif self.family == "tcp6":
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.bind(("::1", 0))
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
        s.listen(128)
        if self.family != "unix":
            self.port = s.getsockname()[1]
        self._lsock = s
        t = threading.Thread(target=self._accept_loop, daemon=True)
        t.start()
        self._threads.append(t)
        return self

    @property
    def address(self):
        if self.family == "unix":
            return self.path
        if self.family == "tcp6":
            return f"[::1]:{self.port}"
        return f"127.0.0.1:{self.port}"

    def _accept_loop(self):
        sel = selectors.DefaultSelector()
        sel.register(self._lsock, selectors.EVENT_READ)
        try:
            while not self._stop.is_set():
                if not sel.select(0.05):
                    continue
                try:
                    conn, _ = self._lsock.accept()
                except OSError:
                    continue
                with self._lock:
                    self.accepted += 1
                    self._conns.append(conn)
                self.first_accept.set()
                t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
                t.start()
                self._threads.append(t)
        finally:
            sel.close()

    def _serve(self, conn):
        try:
            BEHAVIOURS[self.behaviour](_Conn(conn, self._stop))
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def stop(self):
        self._stop.set()
        for t in list(self._threads):
            t.join(timeout=5)
        with self._lock:
            for c in self._conns:
                try:
                    c.close()
                except OSError:
                    pass
            self._conns.clear()
        if self._lsock:
            self._lsock.close()
            self._lsock = None
        if self.family == "unix" and self.path and os.path.exists(self.path):
            os.unlink(self.path)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
