"""Plain data shared by the transcript parsers, the summarisers and the services.

No Django, no network: these are the shapes that travel between the pure parts
of the pipeline, so that each part can be tested on its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(slots=True)
class Segment:
    """One timed piece of a transcript. Times are seconds from the start, or None."""

    start: float | None
    end: float | None
    speaker: str
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class ParsedTranscript:
    """A transcript as a parser returns it."""

    format: str  # "vtt", "srt", "sbv", "json", "html", "text"
    segments: list[Segment] = field(default_factory=list)
    language: str = ""

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments if s.text)

    @property
    def words(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)
