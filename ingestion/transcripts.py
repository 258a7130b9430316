"""Turn transcript files into timed segments, and segments back into caption files.

Pure: no database and no network. Reads WebVTT, SRT, YouTube SBV, Podcasting 2.0
JSON and HTML transcripts, and plain text with or without time and speaker
markers. Every parser returns the shared ParsedTranscript; a file we cannot use
raises one TranscriptError whose message is a single line.

Timed formats are read the way the WebVTT spec reads cues: a block whose timing
is broken is skipped rather than failing the whole file, because one damaged cue
in a two-hour episode should not cost the other thousand. A file with no usable
cue at all is an error.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import islice
from urllib.parse import urlsplit

from articles.transcript_data import ParsedTranscript, Segment
from ingestion.errors import TranscriptError
from ingestion.feeds import TranscriptLink
from ingestion.limits import limit
from newsroom.text import BLOCK_TAGS, HIDDEN_TAGS

__all__ = [
    "FORMATS",
    "TranscriptLink",
    "choose_transcript",
    "detect_format",
    "link_format",
    "parse_timestamp",
    "parse_transcript",
]

FORMATS = ("vtt", "srt", "sbv", "json", "html", "text")
# Richest first: word timing and speakers (json), then cue timing with voices (vtt)...
FORMAT_RANK = {"json": 5, "vtt": 4, "srt": 3, "sbv": 3, "html": 2, "text": 1}
# A two-hour episode's transcript is well under 1 MB; this only stops absurd inputs.
MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024
# Longest plain-text segment before a new one starts, so unmarked text still splits.
MAX_TEXT_SEGMENT = 600

CONTENT_TYPES = {
    "text/vtt": "vtt",
    "text/webvtt": "vtt",
    "application/x-subrip": "srt",
    "application/srt": "srt",
    "application/x-srt": "srt",
    "text/srt": "srt",
    "text/x-srt": "srt",
    "text/x-subrip": "srt",
    "text/sbv": "sbv",
    "application/json": "json",
    "text/json": "json",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
}
EXTENSIONS = {
    ".vtt": "vtt",
    ".webvtt": "vtt",
    ".srt": "srt",
    ".sbv": "sbv",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
}


# --------------------------------------------------------------------------- entry point


def parse_transcript(
    data: bytes | str, *, content_type: str = "", filename: str = ""
) -> ParsedTranscript:
    """Parse a transcript; the format comes from content_type, then filename, then content."""
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise TranscriptError(
            f"transcript too large: {len(data)} bytes (limit {MAX_TRANSCRIPT_BYTES})"
        )
    raw = _decode_bytes(data) if isinstance(data, bytes) else data
    _refuse_binary(raw)
    text = _decode(raw)
    if not text.strip():
        raise TranscriptError("empty transcript: no text to parse")
    name = detect_format(text, content_type=content_type, filename=filename)
    _refuse_too_many_pieces(text, name)
    segments, language = PARSERS[name](text)
    segments = _tidy(segments)
    if not segments:
        raise TranscriptError(f"no {LABELS[name]}")
    _refuse_wordless(segments)
    return ParsedTranscript(format=name, segments=segments, language=language)


# Control characters other than tabs and line breaks: a text file has next to none,
# random or binary bytes decoded as Windows-1252 or Latin-1 have about one in eight.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _refuse_binary(text: str) -> None:
    """A file that is not text (an MP3, an image, random bytes) or whose encoding is
    beyond repair is refused as such, never summarised as garbled words."""
    sample = text[:200_000]
    if not sample:
        return
    bad = len(_CONTROL.findall(sample))
    if bad > max(3, len(sample) // 100):
        raise TranscriptError(
            f"not a text transcript: {100 * bad / len(sample):.0f}% of its characters are "
            "control or undecodable characters (binary data, or an unknown encoding)"
        )


def _refuse_wordless(segments: list[Segment]) -> None:
    """Text without words (numbers, symbols, one long encoded blob) is no transcript."""
    # The first 50,000 tokens tell; a long transcript is not split whole for this.
    tokens = list(islice((t for segment in segments for t in segment.text.split()), 50_000))
    wordy = sum(1 for t in tokens if len(t) <= 30 and any(c.isalpha() for c in t))
    if wordy < max(1, len(tokens) // 2):
        raise TranscriptError(
            f"not a transcript: no words to read ({wordy} of {len(tokens)} tokens are words)"
        )


# What starts one cue (or object, or tag) in each format; plain text and SBV have
# their lines counted instead.
_PIECE_MARKS = {"vtt": "-->", "srt": "-->", "json": "{", "html": "<"}


def _refuse_too_many_pieces(text: str, name: str) -> None:
    """Refuse a transcript of more lines or cues than TRANSCRIPT_MAX_LINES/_CUES.

    The parsers spend Python objects and some microseconds on every line and every
    cue, which within the byte cap a hostile file multiplies by millions (15.5 MB of
    tiny cues took 23 s and 674 MB); str.count walks the text in C, in milliseconds.
    """
    max_lines, max_cues = limit("TRANSCRIPT_MAX_LINES"), limit("TRANSCRIPT_MAX_CUES")
    if text.count("\n") >= max_lines:
        raise TranscriptError(
            f"refused: the transcript has over {max_lines:,} lines (TRANSCRIPT_MAX_LINES)"
        )
    mark = _PIECE_MARKS.get(name)
    if mark and text.count(mark) > max_cues:
        pieces = {"json": "JSON objects", "html": "HTML tags"}.get(name, "cues")
        raise TranscriptError(
            f"refused: the transcript has over {max_cues:,} {pieces} (TRANSCRIPT_MAX_CUES)"
        )


def detect_format(text: str, *, content_type: str = "", filename: str = "") -> str:
    """The format name for this content.

    A declared type wins, except 'text/plain' (or a .txt name): servers label
    caption files text/plain so often that a recognisable timed file is read as
    what it is.
    """
    declared = CONTENT_TYPES.get(_mime(content_type)) or _extension_format(filename)
    sniffed = sniff_format(text)
    if declared and declared != "text":
        return declared
    if declared == "text" and sniffed in ("vtt", "srt", "sbv", "json"):
        return sniffed
    return declared or sniffed


_SRT_TIMING = re.compile(r"^\s*\d{1,3}:\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?\s*-->", re.MULTILINE)
_SBV_TIMING = re.compile(
    r"^\s*\d{1,3}:\d{1,2}:\d{1,2}\.\d{1,3}\s*,\s*\d{1,3}:\d{1,2}:\d{1,2}\.\d{1,3}\s*$", re.MULTILINE
)
# An object, or a list of objects: "[00:01] Ann: hi" is text that starts with a bracket.
_JSON_START = re.compile(r"\{|\[\s*[{\]]")
_HTML_SIGNATURE = re.compile(r"<(?:!doctype\s+html|html|body|p|cite|time|div)[\s>]", re.IGNORECASE)


def sniff_format(text: str) -> str:
    """Guess the format from the first few kilobytes of content."""
    head = text.lstrip()[:4096]
    if re.match(r"WEBVTT(?:[ \t\n]|$)", head):
        return "vtt"
    if _JSON_START.match(head):
        return "json"
    if head[:1] == "<" and _HTML_SIGNATURE.search(head):
        return "html"
    if _SRT_TIMING.search(head):
        return "srt"
    if _SBV_TIMING.search(head):
        return "sbv"
    return "text"


def _mime(content_type: str) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _extension_format(filename: str) -> str:
    """The format a file name (or a URL, whose query is ignored) suggests."""
    name = filename or ""
    if "://" in name:
        name = urlsplit(name).path
    name = name.rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    return EXTENSIONS.get(name[dot:], "") if dot >= 0 else ""


def _decode(data: bytes | str) -> str:
    """Text with a BOM removed and every line ending turned into a newline."""
    if isinstance(data, bytes):
        data = _decode_bytes(data)
    text = data.removeprefix("\ufeff").replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_bytes(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Old caption tools write Windows-1252; latin-1 never fails as a last resort.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


# --------------------------------------------------------------------------- timestamps


# Hours are bounded: past 999 (six weeks) a timestamp is garbage, not a long episode.
_TIMESTAMP = re.compile(r"^(?:(\d{1,3}):)?(\d{1,3}):(\d{1,2})(?:[.,](\d{1,3}))?$")


def parse_timestamp(value: str) -> float | None:
    """Seconds from 'HH:MM:SS.mmm', 'MM:SS,mmm', 'H:MM:SS' ...; None when malformed."""
    match = _TIMESTAMP.match(value.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total + (float(f"0.{fraction}") if fraction else 0.0)


# --------------------------------------------------------------------------- cue formats


@dataclass(slots=True)
class _Cue:
    start: float
    end: float
    lines: list[str] = field(default_factory=list)


Timing = Callable[[str], tuple[float, float] | None]
IsTiming = Callable[[str], bool]


def _read_cues(lines: Iterable[str], timing: Timing, is_timing: IsTiming) -> list[_Cue]:
    """Cues from caption lines: a timing line opens a cue, a blank line closes it.

    Lines before a timing line (cue ids, SRT indexes) are ignored; a cue whose
    timing is malformed is skipped with its text. A timing line inside a cue's
    text starts the next cue, since some writers omit the blank line.
    """
    cues: list[_Cue] = []
    current: _Cue | None = None
    for line in lines:
        if not line.strip():
            current = None
            continue
        if is_timing(line):
            if current is not None and current.lines and current.lines[-1].strip().isdigit():
                current.lines.pop()  # the next cue's index, written without a blank line
            times = timing(line)
            current = _Cue(times[0], times[1]) if times else None
            if current is not None:
                cues.append(current)
            continue
        if current is not None:
            current.lines.append(line)
    return [cue for cue in cues if cue.lines]


def _arrow_timing(line: str) -> tuple[float, float] | None:
    """'start --> end [settings]' as in WebVTT and SRT."""
    left, _, right = line.partition("-->")
    right_parts = right.split()
    if not right_parts:
        return None
    start, end = parse_timestamp(left), parse_timestamp(right_parts[0])
    if start is None or end is None:
        return None
    return start, end


def _has_arrow(line: str) -> bool:
    return "-->" in line


_VTT_HEADER = re.compile(r"WEBVTT(?:[ \t]|$)")
_VTT_SKIPPED_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_TAG = re.compile(r"<[^>]*>")


def _parse_vtt(text: str) -> tuple[list[Segment], str]:
    lines = text.split("\n")
    if not _VTT_HEADER.match(lines[0]):
        raise TranscriptError("not a WebVTT file: missing WEBVTT header")
    body_start = next(
        (i for i, line in enumerate(lines) if i and (not line.strip() or "-->" in line)), len(lines)
    )
    language = _header_value(lines[1:body_start], "language")
    cues = _read_cues(_without_vtt_blocks(lines[body_start:]), _arrow_timing, _has_arrow)
    segments: list[Segment] = []
    for cue in cues:
        voices = [v.strip() for v in _VOICE.findall("\n".join(cue.lines))]
        text_lines = [_vtt_text(line) for line in cue.lines]
        speaker = next((v for v in voices if v), "")
        segments.append(Segment(cue.start, cue.end, speaker, "\n".join(text_lines)))
    segments = _drop_rolling_repeats(segments)
    if not any(segment.speaker for segment in segments):
        # No voice tags: many exporters write "Name: words" in the cue text instead.
        segments = _speakers_from_prefixes(segments)
    return segments, language


def _without_vtt_blocks(lines: list[str]) -> Iterable[str]:
    """Leave out NOTE, STYLE and REGION blocks (a blank line ends each)."""
    skipping = False
    previous_blank = True
    for line in lines:
        blank = not line.strip()
        if previous_blank and not blank and _VTT_SKIPPED_BLOCK.match(line):
            skipping = True
        if blank:
            skipping = False
        if not skipping:
            yield line
        previous_blank = blank


def _vtt_text(line: str) -> str:
    # Voice, class, karaoke timestamp, ruby and style tags all go; entities are decoded.
    return html.unescape(_TAG.sub("", line)).strip()


def _header_value(lines: list[str], key: str) -> str:
    for line in lines:
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() == key:
            return value.strip()
    return ""


def _drop_rolling_repeats(segments: list[Segment]) -> list[Segment]:
    """YouTube's automatic captions repeat the previous line above the new one; keep it once.

    A cue that only repeats the previous one (same speaker) just extends its time.
    """
    kept: list[Segment] = []
    for segment in segments:
        lines = [line for line in segment.text.split("\n") if line.strip()]
        previous = kept[-1] if kept else None
        if previous is not None and previous.speaker == segment.speaker:
            before = previous.text.split("\n")
            if lines[: len(before)] == before:
                lines = lines[len(before) :]
            elif lines and lines[0] == before[-1]:
                lines = lines[1:]
            if not lines:
                previous.end = max(previous.end or 0.0, segment.end or 0.0)
                continue
        kept.append(Segment(segment.start, segment.end, segment.speaker, "\n".join(lines)))
    return kept


def _parse_srt(text: str) -> tuple[list[Segment], str]:
    cues = _read_cues(text.split("\n"), _arrow_timing, _has_arrow)
    return _prefixed_segments(cues, clean=_srt_text), ""


_ASS_OVERRIDE = re.compile(r"\{\\[^}]*\}")


def _srt_text(line: str) -> str:
    # SRT players honour <i>, <b>, <font> and ASS overrides like {\an8}: none is text.
    return html.unescape(_TAG.sub("", _ASS_OVERRIDE.sub("", line))).strip()


def _sbv_timing(line: str) -> tuple[float, float] | None:
    left, _, right = line.partition(",")
    start, end = parse_timestamp(left), parse_timestamp(right)
    if start is None or end is None:
        return None
    return start, end


_SBV_CANDIDATE = re.compile(r"^\s*\d+:[^\s,]*,[^\s,]*\d\s*$")


def _parse_sbv(text: str) -> tuple[list[Segment], str]:
    cues = _read_cues(text.split("\n"), _sbv_timing, lambda line: bool(_SBV_CANDIDATE.match(line)))
    return _prefixed_segments(cues, clean=_srt_text), ""


def _prefixed_segments(cues: list[_Cue], *, clean: Callable[[str], str]) -> list[Segment]:
    """One segment per cue, its lines joined, with speakers from 'Name:' prefixes."""
    segments = [
        Segment(cue.start, cue.end, "", " ".join(part for part in map(clean, cue.lines) if part))
        for cue in cues
    ]
    return _speakers_from_prefixes(_drop_rolling_repeats(segments))


def _speakers_from_prefixes(segments: list[Segment]) -> list[Segment]:
    """Speakers from 'Name: words'; a turn lasts until the next name."""
    named: list[Segment] = []
    speaker = ""
    for segment in segments:
        name, rest = split_speaker(segment.text)
        if name:
            speaker = name
        named.append(Segment(segment.start, segment.end, speaker, rest if name else segment.text))
    return named


# --------------------------------------------------------------------------- speakers


_SPEAKER = re.compile(
    r"^(?:>>\s*)?"
    r"(?P<name>[A-Z\u00C0-\u024F][\w.'’\-]*(?:[ \t]+[A-Z\u00C0-\u024F0-9][\w.'’\-]*){0,3})"
    # A role or affiliation in parentheses: "Jane Doe (Guest):", "Max (Acme, CTO):".
    r"(?P<role>[ \t]*\([^()\n]{1,40}\))?"
    r"[ \t]*:[ \t]+(?P<rest>\S.*)$",
    re.DOTALL,
)
# Words that start sentences like "Note: ..." but are never speakers.
_NOT_SPEAKERS = frozenset(
    [
        "note",
        "notes",
        "warning",
        "example",
        "update",
        "summary",
        "edit",
        "disclaimer",
        "transcript",
        "source",
        "tip",
        "important",
        "chapter",
        "http",
        "https",
    ]
)


def split_speaker(text: str) -> tuple[str, str]:
    """('Name', 'rest') for 'Name: rest', else ('', text)."""
    match = _SPEAKER.match(text.strip())
    if not match:
        return "", text
    name = match.group("name").strip()
    if len(name) > 40 or name.lower() in _NOT_SPEAKERS or name[-1] in ".-":
        return "", text
    if match.group("role"):
        name = f"{name} {match.group('role').strip()}"
    return name, match.group("rest").strip()


# --------------------------------------------------------------------------- JSON


def _parse_json(text: str) -> tuple[list[Segment], str]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise TranscriptError(f"invalid JSON transcript: {_one_line(error)}")
    raw = document.get("segments") if isinstance(document, dict) else document
    if not isinstance(raw, list):
        raise TranscriptError("not a JSON transcript: expected a 'segments' list")
    language = document.get("language", "") if isinstance(document, dict) else ""
    segments = [s for s in (_json_segment(item) for item in raw) if s is not None]
    if _word_level(segments):
        segments = _merge_words(segments)
    return segments, language if isinstance(language, str) else ""


def _json_segment(item: object) -> Segment | None:
    if not isinstance(item, dict):
        return None
    body = _first(item, "body", "text")
    if not isinstance(body, str):
        return None
    speaker = _first(item, "speaker", "speaker_name")
    return Segment(
        start=_seconds(_first(item, "startTime", "start")),
        end=_seconds(_first(item, "endTime", "end")),
        speaker=speaker.strip() if isinstance(speaker, str) else "",
        text=body,
    )


def _first(item: dict, *keys: str) -> object:
    return next((item[key] for key in keys if item.get(key) is not None), None)


def _seconds(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            seconds = float(value)
        except OverflowError:  # an integer too big for a float
            return None
        return seconds if math.isfinite(seconds) else None
    if isinstance(value, str):
        try:
            seconds = float(value)
        except ValueError:
            return parse_timestamp(value)
        return seconds if math.isfinite(seconds) else None
    return None


def _word_level(segments: list[Segment]) -> bool:
    """True when most segments are single words (as in the Podcasting 2.0 example)."""
    if len(segments) < 2:
        return False
    single = sum(1 for s in segments if len(s.text.split()) <= 1)
    return single * 2 > len(segments)


# Longer than 30 seconds of fast speech (the other bound on a phrase), when times allow.
MAX_PHRASE = 1000
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")


def _merge_words(words: list[Segment]) -> list[Segment]:
    """Join word-level segments into phrases: one per sentence, turn or pause, and at
    most MAX_PHRASE characters (words without times or punctuation would otherwise
    make one phrase of the whole file)."""
    merged: list[Segment] = []
    # The open phrase's words, joined once it closes: adding each word to a growing
    # string copies it every time, quadratic in the phrase's length.
    parts: list[str] = []
    size = 0
    for word in words:
        text = word.text.strip()
        last = merged[-1] if merged else None
        if last is not None and size < MAX_PHRASE and _continues(last, parts[-1], word):
            if text:
                parts.append(text)
                size += len(text) + 1
            last.end = word.end if word.end is not None else last.end
        else:
            if last is not None:
                last.text = " ".join(part for part in parts if part)
            merged.append(Segment(word.start, word.end, word.speaker, text))
            parts, size = [text], len(text)
    if merged:
        merged[-1].text = " ".join(part for part in parts if part)
    return merged


def _continues(phrase: Segment, last_word: str, word: Segment) -> bool:
    if phrase.speaker != word.speaker or _SENTENCE_END.search(last_word):
        return False
    if phrase.start is not None and word.end is not None and word.end - phrase.start > 30:
        return False
    return not (phrase.end is not None and word.start is not None and word.start - phrase.end > 2)


# --------------------------------------------------------------------------- HTML


# The same blocks and hidden elements as newsroom.text.html_to_text; this reader keeps
# more than text (who speaks, at what time), so it walks the elements itself.
_BLOCK_TAGS = BLOCK_TAGS
_HIDDEN_TAGS = HIDDEN_TAGS


class _TranscriptHTML(HTMLParser):
    """Collects ('cite' | 'time' | 'block', text) in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str]] = []
        self.language = ""
        self._buffer: list[str] = []
        self._kind = "block"
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html" and not self.language:
            self.language = next((v or "" for k, v in attrs if k == "lang"), "").strip()
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in ("cite", "time"):
            self._flush()
            self._kind = tag
        elif tag in _BLOCK_TAGS:
            self._flush()
        elif tag == "br":
            self._buffer.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in ("cite", "time") or tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = "".join(self._buffer)
        lines = [" ".join(line.split()) for line in text.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            self.parts.append((self._kind, text))
        self._buffer = []
        self._kind = "block"


def _parse_html(text: str) -> tuple[list[Segment], str]:
    reader = _TranscriptHTML()
    reader.feed(text)
    reader.close()
    if any(kind in ("cite", "time") for kind, _ in reader.parts):
        return _podcast_html_segments(reader.parts), reader.language
    lines = [line for _, block in reader.parts for line in (block.split("\n") + [""])]
    return _text_segments(lines), reader.language


def _podcast_html_segments(parts: list[tuple[str, str]]) -> list[Segment]:
    """Podcasting 2.0 HTML: <cite>Speaker:</cite> <time>0:00</time> <p>words</p>."""
    segments: list[Segment] = []
    speaker, start = "", None
    for kind, value in parts:
        if kind == "cite":
            speaker = value.strip().rstrip(":").strip()
        elif kind == "time":
            start = parse_timestamp(value)
        else:
            segments.append(Segment(start, None, speaker, value.replace("\n", " ")))
            start = None
    return segments


# --------------------------------------------------------------------------- plain text


_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_BRACKETED_TIME = re.compile(rf"^\s*[\[(]\s*({_TIME})\s*[\])]\s*[-–—:]?\s*")
_BARE_TIME = re.compile(rf"^\s*({_TIME})(?:\s*[-–—|]\s*|\s+|$)")
# Otter-style heading: "Jane Doe  0:03" alone on a line, the words follow below.
_SPEAKER_TIME_HEADING = re.compile(rf"^\s*([A-Z][^\d:\[\]()]{{0,40}}?)\s+[\[(]?({_TIME})[\])]?\s*$")
_SPEAKER_ONLY = re.compile(r"^\s*([A-Z][\w.'’\- ]{0,40}):\s*$")


def _parse_text(text: str) -> tuple[list[Segment], str]:
    return _text_segments(text.split("\n")), ""


@dataclass(slots=True)
class _TextState:
    segments: list[Segment] = field(default_factory=list)
    speaker: str = ""
    start: float | None = None
    open: Segment | None = None  # the segment continuation lines join


def _text_segments(lines: Sequence[str]) -> list[Segment]:
    """Segments from plain lines with optional '[hh:mm:ss]' and 'Speaker:' markers.

    A marker starts a new segment; an unmarked line continues the open one (hard
    wrapped prose) unless a blank line came first or the segment grew long.
    """
    state = _TextState()
    for raw in lines:
        line = raw.strip()
        if not line:
            state.open = None
            continue
        _read_text_line(state, line)
    return state.segments


def _read_text_line(state: _TextState, line: str) -> None:
    if heading := _SPEAKER_TIME_HEADING.match(line):
        name, _ = split_speaker(f"{heading.group(1)}: x")
        if name:
            state.speaker, state.start, state.open = name, parse_timestamp(heading.group(2)), None
            return
    if only := _SPEAKER_ONLY.match(line):
        name, _ = split_speaker(f"{only.group(1)}: x")
        if name:
            state.speaker, state.open = name, None
            return
    start, rest = _leading_time(line)
    named, rest = split_speaker(rest)
    if start is None:
        start, rest = _leading_time(rest)  # "Speaker: [00:01] words"
    if not rest:
        state.start = start if start is not None else state.start
        state.open = None
        return
    marked = start is not None or bool(named)
    if named:
        state.speaker = named
    if start is not None:
        state.start = start
    if state.open is not None and not marked and len(state.open.text) < MAX_TEXT_SEGMENT:
        state.open.text = f"{state.open.text} {rest}"
        return
    segment = Segment(state.start, None, state.speaker, rest)
    state.segments.append(segment)
    state.open, state.start = segment, None


def _leading_time(line: str) -> tuple[float | None, str]:
    for pattern in (_BRACKETED_TIME, _BARE_TIME):
        match = pattern.match(line)
        if match and (seconds := parse_timestamp(match.group(1))) is not None:
            return seconds, line[match.end() :].strip()
    return None, line


PARSERS: dict[str, Callable[[str], tuple[list[Segment], str]]] = {
    "vtt": _parse_vtt,
    "srt": _parse_srt,
    "sbv": _parse_sbv,
    "json": _parse_json,
    "html": _parse_html,
    "text": _parse_text,
}
LABELS = {
    "vtt": "cues found in WebVTT file",
    "srt": "cues found in SRT file",
    "sbv": "captions found in SBV file",
    "json": "segments with text found in JSON transcript",
    "html": "text found in HTML transcript",
    "text": "text found in transcript",
}


# --------------------------------------------------------------------------- tidying


def _tidy(segments: list[Segment]) -> list[Segment]:
    """Clean text and make times sane: never negative, never ending before they start,
    in order, and not overlapping the next segment."""
    cleaned = [_clean_segment(s) for s in segments]
    cleaned = [s for s in cleaned if s.text]
    if cleaned and all(s.start is not None for s in cleaned):
        cleaned.sort(key=lambda s: s.start or 0.0)  # stable: equal starts keep file order
    for current, following in zip(cleaned, cleaned[1:], strict=False):
        if (
            current.end is not None
            and following.start is not None
            and current.start is not None
            and current.end > following.start >= current.start
        ):
            current.end = following.start
    return cleaned


def _clean_segment(segment: Segment) -> Segment:
    text = " ".join(segment.text.split())
    start = _non_negative(segment.start)
    end = _non_negative(segment.end)
    if start is not None and end is not None and end < start:
        end = start
    return Segment(start, end, " ".join(segment.speaker.split())[:100], text)


def _non_negative(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(max(0.0, value), 3)


# --------------------------------------------------------------------------- choosing


def link_format(link: TranscriptLink) -> str:
    """The format a transcript link promises: from its type, else its URL's extension."""
    return CONTENT_TYPES.get(_mime(link.type)) or _extension_format(link.url)


def choose_transcript(links: Sequence[TranscriptLink], *, language: str) -> TranscriptLink | None:
    """The best link: in the episode's language if there is one, then the richest format."""
    usable = [link for link in links if link.url.strip()]
    if not usable:
        return None

    def score(indexed: tuple[int, TranscriptLink]) -> tuple[int, int, int]:
        position, link = indexed
        return (
            _language_score(link.language, language),
            FORMAT_RANK.get(link_format(link), 0),
            -position,
        )

    return max(enumerate(usable), key=score)[1]


def _language_score(offered: str, wanted: str) -> int:
    offered, wanted = offered.strip().lower(), wanted.strip().lower()
    if not offered or not wanted:
        return 2  # unlabelled: most likely the episode's own language
    if offered == wanted:
        return 4
    if offered.split("-")[0] == wanted.split("-")[0]:
        return 3
    return 0


def _one_line(value: object) -> str:
    return " ".join(str(value).split())
