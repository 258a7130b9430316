"""Load the demo corpus (demo/) through the same code production uses.

The feeds go through the pipeline's poll step (ingestion/pipeline.py), transcripts through
the same parser and `transcript_store`, digests through the pipeline's digests step.
Only the network is replaced: the demo's transcript URLs point at an invented
host, so each one is read from demo/transcripts/ by the last segment of its URL.

The demo is placed at the moment the command runs: its newest day of episodes lands
today (earlier today, never in the future) and the others on the days before, as far
apart as in the feeds (two weeks). Its pictures and players use the demo's own media,
served by this site as static files (demo/media/, see demo/README.md).

Running it again creates nothing twice (articles are unique per source and guid,
transcripts and digests per article): it only moves the demo's articles to the new
day and points them at the media again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from tqdm import tqdm

from articles.models import Article
from ingestion import pipeline
from ingestion import services as ingestion_services
from ingestion.feeds import ParsedEpisode, parse_feed
from ingestion.management.base import IngestionCommand, UsageError
from ingestion.models import Source, Transcript
from ingestion.transcripts import parse_transcript
from topics.models import Topic

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
# Where demo/media/ is served (settings.STATICFILES_DIRS gives it this prefix).
MEDIA_PREFIX = "demo"
AUDIO_TYPE = "audio/ogg"


def demo_schedule(published: list[datetime], now: datetime) -> dict[datetime, datetime]:
    """Each feed date moved to the days before `now`, keeping the feed's calendar.

    The feed's newest day becomes today and each earlier day as many days before it,
    at the same time of day. Today's episodes are spread over the hours already gone
    (their times scaled into midnight..now), so none is in the future and Today shows
    the same episodes whatever the hour.
    """
    if not published:
        return {}
    tz = timezone.get_current_timezone()
    local_now = timezone.localtime(now, tz)
    today = local_now.date()
    midnight = timezone.make_aware(datetime.combine(today, time.min), tz)
    elapsed = max(local_now - midnight, timedelta(0))
    newest_day = max(p.astimezone(UTC).date() for p in published)
    placed = {}
    for when in published:
        stamp = when.astimezone(UTC)
        days_back = (newest_day - stamp.date()).days
        of_day = timedelta(hours=stamp.hour, minutes=stamp.minute, seconds=stamp.second)
        if days_back == 0:
            placed[when] = midnight + elapsed * (of_day / timedelta(days=1))
        else:
            day = today - timedelta(days=days_back)
            placed[when] = timezone.make_aware(datetime.combine(day, time.min), tz) + of_day
    return placed


class Command(IngestionCommand):
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
        episodes = {
            e["slug"]: parse_feed(feeds[e["slug"]], url=e["feed_url"]).episodes for e in entries
        }
        schedule = demo_schedule(
            [ep.published for eps in episodes.values() for ep in eps if ep.published],
            timezone.now(),
        )
        media = _DemoMedia(root)

        new_articles: list[int] = []
        moved = 0
        for entry in entries:
            source = self._source(entry)
            # The pipeline's first step; the demo runs the next ones itself, below.
            result = pipeline.poll_step(
                source=source, data=feeds[entry["slug"]], then=pipeline.Noted()
            )
            if result.error:
                raise UsageError(f"{entry['slug']}: {result.error}")
            new_articles += result.new_article_ids
            by_guid = {(ep.guid or "")[:1000]: ep for ep in episodes[entry["slug"]]}
            for article in Article.objects.filter(source=source, guid__in=list(by_guid)):
                episode = by_guid[article.guid]
                moved += self._place(
                    article,
                    when=schedule.get(episode.published) if episode.published else None,
                    values=media.for_episode(entry["slug"], episode),
                )

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
                pipeline.digests_step(article=article)

        demo = Article.objects.filter(source__slug__in=feeds)
        counts = {s: demo.filter(status=s).count() for s in Article.Status.values}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        self.stdout.write(
            f"demo: {len(entries)} sources, {len(new_articles)} new episodes, "
            f"{moved} dated anew from today ({summary})"
        )

    def _place(self, article: Article, *, when: datetime | None, values: dict) -> int:
        """Move the article to its demo date and point it at the demo's media.
        Returns 1 when its date changed."""
        if when is not None:
            values = {**values, "published_at": when}
        changed = [k for k, v in values.items() if getattr(article, k) != v]
        if not changed:
            return 0
        for key in changed:
            setattr(article, key, values[key])
        # A save, not update(): the page cache hears of it (none of these is indexed text).
        article.save(update_fields=[*changed, "updated_at"])
        return int("published_at" in changed)

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
            ingestion_services.transcript_store(
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
        ingestion_services.transcript_fetch(article=article, skip=("feed", "captions", "stt"))


class _DemoMedia:
    """The demo's own artwork and audio (demo/media/), as absolute URLs on this site.

    Absolute (SITE_URL), as any image or enclosure URL is: feeds, the API and social
    cards need them so, and the admin's URL fields accept them. The article page shows
    media on this site by path, so they load whatever host name the reader used.
    """

    def __init__(self, root: Path) -> None:
        self.folder = root / "media"
        index = root / "audio.json"
        self.seconds = (
            {k: v.get("seconds") for k, v in json.loads(index.read_text("utf-8")).items()}
            if index.is_file()
            else {}
        )

    def url(self, path: str) -> str:
        name = f"{MEDIA_PREFIX}/{path}"
        try:
            address = static(name)
        except ValueError:  # hashed static files, and collectstatic has not run yet
            address = f"{settings.STATIC_URL}{name}"
        return address if "://" in address else f"{settings.SITE_URL}{address}"

    def for_episode(self, slug: str, episode: ParsedEpisode) -> dict:
        values = {}
        if (self.folder / "art" / f"{slug}.svg").is_file():
            values["image_url"] = self.url(f"art/{slug}.svg")
        # The audio's stem: the video's id, or that of the feed's enclosure file.
        stem = episode.video_id or Path(episode.audio_url.rsplit("/", 1)[-1]).stem
        if stem and (self.folder / "audio" / f"{stem}.opus").is_file():
            values["audio_url"] = self.url(f"audio/{stem}.opus")
            values["audio_type"] = AUDIO_TYPE
            if not episode.duration_seconds and self.seconds.get(stem):
                # YouTube-style feeds give no length; the demo's audio has one.
                values["duration_seconds"] = self.seconds[stem]
        return values
