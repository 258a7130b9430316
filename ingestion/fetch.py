"""The one way newsroom talks to the outside world over HTTP.

Feeds, transcripts, chapters, captions and audio all come from URLs that editors
(or feeds themselves) supply, so every request goes through `fetch_url` or
`fetch_to_file`, which refuse to reach the operator's own network (SSRF), bound
how long and how much a server can make us wait for and store, and remember when
a host has asked us to back off. A library that insists on a requests Session
(captions) gets `GuardedSession`, whose connections are opened and checked the same way.

No database access here: settings are read lazily with defaults, and every
setting can be overridden by an argument, so this module also works without Django.
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import http.client
import ipaddress
import logging
import math
import os
import re
import socket
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict, Unpack
from urllib.parse import unquote, urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, PoolManager, Timeout
from urllib3 import exceptions as u3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.response import BaseHTTPResponse
from urllib3.util import connection as u3_connection
from urllib3.util import parse_url

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 15 * 1024 * 1024
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 15.0
DEFAULT_TOTAL_TIMEOUT = 60.0
DEFAULT_USER_AGENT = "newsroom/0.1 (feed reader)"

_ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_BACKOFF_STATUSES = frozenset({429, 503})
_CHUNK_SIZE = 64 * 1024
_DOWNLOAD_FLOOR_BYTES_PER_S = 1024 * 1024
_UNSENDABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# A hostile or confused server must not be able to silence a host for weeks.
_MAX_RETRY_AFTER = 24 * 3600.0
_CACHE_KEY_PREFIX = "newsroom:fetch:retry-after:"

# 100.64.0.0/10 (carrier-grade NAT) is not "private" to Python but is inside
# many cloud networks; NAT64 embeds an IPv4 address that the gateway will reach.
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
_NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")


# --------------------------------------------------------------------------- errors


class FetchError(Exception):
    """A fetch that did not produce a body; the message is one readable line.

    `transient` tells a worker whether retrying later may help.
    """

    transient_default = False

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        transient: bool | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(" ".join(message.split()))
        self.url = url
        self.transient = self.transient_default if transient is None else transient
        self.retry_after = retry_after


class FetchRefused(FetchError):
    """A policy refusal: scheme, address, https downgrade, too many redirects."""


class FetchTooLarge(FetchError):
    """The body (after decompression) is bigger than allowed."""


class FetchTimeout(FetchError):
    transient_default = True


class FetchHTTPError(FetchError):
    """The server answered with a status that carries no usable body."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        url: str = "",
        retry_after: float | None = None,
        transient: bool | None = None,
    ) -> None:
        if transient is None:
            transient = _status_is_transient(status)
        super().__init__(message, url=url, transient=transient, retry_after=retry_after)
        self.status = status


def _status_is_transient(status: int) -> bool:
    # 408 is the server's own timeout; like 429 and 5xx it may pass. Other 4xx won't.
    return status >= 500 or status in (408, 429)


# --------------------------------------------------------------------------- result


@dataclass
class FetchResult:
    url: str
    status: int
    content: bytes
    headers: dict[str, str]
    etag: str
    last_modified: str
    # Bare media type, lower-cased ("application/rss+xml"); the charset and other
    # parameters stay in headers["content-type"].
    content_type: str
    not_modified: bool


# --------------------------------------------------------------------------- settings


def _setting(name: str, default: Any) -> Any:
    """A Django setting, or the default when Django is absent or not configured."""
    try:
        from django.conf import settings

        return getattr(settings, name, default)
    except Exception:  # ImportError, ImproperlyConfigured: run as a plain library
        return default


@dataclass(frozen=True)
class _Options:
    max_bytes: int
    allow: _AllowList
    accept: str
    etag: str
    last_modified: str
    total_timeout: float
    connect_timeout: float
    read_timeout: float
    user_agent: str


class FetchOptions(TypedDict, total=False):
    """The options fetch_url and fetch_to_file share; each has a default (see _options)."""

    etag: str  # sent as If-None-Match (default: none)
    last_modified: str  # sent as If-Modified-Since (default: none)
    allow_hosts: Iterable[str] | None  # replaces FETCH_ALLOW_HOSTS: [] allows nothing internal
    accept: str  # the Accept header (default "*/*")
    timeout_total: float | None  # the deadline for the whole fetch (default FETCH_TOTAL_TIMEOUT)


def _options(
    *,
    max_bytes: int | None,
    allow_hosts: Iterable[str] | None = None,
    accept: str = "*/*",
    etag: str = "",
    last_modified: str = "",
    timeout_total: float | None = None,
) -> _Options:
    """Everything a fetch needs, from its arguments, else from settings, else defaults."""
    if max_bytes is None:
        max_bytes = int(_setting("FETCH_MAX_FEED_BYTES", DEFAULT_MAX_BYTES))
    if allow_hosts is None:
        allow_hosts = _setting("FETCH_ALLOW_HOSTS", ()) or ()
    if timeout_total is None:
        timeout_total = float(_setting("FETCH_TOTAL_TIMEOUT", DEFAULT_TOTAL_TIMEOUT))
    return _Options(
        max_bytes=max_bytes,
        allow=_AllowList.from_entries(allow_hosts),
        accept=accept,
        etag=etag,
        last_modified=last_modified,
        total_timeout=timeout_total,
        connect_timeout=float(_setting("FETCH_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT)),
        read_timeout=float(_setting("FETCH_READ_TIMEOUT", DEFAULT_READ_TIMEOUT)),
        user_agent=str(_setting("FETCH_USER_AGENT", DEFAULT_USER_AGENT)),
    )


# --------------------------------------------------------------------------- addresses


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address really leads to, if it wraps one."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64_PREFIX:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _address_kind(ip: IPAddress) -> str | None:
    """Why an address is not on the public internet, or None if it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            kind = _address_kind(inner)
            return f"{kind} wrapped in IPv6" if kind else None
        if ip.is_site_local:
            return "a site-local address"
    # Order matters: 127.0.0.1 is also "private", 169.254/16 too; say the precise thing.
    checks: tuple[tuple[bool, str], ...] = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip in _SHARED_ADDRESS_SPACE, "a shared (carrier-grade NAT) address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    )
    for matches, kind in checks:
        if matches:
            return kind
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True when `ip` is an ordinary internet address, safe to fetch from."""
    return _address_kind(ip) is None


def _parse_ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def _normalize_host(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


@dataclass(frozen=True)
class _AllowList:
    """Hosts the operator lets us reach even though they are not public."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> _AllowList:
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = _normalize_host(str(raw).strip())
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                names.add(entry)
        return cls(frozenset(names), tuple(networks))

    def allows_name(self, host: str) -> bool:
        return _normalize_host(host) in self.names

    def allows_address(self, ip: IPAddress) -> bool:
        # A dual-stack socket reports ::ffff:127.0.0.1 for an IPv4 peer.
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip.version == net.version and ip in net for net in self.networks)

    def refusal(self, ip: IPAddress) -> str | None:
        """Why connecting to `ip` is refused, or None if it is allowed."""
        if self.allows_address(ip):
            return None
        return _address_kind(ip)


def _refuse_address(host: str, ip: IPAddress, kind: str, *, url: str) -> FetchRefused:
    if _parse_ip(host) == ip:
        return FetchRefused(f"refused: {ip} is {kind}", url=url)
    return FetchRefused(f"refused: {host} resolves to {ip}, {kind}", url=url)


def _resolve(host: str, port: int, *, url: str) -> list[IPAddress]:
    literal = _parse_ip(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        # A name that does not exist will not start existing on retry; a resolver
        # that timed out or failed (EAI_AGAIN, ...) may recover.
        missing = isinstance(exc, UnicodeError) or exc.errno == socket.EAI_NONAME
        raise FetchError(f"cannot resolve {host}: {exc}", url=url, transient=not missing)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]))
        if ip not in addresses:
            addresses.append(ip)
    return addresses


def _vetted_addresses(host: str, port: int, allow: _AllowList, *, url: str) -> list[IPAddress]:
    """All addresses of `host`, refusing the host if any of them is off limits.

    Refusing the whole name (rather than skipping the bad address) keeps a name that
    mixes public and internal records from reaching inside on some attempts.
    """
    addresses = _resolve(host, port, url=url)
    if allow.allows_name(host):
        return addresses
    for ip in addresses:
        kind = allow.refusal(ip)
        if kind is not None:
            raise _refuse_address(host, ip, kind, url=url)
    return addresses


def _check_peer(sock: socket.socket, host: str, allow: _AllowList, *, url: str = "") -> None:
    """Refuse a connected socket whose peer is off limits.

    This is checked on the address the kernel actually connected to, after the
    fact, so that nothing between resolution and connection (a second DNS answer,
    a resolver that lies) can slip an internal address past the checks above.
    """
    if allow.allows_name(host):
        return
    peer = ipaddress.ip_address(str(sock.getpeername()[0]))
    kind = allow.refusal(peer)
    if kind is not None:
        raise FetchRefused(f"refused: {host} connected to {peer}, {kind}", url=url)


def fetch_refusal(url: str, *, allow_hosts: Iterable[str] | None = None) -> str | None:
    """Why fetch_url would refuse `url` before sending anything, or None.

    The same checks as a fetch, in the same words: the scheme, a literal internal
    address, every address the host's name resolves to now, with FETCH_ALLOW_HOSTS
    (or `allow_hosts`) letting the operator's own hosts through. A name that does not
    resolve is not refused here: that may pass, and the poll will say so.
    """
    allow = _options(max_bytes=0, allow_hosts=allow_hosts).allow
    try:
        target = _parse_target(url)
        _precheck_literal(target, allow)
    except FetchError as error:  # refused or not a URL at all: it would never be fetched
        return str(error)
    try:
        _vetted_addresses(target.host, target.port, allow, url=target.url)
    except FetchRefused as error:
        return str(error)
    except FetchError:
        return None
    return None


# --------------------------------------------------------------------------- deadline


class _Deadline:
    """A limit on a whole fetch, redirects and slow servers included.

    Socket timeouts only bound each single read, so a server sending a byte a
    second would never trip them; at the deadline a timer shuts down the sockets of
    the fetch, which wakes any blocked read.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds
        self.expired = False
        self._done = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.expires_at - time.monotonic()

    def bound(self, seconds: float) -> float:
        return max(min(seconds, self.remaining()), 0.001)

    def passed(self) -> bool:
        return self.expired or self.remaining() <= 0

    def track(self, sock: socket.socket | None) -> None:
        # Sockets, not connections: http.client drops conn.sock as soon as a
        # response that ends with the connection takes the socket over.
        if sock is None:
            return
        with self._lock:
            if self.expired:
                _shutdown(sock)
            self._sockets.append(sock)

    def finish(self) -> None:
        with self._lock:
            self._done = True
            self._sockets.clear()
        self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket | None) -> None:
    if sock is None:
        return
    with contextlib.suppress(OSError):
        # The plain socket method, not SSLSocket.shutdown, which would tear down the
        # TLS state under the feet of the thread that is reading.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


# --------------------------------------------------------------------------- connections


class _NoDeadline:
    """A session's requests have no deadline of their own: their timeouts bound them."""

    seconds = 0.0

    def passed(self) -> bool:
        return False

    def bound(self, seconds: float) -> float:
        return seconds

    def track(self, sock: socket.socket | None) -> None:
        return None


@dataclass
class _Guard:
    """What every connection of one fetch must respect."""

    allow: _AllowList
    deadline: _Deadline | _NoDeadline
    url: str = ""


# Module-level so tests can stand in for the network and prove the peer check runs.
_open_tcp: Callable[..., socket.socket] = u3_connection.create_connection


def _guarded_socket(conn: HTTPConnection, guard: _Guard) -> socket.socket:
    """Connect to a vetted address of conn's host, then check whom we reached."""
    host, port = conn.host, int(conn.port or 0)
    addresses = _vetted_addresses(host, port, guard.allow, url=guard.url)
    last_error: OSError | None = None
    for ip in addresses:
        if guard.deadline.passed():
            raise FetchTimeout(
                f"timed out: gave up after {guard.deadline.seconds:g} s", url=guard.url
            )
        connect_timeout = conn.timeout if isinstance(conn.timeout, int | float) else 5.0
        try:
            sock = _open_tcp(
                (str(ip), port),
                guard.deadline.bound(float(connect_timeout)),
                source_address=conn.source_address,
                socket_options=conn.socket_options,
            )
        except TimeoutError as exc:
            raise u3.ConnectTimeoutError(conn, f"Connection to {host} timed out") from exc
        except OSError as exc:
            last_error = exc
            continue
        try:
            _check_peer(sock, host, guard.allow, url=guard.url)
        except FetchRefused:
            sock.close()
            raise
        sys.audit("http.client.connect", conn, host, port)
        return sock
    raise u3.NewConnectionError(conn, f"Failed to establish a new connection: {last_error}")


class _GuardedMixin:
    """Replaces urllib3's socket creation (the `_new_conn` hook that both plain and
    TLS connections call before anything is sent) with the guarded one."""

    _fetch_guard: _Guard

    def __init__(self, *args: Any, fetch_guard: _Guard | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Without a fetch's guard (a GuardedSession's connection), FETCH_ALLOW_HOSTS as
        # it is when the connection opens.
        self._fetch_guard = fetch_guard or _Guard(_options(max_bytes=0).allow, _NoDeadline())

    def _new_conn(self) -> socket.socket:
        sock = _guarded_socket(self, self._fetch_guard)  # type: ignore[arg-type]
        self._fetch_guard.deadline.track(sock)
        return sock

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        # For TLS this is the wrapped socket; the plain one was detached from its fd.
        self._fetch_guard.deadline.track(self.sock)  # type: ignore[attr-defined]


class _GuardedHTTPConnection(_GuardedMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedMixin, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


# --------------------------------------------------------------------------- sessions


class RequestRefused(requests.RequestException):
    """A GuardedSession refused a request: it would have reached an internal address."""


class _GuardedPoolManager(PoolManager):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **kw: Any):
        self.poolmanager = _GuardedPoolManager(
            num_pools=connections, maxsize=maxsize, block=block, **kw
        )

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any):
        # A proxy would make the connection for us, out of reach of the address check.
        raise RequestRefused(f"refused: requests through a proxy ({proxy}) are not guarded")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any):
        try:
            return super().send(request, *args, **kwargs)
        except FetchRefused as exc:
            raise RequestRefused(str(exc), request=request) from exc
        except FetchError as exc:  # a name that does not resolve, ...
            raise requests.ConnectionError(str(exc), request=request) from exc


class GuardedSession(requests.Session):
    """A requests Session for a library that insists on one (youtube-transcript-api).

    Its connections are fetch_url's: the address actually connected to is checked
    against the operator's network (FETCH_ALLOW_HOSTS lets hosts through), so a name
    that resolves somewhere else on the second lookup gains nothing. Proxies from the
    environment are not used, and a request without its own timeout gets the
    fetcher's (FETCH_CONNECT_TIMEOUT, FETCH_READ_TIMEOUT).
    """

    def __init__(self) -> None:
        super().__init__()
        self.trust_env = False
        self.mount("http://", _GuardedAdapter())
        self.mount("https://", _GuardedAdapter())
        self.headers["User-Agent"] = str(_setting("FETCH_USER_AGENT", DEFAULT_USER_AGENT))

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any):
        kwargs.setdefault(
            "timeout",
            (
                float(_setting("FETCH_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT)),
                float(_setting("FETCH_READ_TIMEOUT", DEFAULT_READ_TIMEOUT)),
            ),
        )
        return super().request(method, url, *args, **kwargs)


def _ca_bundle() -> str | None:
    try:
        import certifi
    except ImportError:
        return None  # urllib3 then uses the system's trust store
    return certifi.where()


# --------------------------------------------------------------------------- URLs


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str
    port: int
    request_uri: str
    auth: str | None = None

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    @property
    def backoff_key(self) -> str:
        # Per host *and port*: two services on one machine throttle independently.
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _parse_target(url: str) -> _Target:
    try:
        parsed = parse_url(url.strip())
    except u3.LocationParseError as exc:
        raise FetchError(f"invalid URL {url!r}: {exc}", url=url)
    scheme = (parsed.scheme or "").lower()
    if not scheme:
        raise FetchRefused(f"refused: {url!r} has no scheme (only http and https)", url=url)
    if scheme not in _ALLOWED_SCHEMES:
        raise FetchRefused(
            f"refused: {scheme}:// URLs are not fetched (only http and https)", url=url
        )
    if not parsed.host:
        raise FetchError(f"invalid URL {url!r}: no host", url=url)
    host = _normalize_host(parsed.host)
    port = parsed.port or _DEFAULT_PORTS[scheme]
    clean = parsed._replace(scheme=scheme, fragment=None).url
    return _Target(clean, scheme, host, port, parsed.request_uri, parsed.auth)


def _redirect_target(current: _Target, location: str) -> _Target:
    nxt = _parse_target(urljoin(current.url, location.strip()))
    if current.scheme == "https" and nxt.scheme == "http":
        raise FetchRefused(
            f"refused: redirect from https to plain http ({nxt.url})", url=current.url
        )
    return nxt


def _precheck_literal(target: _Target, allow: _AllowList) -> None:
    """Refuse a literal internal IP before any connection, with a plain message."""
    ip = _parse_ip(target.host)
    if ip is None:
        return
    kind = allow.refusal(ip)
    if kind is not None:
        raise FetchRefused(f"refused: {ip} is {kind}", url=target.url)


# Names no public host has, whatever a resolver answers: RFC 6761 (localhost), RFC 6762
# (.local, multicast DNS), RFC 8375 (home.arpa) and ICANN's .internal (2024).
_INTERNAL_NAME_SUFFIXES = ("localhost", "local", "home.arpa", "internal")
_NUMERIC_HOST = re.compile(r"[0-9a-fx.]+")


def _numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address of a host written as a number in a form resolvers read without DNS
    (127.1, 0x7f.0.0.1, 2130706433), which ipaddress does not accept."""
    if not _NUMERIC_HOST.fullmatch(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _refusal_from_text(url: str) -> str | None:
    """Why `url` leads where the fetcher must not go, judged from its text alone, or
    None: not http(s), no host, an internal address however it is spelt, a single-label
    name or a name reserved for private networks.

    fetch_refusal() resolves the name too; this is for what is shown while answering a
    request, where a DNS lookup per link would cost time. FETCH_ALLOW_HOSTS does not
    apply: it lets the fetcher in, it does not make a host public.
    """
    try:
        target = _parse_target(url)
    except FetchError as error:
        return str(error)
    host = target.host
    ip = _parse_ip(host) or _numeric_ipv4(host)
    if ip is not None:
        kind = _address_kind(ip)
        return f"{ip} is {kind}" if kind else None
    if "." not in host:
        return f"{host} is not a public name"
    if any(host == s or host.endswith(f".{s}") for s in _INTERNAL_NAME_SUFFIXES):
        return f"{host} is a name for a private network"
    return None


def public_url(url: str) -> str:
    """`url` as anyone may see it: without its user info (a private feed's
    credentials), or "" when it leads inside (_refusal_from_text())."""
    if not url or _refusal_from_text(url) is not None:
        return ""
    return parse_url(url.strip())._replace(auth=None).url


# --------------------------------------------------------------------------- back-off


class _BackoffRegistry:
    """When each host told us (429/503 Retry-After) it may be asked again.

    Process-local, and mirrored in Django's cache when one is configured so that
    every worker respects a host's request, not only the one that received it.
    """

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def remember(self, key: str, seconds: float) -> None:
        seconds = min(max(seconds, 0.0), _MAX_RETRY_AFTER)
        if seconds <= 0:
            return
        until = time.time() + seconds
        with self._lock:
            self._until[key] = max(until, self._until.get(key, 0.0))
        _cache_call("set", _CACHE_KEY_PREFIX + key, until, math.ceil(seconds))

    def remaining(self, key: str) -> float | None:
        with self._lock:
            until = self._until.get(key)
        if until is None:
            shared = _cache_call("get", _CACHE_KEY_PREFIX + key)
            until = float(shared) if isinstance(shared, int | float) else None
        if until is None:
            return None
        left = until - time.time()
        if left <= 0:
            self.forget(key)
            return None
        return left

    def forget(self, key: str | None = None) -> None:
        with self._lock:
            keys = list(self._until) if key is None else [key]
            for k in keys:
                self._until.pop(k, None)
        for k in keys:
            _cache_call("delete", _CACHE_KEY_PREFIX + k)


def _cache_call(method: str, *args: Any) -> Any:
    """Call Django's default cache if it is usable; the fetcher never fails because of it."""
    try:
        from django.conf import settings

        if not settings.CACHES:
            return None
        from django.core.cache import cache

        return getattr(cache, method)(*args)
    except Exception as exc:  # not configured, cache server down: local registry suffices
        logger.debug("fetch back-off cache unavailable: %s", exc)
        return None


_backoff = _BackoffRegistry()


def forget_retry_after(url: str | None = None) -> None:
    """Drop remembered Retry-After times: for the host of `url`, or all of them."""
    if url is None:
        _backoff.forget()
        return
    _backoff.forget(_parse_target(url).backoff_key)


def _raise_if_backing_off(target: _Target) -> None:
    left = _backoff.remaining(target.backoff_key)
    if left is not None:
        raise FetchHTTPError(
            f"not fetched: {target.backoff_key} asked us to retry after {math.ceil(left)} s",
            status=429,
            url=target.url,
            retry_after=left,
            transient=True,
        )


def _parse_retry_after(value: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


# --------------------------------------------------------------------------- the fetch


@dataclass
class _Exchange:
    """One request/response of a fetch (one hop in a redirect chain)."""

    target: _Target
    response: BaseHTTPResponse
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> int:
        return int(self.response.status)


def _header_safe(value: str) -> bool:
    # Validators are stored from earlier responses; one that could not be sent back
    # (a line break would make http.client raise) is simply not sent.
    return bool(value) and not _UNSENDABLE.search(value)


def _request_headers(target: _Target, first: _Target, opts: _Options) -> dict[str, str]:
    headers = {
        "User-Agent": opts.user_agent,
        "Accept": opts.accept,
        # Only what urllib3 decodes without optional packages, so the size cap
        # always sees the decoded body.
        "Accept-Encoding": "gzip, deflate",
    }
    if _header_safe(opts.etag):
        headers["If-None-Match"] = opts.etag
    if _header_safe(opts.last_modified):
        headers["If-Modified-Since"] = opts.last_modified
    auth = target.auth or (first.auth if target.origin == first.origin else None)
    if auth:
        # Credentials in the URL (private podcast feeds) never follow a redirect to
        # another origin.
        token = base64.b64encode(unquote(auth).encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    return headers


@contextlib.contextmanager
def _exchange(
    target: _Target, first: _Target, guard: _Guard, opts: _Options
) -> Iterator[_Exchange]:
    deadline = guard.deadline
    timeout = Timeout(
        connect=deadline.bound(opts.connect_timeout), read=deadline.bound(opts.read_timeout)
    )
    pool: HTTPConnectionPool
    if target.scheme == "https":
        pool = _GuardedHTTPSPool(
            target.host,
            target.port,
            timeout=timeout,
            maxsize=1,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ca_certs=_ca_bundle(),
            fetch_guard=guard,
        )
    else:
        pool = _GuardedHTTPPool(
            target.host, target.port, timeout=timeout, maxsize=1, retries=False, fetch_guard=guard
        )
    response: BaseHTTPResponse | None = None
    try:
        response = pool.urlopen(
            "GET",
            target.request_uri,
            headers=_request_headers(target, first, opts),
            retries=False,
            redirect=False,
            assert_same_host=False,
            preload_content=False,
            decode_content=True,
            release_conn=False,
            timeout=timeout,
        )
        # Repeated headers (Link, ...) merged into one comma-separated value.
        merged = response.headers.itermerged()  # type: ignore[attr-defined]
        headers = {name.lower(): value for name, value in merged}
        yield _Exchange(target, response, headers)
    finally:
        if response is not None:
            response.close()
        pool.close()


def _translate(exc: Exception, target: _Target, deadline: _Deadline) -> FetchError:
    """A urllib3/socket failure as one readable FetchError."""
    if isinstance(exc, FetchError):
        return exc
    url = target.url
    if deadline.passed():
        return FetchTimeout(f"timed out: {url} took longer than {deadline.seconds:g} s", url=url)
    if isinstance(exc, u3.NewConnectionError):
        reason = str(exc).split(": ", 1)[-1]
        return FetchError(
            f"cannot connect to {target.host}:{target.port}: {reason}", url=url, transient=True
        )
    if isinstance(exc, u3.ConnectTimeoutError):
        return FetchTimeout(f"timed out connecting to {target.host}:{target.port}", url=url)
    if isinstance(exc, u3.ReadTimeoutError | TimeoutError):
        return FetchTimeout(f"timed out: {url} stopped sending data", url=url)
    if isinstance(exc, u3.SSLError):
        # A certificate that does not verify will not start verifying on retry; a
        # handshake cut short might.
        return FetchError(
            f"TLS error with {target.host}: {exc}",
            url=url,
            transient=not _is_certificate_problem(exc),
        )
    if isinstance(exc, u3.DecodeError):
        return FetchError(f"cannot decode the body of {url}: {exc}", url=url, transient=False)
    return FetchError(f"connection error with {url}: {exc}", url=url, transient=True)


def _is_certificate_problem(exc: BaseException) -> bool:
    seen: set[int] = set()
    pending: list[object] = [exc]
    while pending:
        item = pending.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ssl.SSLCertVerificationError):
            return True
        pending.extend([*item.args, item.__cause__, item.__context__])
    return False


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _result(exchange: _Exchange, opts: _Options, *, not_modified: bool) -> FetchResult:
    headers = exchange.headers
    return FetchResult(
        url=exchange.target.url,
        status=exchange.status,
        content=b"",
        headers=headers,
        # A 304 need not repeat the validators; keep the ones that still hold.
        etag=headers.get("etag", opts.etag if not_modified else ""),
        last_modified=headers.get("last-modified", opts.last_modified if not_modified else ""),
        content_type=_media_type(headers.get("content-type", "")),
        not_modified=not_modified,
    )


def _raise_for_status(exchange: _Exchange) -> None:
    status, target = exchange.status, exchange.target
    if 200 <= status < 300:
        return
    retry_after = None
    if status in _BACKOFF_STATUSES:
        retry_after = _parse_retry_after(exchange.headers.get("retry-after", ""))
        if retry_after is not None:
            retry_after = min(retry_after, _MAX_RETRY_AFTER)
            _backoff.remember(target.backoff_key, retry_after)
    reason = exchange.response.reason or ""
    raise FetchHTTPError(
        f"HTTP {status} {reason} from {target.url}",
        status=status,
        url=target.url,
        retry_after=retry_after,
    )


def _stream_body(
    exchange: _Exchange, write: Callable[[bytes], object], max_bytes: int, deadline: _Deadline
) -> None:
    url = exchange.target.url
    declared = exchange.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchTooLarge(
            f"too large: {url} declares {int(declared)} bytes, the limit is {max_bytes}", url=url
        )
    received = 0
    # urllib3 decodes gzip/deflate in bounded steps, so counting here caps the
    # decoded size and a small compressed bomb never expands in memory.
    for chunk in exchange.response.stream(_CHUNK_SIZE, decode_content=True):
        received += len(chunk)
        if received > max_bytes:
            raise FetchTooLarge(
                f"too large: {url} sent more than the {max_bytes}-byte limit", url=url
            )
        write(chunk)
        if deadline.passed():
            break
    # A deadline shutdown can look like a normal end of a close-delimited body.
    if deadline.passed():
        raise FetchTimeout(f"timed out: {url} took longer than {deadline.seconds:g} s", url=url)


def _hop(
    target: _Target,
    first: _Target,
    guard: _Guard,
    opts: _Options,
    write: Callable[[bytes], object],
) -> FetchResult | str:
    """One request: the final result, or the Location to follow next."""
    _precheck_literal(target, opts.allow)
    _raise_if_backing_off(target)
    guard.url = target.url
    try:
        with _exchange(target, first, guard, opts) as exchange:
            location = exchange.headers.get("location", "")
            if exchange.status in _REDIRECT_STATUSES and location:
                return location
            if exchange.status == 304:
                return _result(exchange, opts, not_modified=True)
            _raise_for_status(exchange)
            _stream_body(exchange, write, opts.max_bytes, guard.deadline)
            return _result(exchange, opts, not_modified=False)
    except (u3.HTTPError, http.client.HTTPException, OSError) as exc:
        raise _translate(exc, target, guard.deadline)


def _fetch(url: str, write: Callable[[bytes], object], opts: _Options) -> FetchResult:
    first = _parse_target(url)
    deadline = _Deadline(opts.total_timeout)
    guard = _Guard(opts.allow, deadline, first.url)
    target = first
    try:
        for redirects in range(MAX_REDIRECTS + 1):
            outcome = _hop(target, first, guard, opts, write)
            if isinstance(outcome, FetchResult):
                return outcome
            if redirects == MAX_REDIRECTS:
                break
            target = _redirect_target(target, outcome)
        raise FetchRefused(
            f"refused: more than {MAX_REDIRECTS} redirects from {first.url}", url=first.url
        )
    finally:
        deadline.finish()


def fetch_url(
    url: str, *, max_bytes: int | None = None, **options: Unpack[FetchOptions]
) -> FetchResult:
    """GET `url` into memory, safely. Raises a FetchError subclass on any failure.

    max_bytes defaults to FETCH_MAX_FEED_BYTES; for the options, see FetchOptions.
    allow_hosts, when given, replaces FETCH_ALLOW_HOSTS (so [] allows nothing internal).
    """
    parts: list[bytes] = []
    result = _fetch(url, parts.append, _options(max_bytes=max_bytes, **options))
    result.content = b"".join(parts)
    return result


def fetch_to_file(
    url: str, path: Path, *, max_bytes: int, **options: Unpack[FetchOptions]
) -> FetchResult:
    """GET `url` into `path` (large bodies such as audio), with fetch_url's safety.

    The body lands in a temporary file beside `path` and replaces it only when
    complete, so a failed download never leaves a truncated file behind; on 304
    `path` is left as it was. The result's content is always b"".
    """
    if options.get("timeout_total") is None:
        # A file as large as allowed, on a slow but honest link, must not be cut off
        # by the deadline sized for feeds.
        feed_deadline = float(_setting("FETCH_TOTAL_TIMEOUT", DEFAULT_TOTAL_TIMEOUT))
        options["timeout_total"] = max(feed_deadline, max_bytes / _DOWNLOAD_FLOOR_BYTES_PER_S)
    opts = _options(max_bytes=max_bytes, **options)
    path = Path(path)
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            result = _fetch(url, out.write, opts)
        if not result.not_modified:
            os.replace(partial, path)
        return result
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
