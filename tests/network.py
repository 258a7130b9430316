"""A loopback-only network for tests that must never reach a real service.

`forbid_network` makes any connection beyond loopback (and, when asked, any name
lookup beyond it) fail loudly. tests/conftest.py applies it to every test; the
summariser and transcript tests also forbid name lookups.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def is_loopback(address: Any) -> bool:
    """Whether a socket address (or a 1-tuple holding a host name) stays on this machine."""
    if isinstance(address, str | bytes):
        return True  # an AF_UNIX path: local by definition
    host = address[0] if isinstance(address, tuple) and address else None
    return isinstance(host, str) and (host in LOOPBACK or host.startswith("127."))


def forbid_network(monkeypatch: pytest.MonkeyPatch, *, lookups: bool = False) -> None:
    """Any connection beyond loopback raises; with `lookups`, so does resolving any
    other name (socket.getaddrinfo)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guard(address: Any) -> None:
        if not is_loopback(address):
            raise RuntimeError(f"test tried to reach the network: {address!r}")

    def connect(self: socket.socket, address: Any) -> None:
        guard(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and not is_loopback((name,)):
            raise RuntimeError(f"test tried to resolve a network name: {name!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    if lookups:
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
