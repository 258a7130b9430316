"""The client's address: one answer for the API throttle, django-axes, the account limits
and the logs.

The socket's address (REMOTE_ADDR) is the only one a client cannot write. Behind
proxies it is the last proxy's, and every client would share it; each proxy appends the
address it was connected from to X-Forwarded-For, so with TRUSTED_PROXY_COUNT = N the
client is the N-th entry from the right. Entries further left are whatever the client
sent and are never read. With no count configured (the default) the header is ignored:
a site without a proxy must not believe it.

Written here rather than taken from django-ipware (which django-axes would use) or DRF's
NUM_PROXIES: both fall back to a client-written entry when the header is shorter than
the proxy chain, and neither is shared by the other.
"""

from __future__ import annotations

import ipaddress
import re

from django.conf import settings
from django.http import HttpRequest

# Some proxies (Azure's, for one) append the port too: "203.0.113.7:4711", "[2001:db8::1]:4711".
_WITH_PORT = re.compile(r"^\[(?P<v6>[0-9A-Fa-f:.]+)\](?::\d+)?$|^(?P<v4>[0-9.]+):\d+$")


def _parse(value: str) -> str | None:
    """`value` as a canonical address, or None when it is not one."""
    value = value.strip()
    if match := _WITH_PORT.match(value):
        value = match.group("v6") or match.group("v4")
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is the same client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def client_address(request: HttpRequest) -> str:
    """The address of the client that made `request`, as the operator's proxies saw it."""
    remote = request.META.get("REMOTE_ADDR", "")
    socket_address = _parse(remote) or remote
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return socket_address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < hops or not forwarded[-hops].strip():
        # Shorter than the proxy chain: the request did not come through all of our
        # proxies (or one is misconfigured). What is there was written by the client, so
        # the socket's address is the one we can stand by.
        return socket_address
    return _parse(forwarded[-hops]) or socket_address


def limit_address(request: HttpRequest) -> str | None:
    """The address the limits count this client under: its address, or for IPv6 the /64
    network it belongs to. One subscriber is usually given a whole /64 and can use any
    of its 2**64 addresses, so counting single IPv6 addresses would limit nobody.

    None when the server was given no address at all (a Unix socket without a proxy):
    such clients share one count, and django-axes stores no address rather than an
    invalid one (PostgreSQL's inet column would refuse it).
    """
    try:
        parsed = ipaddress.ip_address(client_address(request))
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)
