"""A transcript as subtitle files (WebVTT, SRT), for players and podcast apps.

Written here, beside the pages that serve them; reading such files is ingestion's
(ingestion/transcripts.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from articles.transcript_data import Segment


def segments_to_vtt(segments: Sequence[Segment]) -> str:
    """A WebVTT file; speakers become <v> voice tags, text is escaped."""
    out = ["WEBVTT", ""]
    for number, (start, end, segment) in enumerate(_timed(segments), start=1):
        text = _vtt_escape(_one_line(segment.text))
        if segment.speaker:
            text = f"<v {_vtt_escape(_one_line(segment.speaker))}>{text}"
        out += [str(number), f"{_clock(start, '.')} --> {_clock(end, '.')}", text, ""]
    return "\n".join(out)


def segments_to_srt(segments: Sequence[Segment]) -> str:
    """An SRT file; speakers become 'Name: ' prefixes, as SRT has no voices."""
    out: list[str] = []
    for number, (start, end, segment) in enumerate(_timed(segments), start=1):
        text = _srt_escape(_one_line(segment.text))
        if segment.speaker:
            text = f"{_srt_escape(_one_line(segment.speaker))}: {text}"
        out += [str(number), f"{_clock(start, ',')} --> {_clock(end, ',')}", text, ""]
    return "\n".join(out)


def _timed(segments: Sequence[Segment]) -> Iterable[tuple[float, float, Segment]]:
    """Every segment with text, with a start and an end it may lack filled in.

    A missing start follows the previous end; a missing end runs to the next start,
    or lasts as long as the words take to say (about 2.5 a second).
    """
    items = [s for s in segments if s.text and s.text.strip()]
    previous_end = 0.0
    for index, segment in enumerate(items):
        start = segment.start if segment.start is not None else previous_end
        end = segment.end
        if end is None:
            following = next((s.start for s in items[index + 1 :] if s.start is not None), None)
            spoken = start + max(1.0, len(segment.text.split()) / 2.5)
            end = following if following is not None and following > start else spoken
        end = max(end, start + 0.001)
        previous_end = end
        yield start, end, segment


def _clock(seconds: float, separator: str) -> str:
    millis = round(max(0.0, seconds) * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _vtt_escape(text: str) -> str:
    # Escaping '>' too means '-->' can never appear inside a cue.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _srt_escape(text: str) -> str:
    # SRT has no escapes: players read <i>-like tags, and '-->' would look like a timing.
    return re.sub(r"-{2,}>", "->", text.replace("<", "‹"))


def _one_line(value: object) -> str:
    return " ".join(str(value).split())
