"""manage.py inspect_feed PATH_OR_URL [--json]: parse a feed and show it, storing nothing.

Useful before adding a source ("what would we see in this feed?") and for checking
the parser against real feeds. Unusable input ends in one `error: ...` line on
stderr and exit status 2 (see IngestionCommand).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from ingestion.feeds import MAX_FEED_BYTES, ParsedEpisode, ParsedFeed, parse_feed
from ingestion.management.base import IngestionCommand
from ingestion.management.inputs import read_input


class Command(IngestionCommand):
    # Parsing needs no system checks, and running them would import every URL conf,
    # the API and the search stemmers: most of this command's start-up time.
    requires_system_checks: list[str] = []
    help = (
        "Parse a feed (RSS, Atom, JSON Feed, podcast or YouTube channel) from a local file, "
        "an http(s) URL or '-' for stdin, without storing anything, and print what was "
        "found: a readable summary, or JSON with --json."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "source",
            metavar="PATH_OR_URL",
            help="a feed file, an http(s) URL (fetched with the SSRF-safe fetcher), or '-'",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print JSON: title, link, language, kind and the episodes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit = getattr(settings, "FETCH_MAX_FEED_BYTES", MAX_FEED_BYTES)
        data, url, _ = read_input(options["source"], max_bytes=limit)
        feed = parse_feed(data, url=url)
        if feed.warning:
            self.stderr.write(f"warning: {feed.warning}")
        if options["json"]:
            self.stdout.write(json.dumps(feed_as_json(feed), indent=2))
        else:
            self.stdout.write(feed_summary(feed))


def feed_as_json(feed: ParsedFeed) -> dict[str, Any]:
    return {
        "title": feed.title,
        "link": feed.link,
        "language": feed.language,
        "kind": feed.kind,
        "episodes": [_episode_as_json(episode) for episode in feed.episodes],
    }


def _episode_as_json(episode: ParsedEpisode) -> dict[str, Any]:
    return {
        "guid": episode.guid,
        "title": episode.title,
        "link": episode.link,
        "published": episode.published.isoformat() if episode.published else None,
        "duration_seconds": episode.duration_seconds,
        "audio_url": episode.audio_url,
        "video_url": episode.video_url,
        "description_html": episode.description_html,
        "transcripts": [
            {"url": t.url, "type": t.type, "language": t.language, "rel": t.rel}
            for t in episode.transcripts
        ],
        "chapters_url": episode.chapters_url,
    }


def feed_summary(feed: ParsedFeed) -> str:
    language = f", {feed.language}" if feed.language else ""
    lines = [f"{feed.title or '(untitled feed)'} ({feed.kind}{language})"]
    if feed.link:
        lines.append(feed.link)
    lines.append(f"{len(feed.episodes)} episode{'s' if len(feed.episodes) != 1 else ''}")
    for episode in feed.episodes:
        lines.extend(_episode_summary(episode))
    return "\n".join(lines)


def _episode_summary(episode: ParsedEpisode) -> list[str]:
    date = episode.published.strftime("%Y-%m-%d") if episode.published else "----------"
    lines = [f"- {date}  {_clock(episode.duration_seconds)}  {episode.title or '(untitled)'}"]
    for label, value in (
        ("audio", episode.audio_url),
        ("video", episode.video_url),
        ("link", episode.link if not (episode.audio_url or episode.video_url) else ""),
        ("chapters", episode.chapters_url),
    ):
        if value:
            lines.append(f"    {label}: {value}")
    for transcript in episode.transcripts:
        details = ", ".join(x for x in (transcript.type, transcript.language, transcript.rel) if x)
        lines.append(f"    transcript: {transcript.url}" + (f" ({details})" if details else ""))
    return lines


def _clock(seconds: int | None) -> str:
    if seconds is None:
        return "   --:--"
    hours, rest = divmod(seconds, 3600)
    return f"{hours:2d}:{rest // 60:02d}:{rest % 60:02d}"
