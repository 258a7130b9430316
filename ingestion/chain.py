"""The transcript chain's vocabulary: what a step is given, what it returns, how it
says why it was skipped. Shared by the chain (provenance.py) and its steps that live
in their own modules (captions.py, stt.py), which the chain loads only when it runs
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from articles.transcript_data import Segment


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


def note(provenance: list[dict], step: str, outcome: str, reason: str) -> None:
    provenance.append(
        {"step": step, "outcome": outcome, "reason": reason, "at": timezone.now().isoformat()}
    )
