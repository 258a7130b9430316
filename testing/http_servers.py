"""Real HTTP servers on 127.0.0.1 for tests and benchmarks, well-behaved and hostile.

    from testing.http_servers import Response, serve, gzip_bomb, trickle

    with serve({"/feed.xml": FEED_BYTES, "/bomb": gzip_bomb()}) as server:
        fetch_url(server.url("/feed.xml"), allow_hosts=["127.0.0.1"])
        assert server.hits("/feed.xml") == 1

A route value is one of:
  * bytes                       -> 200 with that body
  * Response(...)               -> sent as described
  * RawResponse(...)            -> bytes written straight to the socket (broken HTTP)
  * a callable(Request) -> any of the above, for behaviour that depends on the request

Routes match the path exactly (the query string is ignored for matching and given to
handlers as `request.query`); unknown paths get 404. `server.routes` can be changed
while the server runs. Every request is recorded in `server.requests`, and the bytes
written for each path in `server.bytes_sent(path)`.
`serve(routes, tls=self_signed_cert(tmp_path))` serves HTTPS instead.

Ready-made routes: conditional (ETag/Last-Modified, 304), gzipped, gzip_bomb,
huge_body, trickle, trickle_headers, redirect, endless_redirects, status (4xx/5xx,
Retry-After), with_content_type, invalid_utf8, echo_headers.

Nothing here touches the internet: servers bind 127.0.0.1 on a free port, and
redirect factories only *name* other addresses (169.254.169.254, ...) in a Location.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

MiB = 1024 * 1024

SAMPLE_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Local test feed</title><link>http://127.0.0.1/</link><description>t</description>
<item><title>Episode 1</title><guid>ep-1</guid><link>http://127.0.0.1/ep-1</link></item>
</channel></rss>
"""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    base_url: str

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


@dataclass
class Response:
    """An HTTP response. `body` may be an iterable of chunks, which is streamed.

    `interval` sleeps between chunks (slow servers). A streamed body gets a
    Content-Length only when `length` is given; otherwise it ends when the connection
    closes (or uses chunked encoding when `chunked`).
    """

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    content_type: str = "application/octet-stream"
    headers: Mapping[str, str] = field(default_factory=dict)
    length: int | None = None
    chunked: bool = False
    interval: float = 0.0


@dataclass
class RawResponse:
    """Bytes written as-is (status line and headers included), `interval` apart."""

    chunks: Iterable[bytes]
    interval: float = 0.0


Reply = bytes | Response | RawResponse
Handler = Callable[[Request], Reply]
Route = Reply | Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 30  # a stuck client must not keep a handler thread forever

    def setup(self) -> None:
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()

    def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
        self._serve()

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep test output clean

    def _serve(self) -> None:
        self.close_connection = True
        split = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query),
            headers={k.lower(): v for k, v in self.headers.items()},
            base_url=self.server.base_url,
        )
        self.server.owner.record(request)
        route = self.server.owner.routes.get(split.path)
        reply = _resolve_route(route, request)
        with contextlib.suppress(ConnectionError, TimeoutError):
            if isinstance(reply, RawResponse):
                self._write_raw(reply)
            else:
                self._write(reply if isinstance(reply, Response) else Response(body=reply))

    def _send(self, chunk: bytes) -> None:
        self.wfile.write(chunk)
        self.wfile.flush()
        self.server.owner.count_sent(urlsplit(self.path).path, len(chunk))

    def _write_raw(self, reply: RawResponse) -> None:
        for chunk in reply.chunks:
            self._send(chunk)
            if reply.interval:
                time.sleep(reply.interval)

    def _write(self, reply: Response) -> None:
        body = reply.body
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if isinstance(body, bytes):
            self.send_header("Content-Length", str(len(body)))
        elif reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.length is not None:
            self.send_header("Content-Length", str(reply.length))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        chunks = [body] if isinstance(body, bytes) else body
        for chunk in chunks:
            if reply.chunked:
                chunk = b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunk else b""
            self._send(chunk)
            if reply.interval:
                time.sleep(reply.interval)
        if reply.chunked:
            self.wfile.write(b"0\r\n\r\n")


def _resolve_route(route: Route | None, request: Request) -> Reply:
    if route is None:
        return Response(status=404, body=b"not found", content_type="text/plain")
    if isinstance(route, bytes | Response | RawResponse):
        return route
    return route(request)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Hostile handlers (trickle, endless bodies) may still be running when a test
    # ends; do not wait for them, they stop at their next write to a closed socket.
    block_on_close = False

    owner: LocalServer
    base_url: str
    tls: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        if self.tls is not None:
            # The handshake happens in the handler's thread (see _Handler.setup), so a
            # client that never completes one cannot stall the accept loop.
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on hostile routes is the point of these tests


class LocalServer:
    """A running server; `str(server)` is its base URL, e.g. http://127.0.0.1:54321.

    With `tls=(certfile, keyfile)` it speaks HTTPS (see self_signed_cert()).
    """

    def __init__(
        self, routes: Mapping[str, Route] | None = None, *, tls: tuple[Path, Path] | None = None
    ) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Request] = []
        self._sent: dict[str, int] = {}
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self._httpd.tls = context
        host, port = self._httpd.server_address[:2]
        self.host = str(host)
        self.port = int(port)
        self.scheme = "https" if tls is not None else "http"
        self.base_url = f"{self.scheme}://{self.host}:{self.port}"
        self._httpd.base_url = self.base_url
        # A short poll interval makes stop() (and so every test using serve()) fast.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __str__(self) -> str:
        return self.base_url

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def hits(self, path: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if path is None or r.path == path)

    def count_sent(self, path: str, size: int) -> None:
        with self._lock:
            self._sent[path] = self._sent.get(path, 0) + size

    def bytes_sent(self, path: str) -> int:
        """Bytes of `path`'s answers written to clients so far (status line and headers
        included for a RawResponse, the body only otherwise): what a client that hung up
        early never asked for is missing here."""
        with self._lock:
            return self._sent.get(path, 0)

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextlib.contextmanager
def serve(
    routes: Mapping[str, Route] | None = None, *, tls: tuple[Path, Path] | None = None
) -> Iterator[LocalServer]:
    server = LocalServer(routes, tls=tls).start()
    try:
        yield server
    finally:
        server.stop()


def self_signed_cert(directory: Path) -> tuple[Path, Path] | None:
    """A certificate for 127.0.0.1 and localhost, made with the openssl command.

    Returns (certfile, keyfile), or None where openssl is not installed (skip then).
    The certificate is its own CA: trust it by passing certfile as the CA bundle.
    """
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    command = [
        openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, timeout=30, check=False)
    return (cert, key) if done.returncode == 0 else None


# --------------------------------------------------------------------- route factories


def conditional(
    body: bytes = SAMPLE_RSS,
    *,
    etag: str = '"v1"',
    last_modified: str = "Mon, 01 Jan 2024 00:00:00 GMT",
    content_type: str = "application/rss+xml; charset=utf-8",
) -> Handler:
    """A feed that answers 304 when the client's If-None-Match/If-Modified-Since match."""

    def handler(request: Request) -> Response:
        validators = {"ETag": etag, "Last-Modified": last_modified}
        inm = request.header("if-none-match")
        ims = request.header("if-modified-since")
        if (inm and inm == etag) or (not inm and ims and ims == last_modified):
            return Response(status=304, headers=validators, content_type=content_type)
        return Response(body=body, headers=validators, content_type=content_type)

    return handler


def gzipped(
    body: bytes = SAMPLE_RSS, *, content_type: str = "application/rss+xml", encoding: str = "gzip"
) -> Response:
    """`body` compressed with Content-Encoding gzip (or "deflate")."""
    data = gzip.compress(body) if encoding == "gzip" else zlib.compress(body)
    return Response(body=data, content_type=content_type, headers={"Content-Encoding": encoding})


@lru_cache(maxsize=4)
def _gzip_of_zeros(size: int) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MiB)
    parts = [packer.compress(block) for _ in range(size // MiB)]
    parts.append(packer.compress(bytes(size % MiB)))
    parts.append(packer.flush())
    return b"".join(parts)


def gzip_bomb(decoded_size: int = 100 * MiB) -> Response:
    """A small gzip body (about 0.1% of `decoded_size`) that expands to zeros."""
    return Response(
        body=_gzip_of_zeros(decoded_size),
        content_type="application/rss+xml",
        headers={"Content-Encoding": "gzip"},
    )


def huge_body(size: int = 100 * MiB, *, declare_length: bool = True) -> Handler:
    """`size` bytes generated while sending, never held in memory.

    With declare_length=False there is no Content-Length, so only a limit enforced
    while streaming can stop it.
    """

    def chunks() -> Iterator[bytes]:
        block = b"x" * (64 * 1024)
        left = size
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)

    def handler(_request: Request) -> Response:
        return Response(
            body=chunks(), length=size if declare_length else None, content_type="text/plain"
        )

    return handler


def trickle(body: bytes = SAMPLE_RSS, *, interval: float = 1.0) -> Handler:
    """Sends the (correctly declared) body one byte per `interval` seconds."""

    def handler(_request: Request) -> Response:
        one_by_one = (body[i : i + 1] for i in range(len(body)))
        return Response(
            body=one_by_one, length=len(body), interval=interval, content_type="application/xml"
        )

    return handler


def trickle_headers(*, interval: float = 1.0) -> RawResponse:
    """Even the status line and headers come one byte per `interval` seconds."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + b"X-Pad: x\r\n" * 200 + b"\r\n"
    return RawResponse(chunks=(head[i : i + 1] for i in range(len(head))), interval=interval)


def redirect(location: str, *, status: int = 302) -> Response:
    """A redirect to `location` (absolute, or relative to the request)."""
    return Response(status=status, headers={"Location": location}, content_type="text/plain")


def endless_redirects(*, status: int = 302) -> Handler:
    """Each answer redirects to the same path with ?n incremented, forever."""

    def handler(request: Request) -> Response:
        n = int(request.query.get("n", ["0"])[0])
        return redirect(f"{request.path}?n={n + 1}", status=status)

    return handler


def status(
    code: int,
    *,
    retry_after: str | None = None,
    body: bytes = b"",
    content_type: str = "text/plain",
) -> Response:
    """An error page, e.g. status(429, retry_after="120") or status(404)."""
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Response(status=code, body=body, headers=headers, content_type=content_type)


def with_content_type(body: bytes, content_type: str) -> Response:
    """A 200 whose Content-Type is whatever you say (wrong types for parsers)."""
    return Response(body=body, content_type=content_type)


def invalid_utf8(*, content_type: str = "application/rss+xml; charset=utf-8") -> Response:
    """A feed that claims UTF-8 but contains bytes that are not."""
    body = SAMPLE_RSS.replace(b"Episode 1", b"Episode \xff\xfe\xc3(")
    return Response(body=body, content_type=content_type)


def echo_headers() -> Handler:
    """Answers with the request's headers as JSON (to check what a client sends)."""

    def handler(request: Request) -> Response:
        return Response(body=json.dumps(request.headers).encode(), content_type="application/json")

    return handler
