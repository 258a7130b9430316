"""manage.py digest PATH|- [--language en|fr] [--backend extractive|llm] [--json]

Makes a digest from a transcript file or stdin without touching the database, so
that operators can try a backend on an episode and benchmarks can run it in bulk.
Any transcript format the ingestion parser reads works; from stdin, one
`Speaker: text` turn per line is the simplest. The topic is chosen among the
starting topics (topics/defaults.py). Unusable input ends in one `error: ...` line
on stderr and exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from digests.backends import default_topic_choices, get_summarizer
from digests.base import DigestData, SummarizationError, TranscriptInput
from digests.extractive import detect_language
from digests.services import digest_summarize
from ingestion.management.base import IngestionCommand, UsageError
from ingestion.transcripts import MAX_TRANSCRIPT_BYTES, parse_transcript


class Command(IngestionCommand):
    help = (
        "Write a digest of a transcript file (or '-' for stdin: one 'Speaker: text' turn per "
        "line) and print it; nothing is stored."
    )
    expected_errors = (*IngestionCommand.expected_errors, SummarizationError)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", metavar="PATH", help="a transcript file, or '-' for stdin")
        parser.add_argument(
            "--language",
            choices=["en", "fr"],
            help="the digest's language (default: the transcript's, detected from its words)",
        )
        parser.add_argument(
            "--backend",
            choices=["extractive", "llm"],
            help="the summariser (default: settings.SUMMARIZER_BACKEND)",
        )
        parser.add_argument("--json", action="store_true", help="print the digest as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["source"]
        data = _read(source)
        parsed = parse_transcript(data, filename="" if source == "-" else source)
        text = " ".join(s.text for s in parsed.segments)
        if not text.strip():
            raise UsageError("the transcript has no words")
        own = (parsed.language or detect_language(text)).split("-")[0].lower()
        language = options["language"] or own
        summarizer = get_summarizer(options["backend"])
        transcript = TranscriptInput(segments=parsed.segments, language=own)
        digest = digest_summarize(
            summarizer, transcript, language=language, topics=default_topic_choices(language)
        )
        if options["json"]:
            self.stdout.write(json.dumps(digest_json(digest), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(digest_text(digest))


def _read(source: str) -> bytes:
    """The transcript's bytes, refusing more than the ingestion limit."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_TRANSCRIPT_BYTES + 1)
    else:
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"no such file: {source}")
        with path.open("rb") as handle:
            data = handle.read(MAX_TRANSCRIPT_BYTES + 1)
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise UsageError(f"transcript too large: over {MAX_TRANSCRIPT_BYTES} bytes")
    if not data.strip():
        raise UsageError("empty transcript: no text to summarise")
    return data


def digest_json(digest: DigestData) -> dict[str, Any]:
    """The digest's public fields, in the shape the benchmarks and scripts read."""
    return {
        "language": digest.language,
        "tldr": digest.tldr,
        "key_points": [
            {"heading": k.heading, "body": k.body, "start": k.start, "quote": k.quote}
            for k in digest.key_points
        ],
        "conclusion": digest.conclusion,
        "score": digest.score,
        "score_parts": digest.score_parts,
        "topic": digest.topic,
        "tags": digest.tags,
        "backend": digest.backend,
        "model": digest.model,
    }


def digest_text(digest: DigestData) -> str:
    """A plain reading of the digest for a terminal."""
    lines = [f"TL;DR  {digest.tldr}", "", "Key points"]
    for point in digest.key_points:
        at = "" if point.start is None else f" [{_clock(point.start)}]"
        lines += [f"- {point.heading}{at}", f"  {point.body}", f'  "{point.quote}"']
    parts = ", ".join(f"{k} {v:.1f}" for k, v in digest.score_parts.items())
    lines += [
        "",
        f"Conclusion  {digest.conclusion}",
        "",
        f"Score {digest.score:.1f}/10 ({parts})",
        f"Topic {digest.topic or '-'}; tags: {', '.join(digest.tags) or '-'}",
        f"Backend {digest.backend}{' ' + digest.model if digest.model else ''}",
    ]
    return "\n".join(lines)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
