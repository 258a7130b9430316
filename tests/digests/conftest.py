"""Fixtures for the summariser tests: no real network, and a fake LLM server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.digests.fake_llm import FakeLLMServer
from tests.network import forbid_network


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection beyond loopback fails loudly, so no test can reach a real API."""
    forbid_network(monkeypatch)


@pytest.fixture
def fake_llm() -> Iterator[FakeLLMServer]:
    """A started fake OpenAI-compatible server; see fake_llm.py for scripting it."""
    with FakeLLMServer() as server:
        yield server
