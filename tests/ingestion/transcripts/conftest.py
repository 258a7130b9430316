"""Fixtures for the transcript chain: no real network, local servers, test audio.

Audio is made once per session with ffmpeg (tones separated by silences), served by
a local HTTP server as an episode's enclosure, and transcribed by a fake
OpenAI-compatible server. Everything listens on 127.0.0.1; any other connection
(or name lookup) fails the test.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from articles.models import Article
from ingestion import stt
from ingestion.models import Source
from testing.http_servers import LocalServer, Response, serve
from tests.factories import make_source
from tests.ingestion.transcripts.fake_stt import FakeSTTServer, write_tones
from tests.network import forbid_network

# The long episode: 8 tones of 25 s with 3 s of silence between them (221 s).
LONG_TONES, LONG_TONE_SECONDS, LONG_GAP_SECONDS = 8, 25.0, 3.0
# Silences of the long episode, as (start, end) in seconds.
LONG_SILENCES = [
    (
        LONG_TONE_SECONDS * (i + 1) + LONG_GAP_SECONDS * i,
        (LONG_TONE_SECONDS + LONG_GAP_SECONDS) * (i + 1),
    )
    for i in range(LONG_TONES - 1)
]
SHOW_NOTES = (
    "<p>In this episode we talk about the new open model release, what changed in the "
    "training data, how the benchmarks were run, why the licence matters for companies, "
    "and what developers should try first.</p><p>Links: the announcement, the paper and "
    "the code repository, plus our previous episode about evaluation.</p>"
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections and name lookups beyond loopback fail loudly: no test reaches YouTube."""
    forbid_network(monkeypatch, lookups=True)


@pytest.fixture(autouse=True)
def _chain_settings(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every step off unless a test switches it on; the fetcher may reach 127.0.0.1."""
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.YOUTUBE_CAPTIONS = False
    settings.STT_BASE_URL = ""
    settings.STT_API_KEY = "test-key"
    settings.STT_MODEL = "fake-whisper"
    settings.STT_TIMEOUT = 10.0
    settings.STT_MAX_AUDIO_MB = 50
    settings.STT_MAX_UPLOAD_MB = 24
    settings.STT_DAILY_MINUTES = 0
    settings.DIGEST_LANGUAGES = ["en"]
    settings.SUMMARIZER_BACKEND = "extractive"
    monkeypatch.setattr(stt, "RETRY_DELAY", 0.0)  # retries are tested, not waited for


@pytest.fixture
def stt_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The temporary directory speech-to-text works in; must be left empty."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def stt_leftovers() -> list[str]:
    """Anything speech-to-text left in the temporary directory (should be nothing)."""
    return sorted(p.name for p in Path(tempfile.gettempdir()).glob("newsroom-stt-*"))


@dataclass(frozen=True)
class Audio:
    path: Path
    seconds: float

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()


@pytest.fixture(scope="session")
def long_audio(tmp_path_factory: pytest.TempPathFactory) -> Audio:
    """About 3.7 minutes of tones and silences: cut into four pieces in the tests."""
    path = tmp_path_factory.mktemp("audio") / "long.mp3"
    seconds = write_tones(
        path, tones=LONG_TONES, tone_seconds=LONG_TONE_SECONDS, gap_seconds=LONG_GAP_SECONDS
    )
    return Audio(path, seconds)


@pytest.fixture(scope="session")
def short_audio(tmp_path_factory: pytest.TempPathFactory) -> Audio:
    """18 seconds: for tests about everything but the cutting."""
    path = tmp_path_factory.mktemp("audio") / "short.mp3"
    return Audio(path, write_tones(path, tones=2, tone_seconds=8.0, gap_seconds=2.0))


@pytest.fixture
def media() -> Iterator[LocalServer]:
    """A local server for enclosures and transcripts; add routes in the test."""
    with serve() as server:
        yield server


def serve_audio(server: LocalServer, audio: Audio, path: str = "/episode.mp3") -> str:
    server.routes[path] = Response(body=audio.data, content_type="audio/mpeg")
    return server.url(path)


@pytest.fixture
def fake_stt(settings, stt_tmp: Path) -> Iterator[FakeSTTServer]:
    """A started fake transcription server, configured as the STT endpoint."""
    with FakeSTTServer() as server:
        settings.STT_BASE_URL = server.base_url
        yield server


def make_episode(*, source: Source | None = None, **fields: Any) -> Article:
    """An article as ingestion leaves it: no transcript yet, nothing else on it."""
    source = source or make_source()
    n = Article.objects.count() + 1
    defaults: dict[str, Any] = {
        "source": source,
        "guid": f"episode-{source.pk}-{n}",
        "slug": f"episode-{source.pk}-{n}",
        "title": f"Episode {n}",
        "status": Article.Status.NEW,
        "language": "en",
        "transcript_links": [],
        "description_html": "",
        "audio_url": "",
        "video_id": "",
    }
    defaults.update(fields)
    return Article.objects.create(**defaults)
