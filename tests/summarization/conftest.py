"""Fixtures for the summariser tests: no real network, and a fake LLM server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.summarization.fake_llm import FakeLLMServer

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _is_loopback(address: Any) -> bool:
    if isinstance(address, str | bytes):
        return True  # an AF_UNIX path: local by definition
    host = address[0] if isinstance(address, tuple) and address else None
    return isinstance(host, str) and (host in LOOPBACK or host.startswith("127."))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection beyond loopback fails loudly, so no test can reach a real API."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(address: Any) -> None:
        if not _is_loopback(address):
            raise RuntimeError(f"test tried to reach the network: {address!r}")

    def connect(self: socket.socket, address: Any) -> None:
        guard(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def fake_llm() -> Iterator[FakeLLMServer]:
    """A started fake OpenAI-compatible server; see fake_llm.py for scripting it."""
    with FakeLLMServer() as server:
        yield server
