"""Counts database round trips: a TCP proxy in front of PostgreSQL.

A round trip is a burst of bytes from the client after the server last spoke: the client
sends (one statement, or a pipeline of several) and then waits for an answer. Counting
on the wire sees everything — the pool's pre-ping, BEGIN/COMMIT, LISTEN — whatever the
app's code believes it sends. The proxy refuses TLS (answers 'N' to SSLRequest and
GSSENCRequest) so it can stay in the middle; it is for benchmarks on 127.0.0.1 only.
"""

import socket
import struct
import threading

NEGOTIATIONS = {80877103, 80877104}  # SSLRequest, GSSENCRequest: answered 'N' here


class RoundTripProxy:
    def __init__(self, upstream_port: int = 5432, host: str = "127.0.0.1") -> None:
        self.upstream = (host, upstream_port)
        self.listener = socket.create_server((host, 0))
        self.port: int = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.round_trips = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def take(self) -> int:
        """Round trips counted since the last take."""
        with self.lock:
            counted, self.round_trips = self.round_trips, 0
            return counted

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        startup = _negotiated_startup(client)
        if startup is None:
            client.close()
            return
        server = socket.create_connection(self.upstream)
        server.sendall(startup)
        answered = threading.Event()  # the server spoke since the client last sent
        threading.Thread(target=self._pipe_answers, args=(server, client, answered),
                         daemon=True).start()
        while data := _received(client):
            if answered.is_set():
                answered.clear()
                with self.lock:
                    self.round_trips += 1
            server.sendall(data)
        server.close()

    @staticmethod
    def _pipe_answers(server: socket.socket, client: socket.socket,
                      answered: threading.Event) -> None:
        while data := _received(server):
            answered.set()
            try:
                client.sendall(data)
            except OSError:
                break
        client.close()


def _negotiated_startup(client: socket.socket) -> bytes | None:
    """Declines TLS until the client sends its plain startup message, and returns it."""
    while True:
        header = _exactly(client, 8)
        if header is None:
            return None
        length, code = struct.unpack("!ii", header)
        if code not in NEGOTIATIONS:
            rest = _exactly(client, length - 8)
            return None if rest is None else header + rest
        client.sendall(b"N")


def _exactly(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = _received(sock, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _received(sock: socket.socket, size: int = 65536) -> bytes:
    try:
        return sock.recv(size)
    except OSError:
        return b""
