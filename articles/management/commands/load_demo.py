"""Load the demo corpus (demo/) through the same code production uses.

The feeds are parsed and upserted by `services.source_poll`, transcripts by the
same parser and `services.transcript_store`, digests by `services.digest_make`.
Only the network is replaced: the demo's transcript URLs point at an invented
host, so each one is read from demo/transcripts/ by the last segment of its URL.
Dates are moved so that the newest episode is today. Running it again changes
nothing (articles are unique per source and guid).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from tqdm import tqdm

from articles import services
from articles.ingestion.feeds import parse_feed
from articles.ingestion.transcripts import parse_transcript
from articles.management.base import CleanCommand, UsageError
from articles.models import Article, Source, Transcript
from topics.models import Topic

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


class Command(CleanCommand):
    help = "Load the demo corpus through the ingestion and digest pipeline (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(DEMO_DIR), help="the demo folder")

    def handle(self, *args, **options):
        root = Path(options["path"])
        manifest = root / "sources.json"
        if not manifest.is_file():
            raise UsageError(f"{manifest}: no such file")
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        feeds = {e["slug"]: (root / "feeds" / e["feed_file"]).read_bytes() for e in entries}
        shift = self._date_shift(feeds.values())

        new_articles: list[Article] = []
        for entry in entries:
            source = self._source(entry)
            result = services.source_poll(source=source, data=feeds[entry["slug"]])
            if result.error:
                raise UsageError(f"{entry['slug']}: {result.error}")
            created = list(Article.objects.filter(pk__in=result.new_article_ids))
            for article in created:
                Article.objects.filter(pk=article.pk).update(
                    published_at=article.published_at + shift
                )
            new_articles += created

        pending = [
            a
            for a in Article.objects.filter(source__slug__in=feeds).exclude(
                status__in=[Article.Status.PUBLISHED, Article.Status.REVIEW, Article.Status.HIDDEN]
            )
        ]
        for article in tqdm(
            pending,
            desc="demo episodes",
            unit="episode",
            disable=not self.stdout.isatty() and not options.get("progress"),
        ):
            self._transcript(article, root / "transcripts")
            if Transcript.objects.filter(article=article).exists():
                services.digest_make(article=article)

        counts = {s: Article.objects.filter(status=s).count() for s in Article.Status.values}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        self.stdout.write(
            f"demo: {len(entries)} sources, {len(new_articles)} new episodes ({summary})"
        )

    def _date_shift(self, feeds) -> timedelta:
        newest = None
        for data in feeds:
            for episode in parse_feed(data).episodes:
                if episode.published and (newest is None or episode.published > newest):
                    newest = episode.published
        if newest is None:
            return timedelta(0)
        now = timezone.now()
        # Whole days, and never into the future: the newest episode lands earlier today.
        days = (now.date() - newest.date()).days
        shift = timedelta(days=days)
        if newest + shift > now:
            shift -= timedelta(days=1)
        return shift

    def _source(self, entry: dict) -> Source:
        source = Source.objects.filter(feed_url=entry["feed_url"]).first()
        if source:
            return source
        return Source.objects.create(
            slug=entry["slug"],
            name=entry["name"],
            kind=entry["kind"],
            feed_url=entry["feed_url"],
            site_url=entry.get("site_url", ""),
            language=entry["language"],
            default_topic=Topic.objects.filter(slug=entry.get("topic") or "").first(),
            # The demo's host is invented: never poll it for real.
            active=False,
        )

    def _transcript(self, article: Article, folder: Path) -> None:
        if Transcript.objects.filter(article=article).exists():
            return
        candidates = []
        for link in article.transcript_links or []:
            candidates.append((Transcript.Origin.FEED, link.get("url", ""), link.get("type", "")))
        if article.video_id:
            candidates.append((Transcript.Origin.CAPTIONS, f"{article.video_id}.vtt", "text/vtt"))
        for origin, url, mime in candidates:
            path = folder / url.rstrip("/").rsplit("/", 1)[-1]
            if not path.is_file():
                continue
            parsed = parse_transcript(path.read_bytes(), content_type=mime, filename=path.name)
            services.transcript_store(
                article=article,
                origin=origin,
                segments=parsed.segments,
                format=parsed.format,
                language=article.language,
                source_url=url if "://" in url else "",
                provenance=[
                    {
                        "step": "feed" if origin == "feed" else "captions",
                        "outcome": "used",
                        "reason": f"demo file {path.name}",
                    }
                ],
            )
            return
        # No transcript at all: the chain falls back to the show notes.
        services.transcript_fetch(article=article, skip=("feed", "captions", "stt"))
