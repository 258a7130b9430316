"""The transcript provenance chain: where an episode's words come from.

Steps are tried in order and each outcome is recorded, so an editor can see why
a transcript came from, say, speech-to-text (the feed had none, captions were
switched off). No database here: the caller stores the result.

1. feed      the feed's own `podcast:transcript`
2. captions  published YouTube captions (YOUTUBE_CAPTIONS=1)
3. stt       speech-to-text through an OpenAI-compatible endpoint (STT_BASE_URL)
4. description  the show notes, marked as such: never auto-published
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from articles.transcript_data import Segment
from ingestion.errors import ParseError
from ingestion.feeds import TranscriptLink
from ingestion.fetch import FetchError, fetch_url
from ingestion.transcripts import choose_transcript, parse_transcript

# Show notes shorter than this say too little to summarise.
MIN_DESCRIPTION_WORDS = 40


@dataclass
class EpisodeInfo:
    """What the chain needs to know about an episode (built from an Article)."""

    title: str
    language: str
    transcript_links: list[dict]
    description_html: str = ""
    video_id: str = ""
    audio_url: str = ""
    duration_seconds: int | None = None


@dataclass
class ChainResult:
    origin: str  # Transcript.Origin value
    format: str
    segments: list[Segment]
    language: str
    source_url: str = ""
    provenance: list[dict] = field(default_factory=list)


class TransientTranscriptError(Exception):
    """A step failed in a way worth retrying later (a timeout, a 503)."""


class ChainPaused(Exception):
    """A step cannot run now (a daily budget is spent): the episode waits, nothing else runs."""


class NoTranscript(Exception):
    """Every step was tried or skipped; `provenance` says why."""

    def __init__(self, provenance: list[dict]):
        self.provenance = provenance
        super().__init__("; ".join(f"{p['step']}: {p['reason']}" for p in provenance))


def _note(provenance: list[dict], step: str, outcome: str, reason: str) -> None:
    provenance.append(
        {"step": step, "outcome": outcome, "reason": reason, "at": timezone.now().isoformat()}
    )


def step_feed(episode: EpisodeInfo, provenance: list[dict]) -> ChainResult | None:
    links = [
        TranscriptLink(
            url=item.get("url", ""),
            type=item.get("type", ""),
            language=item.get("language", ""),
            rel=item.get("rel", ""),
        )
        for item in episode.transcript_links
        if item.get("url")
    ]
    if not links:
        _note(provenance, "feed", "skipped", "the feed announces no transcript")
        return None
    tried = []
    # Best link first, then the others: a dead link should not hide a working one.
    first = choose_transcript(links, language=episode.language)
    ordered = [first] + [link for link in links if link is not first] if first else links
    transient = None
    for link in ordered:
        try:
            fetched = fetch_url(link.url, max_bytes=settings.FETCH_MAX_TRANSCRIPT_BYTES)
            parsed = parse_transcript(
                fetched.content, content_type=link.type or fetched.content_type, filename=link.url
            )
        except FetchError as exc:
            tried.append(f"{link.url}: {exc}")
            if getattr(exc, "transient", True):
                transient = exc
            continue
        except ParseError as exc:
            tried.append(f"{link.url}: {exc}")
            continue
        if not parsed.segments:
            tried.append(f"{link.url}: empty transcript")
            continue
        _note(provenance, "feed", "used", f"{parsed.format} from {link.url}")
        return ChainResult(
            origin="feed",
            format=parsed.format,
            segments=parsed.segments,
            language=link.language or episode.language,
            source_url=link.url,
            provenance=provenance,
        )
    _note(provenance, "feed", "failed", "; ".join(tried)[:1000])
    if transient is not None and len(tried) == len(ordered):
        # Let the task retry later rather than fall back to show notes for a hiccup.
        raise TransientTranscriptError(str(transient))
    return None


def step_captions(episode: EpisodeInfo, provenance: list[dict]) -> ChainResult | None:
    if not episode.video_id:
        _note(provenance, "captions", "skipped", "not a video")
        return None
    if not settings.YOUTUBE_CAPTIONS:
        _note(provenance, "captions", "skipped", "YOUTUBE_CAPTIONS is off")
        return None
    from ingestion.captions import fetch_captions

    return fetch_captions(episode, provenance)


def step_stt(episode: EpisodeInfo, provenance: list[dict]) -> ChainResult | None:
    if not episode.audio_url:
        _note(provenance, "stt", "skipped", "no audio enclosure")
        return None
    if not settings.STT_BASE_URL:
        _note(provenance, "stt", "skipped", "speech-to-text is not configured (STT_BASE_URL)")
        return None
    from ingestion.stt import transcribe_episode

    return transcribe_episode(episode, provenance)


_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</?(p|br|li|div|h[1-6]|blockquote)[^>]*>", re.I)


def description_to_segments(description_html: str) -> list[Segment]:
    text = _BLOCK.sub("\n", description_html or "")
    text = html.unescape(_TAG.sub("", text))
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in text.split("\n")]
    return [Segment(start=None, end=None, speaker="", text=p) for p in paragraphs if p]


def step_description(episode: EpisodeInfo, provenance: list[dict]) -> ChainResult | None:
    segments = description_to_segments(episode.description_html)
    words = sum(len(s.text.split()) for s in segments)
    if words < MIN_DESCRIPTION_WORDS:
        _note(
            provenance,
            "description",
            "skipped",
            f"show notes too short to summarise ({words} words)",
        )
        return None
    _note(provenance, "description", "used", f"show notes ({words} words)")
    return ChainResult(
        origin="description",
        format="text",
        segments=segments,
        language=episode.language,
        provenance=provenance,
    )


STEPS: list[tuple[str, Callable[[EpisodeInfo, list[dict]], ChainResult | None]]] = [
    ("feed", step_feed),
    ("captions", step_captions),
    ("stt", step_stt),
    ("description", step_description),
]


def find_transcript(episode: EpisodeInfo, *, skip: tuple[str, ...] = ()) -> ChainResult:
    """Run the chain; the first step that yields a transcript wins."""
    provenance: list[dict] = []
    for name, step in STEPS:
        if name in skip:
            _note(provenance, name, "skipped", "not requested")
            continue
        result = step(episode, provenance)
        if result is not None:
            result.provenance = provenance
            return result
    raise NoTranscript(provenance)
