"""The one small interface every summariser backend implements.

A backend turns a transcript (a list of timed segments) into a digest in one
language. Backends never touch the database: the digest service stores what they
return, after grounding it against the transcript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Protocol

from articles.transcript_data import Segment


class SummarizationError(Exception):
    """The backend could not produce a valid digest; the message says why."""


class BudgetExhausted(SummarizationError):
    """A daily budget is spent: the digest waits, nothing is called."""


@dataclass(slots=True)
class TopicChoice:
    """A topic the backend may choose, with words that suggest it."""

    slug: str
    name: str
    keywords: Sequence[str] = ()


@dataclass(slots=True)
class KeyPointData:
    heading: str
    body: str
    start: float | None = None  # seconds into the episode
    quote: str = ""  # words from the transcript that support the point
    grounded: bool | None = None  # set by the grounding check


@dataclass(slots=True)
class DigestData:
    language: str
    tldr: str
    key_points: list[KeyPointData]
    conclusion: str
    score: float  # 0-10, one decimal
    score_parts: dict[str, float]  # each 0-10; see scoring.py for what each measures
    topic: str  # a TopicChoice slug, or "" when none fits
    tags: list[str]
    backend: str
    model: str = ""
    version: str = ""  # algorithm or prompt version, so editors can tell digests apart
    token_usage: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class TranscriptInput:
    """What a backend is given: the episode's words and a little context."""

    segments: list[Segment]
    language: str = "en"  # the transcript's own language
    title: str = ""
    description: str = ""


class Summarizer(Protocol):
    name: str

    def summarize(
        self,
        transcript: TranscriptInput,
        *,
        language: str,
        topics: Sequence[TopicChoice] = (),
    ) -> DigestData: ...


# The score's parts, each 0-10, shared by every backend so that scores compare. About 5
# is an ordinary episode: the extractive backend calibrates its counted proxies to that
# (scoring.py); an LLM judges each part from these meanings (they are its scoring guide).
# articles/score_explanation.py puts a part two points or more from 5 into words.
SCORE_PARTS = {
    "substance": "Concrete information: facts, figures, names and explanations per minute.",
    "novelty": "News value: announcements, launches, results and first-hand reports "
    "rather than evergreen chat.",
    "clarity": "How clearly and in how orderly a way the episode makes its points.",
    "relevance": "How much of the episode is about technology that our readers follow.",
}


def score_from_parts(parts: dict[str, float]) -> float:
    """The overall score: the mean of the known parts, clamped to 0-10, one decimal.

    The one place every backend's score is made, and deliberately a plain mean, with no
    stretch or weights: a reader can check it against the parts the page shows. Any
    calibration belongs to how a part is measured, before it gets here: the extractive
    backend puts its counts on a log scale around an ordinary episode (scoring.py); the
    LLM scores the parts directly and needs none.
    """
    values = [min(10.0, max(0.0, float(parts[k]))) for k in SCORE_PARTS if k in parts]
    if not values:
        return 0.0
    return round(sum(values) / len(values), 1)
