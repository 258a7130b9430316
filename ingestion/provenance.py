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

from collections.abc import Callable

from django.conf import settings

from articles.transcript_data import Segment
from ingestion.chain import (  # noqa: F401 - the chain's vocabulary, said here too
    ChainPaused,
    ChainResult,
    EpisodeInfo,
    NoTranscript,
    TransientTranscriptError,
)
from ingestion.chain import note as _note
from ingestion.errors import ParseError
from ingestion.feeds import TranscriptLink
from ingestion.fetch import FetchError, fetch_url
from ingestion.transcripts import choose_transcript, parse_transcript
from newsroom.text import html_to_text

# Show notes shorter than this say too little to summarise.
MIN_DESCRIPTION_WORDS = 40


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


def description_to_segments(description_html: str) -> list[Segment]:
    """One segment per paragraph (or line) of the show notes."""
    paragraphs = html_to_text(description_html).split("\n")
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
