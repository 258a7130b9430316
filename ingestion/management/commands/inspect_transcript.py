"""manage.py inspect_transcript PATH_OR_URL [--type MIME] [--json]: parse a transcript.

Reads WebVTT, SRT, SBV, Podcasting 2.0 JSON and HTML, and plain text (one
'Speaker: words' turn per line works, from stdin with '-'). Nothing is stored.
Unusable input ends in one `error: ...` line on stderr and exit status 2.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from articles.transcript_data import ParsedTranscript
from ingestion.management.base import IngestionCommand
from ingestion.management.inputs import read_input
from ingestion.transcripts import MAX_TRANSCRIPT_BYTES, parse_transcript


class Command(IngestionCommand):
    # Parsing needs no system checks, and running them would import every URL conf,
    # the API and the search stemmers: most of this command's start-up time.
    requires_system_checks: list[str] = []
    help = (
        "Parse a transcript (WebVTT, SRT, YouTube SBV, Podcasting 2.0 JSON or HTML, or "
        "plain text) from a local file, an http(s) URL or '-' for stdin, without storing "
        "anything, and print its segments: a readable listing, or JSON with --json."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "source",
            metavar="PATH_OR_URL",
            help="a transcript file, an http(s) URL (fetched with the SSRF-safe fetcher), or '-'",
        )
        parser.add_argument(
            "--type",
            metavar="MIME",
            default="",
            help=(
                "the transcript's MIME type (text/vtt, application/x-subrip, application/json, "
                "text/html, text/plain); by default the server's type, the file name, then the "
                "content decide"
            ),
        )
        parser.add_argument(
            "--json", action="store_true", help="print JSON: format, segments and word count"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit = getattr(settings, "FETCH_MAX_TRANSCRIPT_BYTES", MAX_TRANSCRIPT_BYTES)
        source = options["source"]
        data, url, served_type = read_input(source, max_bytes=limit)
        filename = urlsplit(url).path if url else ("" if source == "-" else source)
        transcript = parse_transcript(
            data, content_type=options["type"] or served_type, filename=filename
        )
        if options["json"]:
            self.stdout.write(json.dumps(transcript_as_json(transcript), indent=2))
        else:
            self.stdout.write(transcript_summary(transcript))


def transcript_as_json(transcript: ParsedTranscript) -> dict[str, Any]:
    return {
        "format": transcript.format,
        "segments": [segment.as_dict() for segment in transcript.segments],
        "words": transcript.words,
    }


def transcript_summary(transcript: ParsedTranscript) -> str:
    speakers = list(dict.fromkeys(s.speaker for s in transcript.segments if s.speaker))
    head = f"{transcript.format}: {len(transcript.segments)} segments, {transcript.words} words"
    if transcript.language:
        head += f", language {transcript.language}"
    lines = [head]
    if speakers:
        lines.append("speakers: " + ", ".join(speakers))
    for segment in transcript.segments:
        when = _clock(segment.start) if segment.start is not None else "--:--:--"
        who = f"{segment.speaker}: " if segment.speaker else ""
        lines.append(f"[{when}] {who}{segment.text}")
    return "\n".join(lines)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
