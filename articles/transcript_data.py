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

    @classmethod
    def from_rows(cls, rows: object) -> list[Segment]:
        """The segments of a stored transcript (`Transcript.segments`), read tolerantly.

        The JSON was written by parsers, an editor's upload or an older version of the
        code: a row that is not an object or says nothing is skipped, a time that is not
        a number is unknown (None), and missing or unexpected keys do not fail the page,
        the digest or the API answer that reads it.
        """
        segments = []
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict):
                continue
            text = str(row.get("text") or "")
            if not text.strip():
                continue
            segments.append(
                cls(
                    start=_seconds(row.get("start")),
                    end=_seconds(row.get("end")),
                    speaker=str(row.get("speaker") or ""),
                    text=text,
                )
            )
        return segments


def _seconds(value: object) -> float | None:
    # bool is an int to Python, never a time to us.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


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
