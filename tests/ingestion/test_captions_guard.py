"""Captions leave the machine the fetcher's way: the address actually connected to is
checked, not only what the name resolved to beforehand.

A "public" address stands in for YouTube; the connection to it is sent to a fake
YouTube on 127.0.0.1 (fetch._open_tcp), as a resolver that lies on the second
lookup would. Nothing reaches the internet.
"""

from __future__ import annotations

import socket

import pytest

from ingestion import fetch
from ingestion.captions import GuardedSession, fetch_captions
from ingestion.provenance import EpisodeInfo
from tests.ingestion.transcripts.fake_youtube import FakeYouTube, Track

PUBLIC_STAND_IN = "93.184.216.34"  # only ever "reached" through the patched _open_tcp


@pytest.fixture
def youtube(settings, monkeypatch):
    """A fake YouTube that the public stand-in's connections land on."""
    real = socket.create_connection
    with FakeYouTube([Track("en")]) as fake:
        port = int(fake.base_url.rsplit(":", 1)[1])

        def to_the_fake(address, timeout, source_address=None, socket_options=None):
            host = "127.0.0.1" if address[0] == PUBLIC_STAND_IN else address[0]
            return real((host, address[1]), timeout)

        monkeypatch.setattr(fetch, "_open_tcp", to_the_fake)
        settings.YOUTUBE_CAPTIONS = True
        settings.YOUTUBE_BASE_URL = f"http://{PUBLIC_STAND_IN}:{port}"
        yield fake


def _captions(provenance: list[dict]):
    episode = EpisodeInfo(title="t", language="en", transcript_links=[], video_id="dQw4w9WgXcQ")
    return fetch_captions(episode, provenance)


@pytest.mark.django_db
def test_captions_refuse_a_host_that_connects_to_a_private_address(settings, youtube):
    settings.FETCH_ALLOW_HOSTS = []
    provenance: list[dict] = []
    assert _captions(provenance) is None
    assert "connected to 127.0.0.1, a loopback address" in provenance[-1]["reason"]
    assert youtube.requests == []  # refused before a byte of HTTP was sent


@pytest.mark.django_db
def test_captions_reach_an_address_the_operator_allows(settings, youtube):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    provenance: list[dict] = []
    result = _captions(provenance)
    assert result is not None and result.origin == "captions"
    assert youtube.requests[0] == ("GET", "/watch?v=dQw4w9WgXcQ")


def test_a_session_request_has_the_fetchers_timeouts(settings):
    settings.FETCH_CONNECT_TIMEOUT = 3.0
    settings.FETCH_READ_TIMEOUT = 7.0
    session = GuardedSession(base_url="http://127.0.0.1:9")
    sent = []

    class Stop(Exception):
        pass

    def record(request, **kwargs):
        sent.append(kwargs["timeout"])
        raise Stop

    session.send = record
    with pytest.raises(Stop):
        session.get("https://www.youtube.com/watch?v=1")
    assert sent == [(3.0, 7.0)]


def test_a_session_ignores_proxies_from_the_environment(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    assert GuardedSession(base_url="http://127.0.0.1:9").trust_env is False
