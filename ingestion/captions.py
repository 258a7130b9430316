"""Published YouTube captions, through youtube-transcript-api.

Manual captions are preferred over auto-generated ones, and the episode's language
over any other. The library speaks HTTP through a requests Session we give it.
youtube-transcript-api needs its own Session (it POSTs to YouTube's player API and
keeps cookies), so it cannot go through fetch_url; ours is the fetcher's
GuardedSession, whose connections are checked by the address actually reached, with
the fetcher's timeouts, and it can be pointed at another base URL (tests use a
server on 127.0.0.1).
"""

from __future__ import annotations

import requests
from django.conf import settings
from youtube_transcript_api import YouTubeTranscriptApi
from youtube_transcript_api._errors import CouldNotRetrieveTranscript

from articles.transcript_data import Segment
from ingestion import fetch
from ingestion.chain import ChainResult, EpisodeInfo, TransientTranscriptError
from ingestion.chain import note as _note

YOUTUBE = "https://www.youtube.com"


CaptionsRefused = fetch.RequestRefused


class GuardedSession(fetch.GuardedSession):
    """The fetcher's guarded Session, sent to YOUTUBE_BASE_URL instead of YouTube."""

    def __init__(self, base_url: str = "") -> None:
        super().__init__()
        self.base_url = (base_url or settings.YOUTUBE_BASE_URL).rstrip("/")

    def request(self, method, url, *args, **kwargs):
        # Only www.youtube.com itself: a prefix match would also rewrite
        # "https://www.youtube.com.example.net/…".
        if self.base_url != YOUTUBE and (url == YOUTUBE or url.startswith(YOUTUBE + "/")):
            url = self.base_url + url[len(YOUTUBE) :]
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


def _pick(transcripts, language: str):
    """Manual captions before generated ones; the episode's language before others."""
    manual = [t for t in transcripts if not t.is_generated]
    generated = [t for t in transcripts if t.is_generated]
    for group in (manual, generated):
        for transcript in group:
            if transcript.language_code.split("-")[0] == language:
                return transcript
    for group in (manual, generated):
        if group:
            return group[0]
    return None


def _reason(exc: CouldNotRetrieveTranscript) -> str:
    """The library's cause in one line ("Subtitles are disabled for this video").

    str(exc) opens with a generic "Could not retrieve a transcript…" line and ends with
    a plea to file an issue upstream; only the cause tells an editor anything.
    """
    try:
        cause = exc.cause
    except Exception:  # noqa: BLE001 - a cause that cannot be formatted still has a name
        cause = ""
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0] if lines else 'no detail'}"[:500]


def fetch_captions(
    episode: EpisodeInfo, provenance: list[dict], *, session: requests.Session | None = None
) -> ChainResult | None:

    api = YouTubeTranscriptApi(http_client=session or GuardedSession())
    try:
        available = list(api.list(episode.video_id))
        chosen = _pick(available, episode.language)
        if chosen is None:
            _note(provenance, "captions", "failed", "the video has no captions")
            return None
        fetched = chosen.fetch()
    except CaptionsRefused as exc:
        _note(provenance, "captions", "failed", str(exc))
        return None
    except CouldNotRetrieveTranscript as exc:
        _note(provenance, "captions", "failed", _reason(exc))
        return None
    except requests.RequestException as exc:
        _note(provenance, "captions", "failed", f"network: {exc}"[:500])
        raise TransientTranscriptError(f"captions: {exc}") from exc
    except (SyntaxError, ValueError) as exc:
        # The caption file is not the XML the library reads (xml's ParseError is a
        # SyntaxError, defusedxml's refusals are ValueErrors): the step fails, the
        # chain goes on.
        _note(provenance, "captions", "failed", f"unreadable captions: {exc}"[:500])
        return None
    segments = [
        Segment(
            start=round(s.start, 3),
            end=round(s.start + s.duration, 3),
            speaker="",
            text=" ".join(s.text.split()),
        )
        for s in fetched.snippets
        if s.text.strip()
    ]
    if not segments:
        _note(provenance, "captions", "failed", "the captions are empty")
        return None
    kind = "auto-generated" if chosen.is_generated else "manual"
    _note(provenance, "captions", "used", f"{kind} captions in {chosen.language_code}")
    return ChainResult(
        origin="captions",
        format="captions",
        segments=segments,
        language=chosen.language_code.split("-")[0] or episode.language,
        source_url=f"https://www.youtube.com/watch?v={episode.video_id}",
        provenance=provenance,
    )
