"""Writes of ingestion: sources, their polls, the episodes stored as articles, transcripts.

Each function is keyword-only and does one job that touches several models or the
outside world. Network I/O (feeds, transcripts) happens outside any transaction; the
write that follows locks the row and re-checks that its input did not change
meanwhile, so a slow worker never overwrites a newer result. Celery tasks (tasks.py)
are thin wrappers around these functions; pipeline.py says their order.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from articles import events
from articles.models import Article
from articles.services import article_note, article_transition, unique_slug
from articles.states import log_message
from articles.transcript_data import Segment
from ingestion.errors import ParseError
from ingestion.feeds import ParsedEpisode, ParsedFeed, parse_feed
from ingestion.fetch import FetchError, fetch_url
from ingestion.models import IngestionLog, Source, Transcript
from topics.models import Topic

logger = logging.getLogger(__name__)


# A failing source waits poll_interval * 2**failures, capped here, before it is tried again.
MAX_BACKOFF = timedelta(hours=24)


@dataclass
class PollResult:
    source_id: int
    outcome: str
    new_article_ids: list[int] = field(default_factory=list)
    updated: int = 0
    seen: int = 0
    skipped: int = 0
    error: str = ""
    warning: str = ""  # read, with a problem worth telling (broken XML, items recovered)

    def describe(self) -> str:
        """What the poll did, as commands and the admin's action say it."""
        if self.error:
            return f"failed: {self.error}"
        if self.outcome == IngestionLog.Outcome.NOT_MODIFIED:
            return "feed not modified since the last poll"
        return (
            f"episodes {len(self.new_article_ids)} new, {self.updated} updated, "
            f"{self.skipped} skipped"
        )


def source_create(
    *,
    feed_url: str,
    kind: str,
    language: str = "en",
    name: str = "",
    topic: Topic | None = None,
    site_url: str = "",
) -> Source:
    """Add a source. Without a name (the feed's title, usually), it is named after its
    URL ("example.org/feeds/podcast") until the first poll reads the feed's title; the
    slug follows the name and stays put (editors may change it)."""
    from django.core.exceptions import ValidationError

    name = " ".join(name.split())[:200] or _name_from_url(feed_url)
    source = Source(
        feed_url=feed_url,
        kind=kind,
        language=language,
        name=name,
        default_topic=topic,
        site_url=site_url,
    )
    source.slug = unique_slug(Source, name.replace(".", " ").replace("/", " "), fallback="source")
    try:
        source.full_clean()
    except ValidationError as exc:
        # One line per field, each message once (a URL field can say "Enter a valid
        # URL." twice: once for the model's validator and once for the form's).
        raise ValueError(
            "; ".join(f"{k}: {' '.join(dict.fromkeys(v))}" for k, v in exc.message_dict.items())
        ) from None
    source.save()
    return source


def _name_from_url(url: str) -> str:
    """'https://www.example.org/feeds/podcast.xml?x=1' -> 'example.org/feeds/podcast'."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = "/".join(p.rsplit(".", 1)[0] for p in parts.path.split("/") if p)
    return f"{host}/{path}".strip("/")[:200] or url[:200]


def source_feed_check(*, feed_url: str) -> ParsedFeed:
    """Fetch and read a feed that is not a source yet, through the guarded fetcher and
    the same parser as a poll. Raises FetchError (refused, unreachable, an HTTP error)
    or FeedError (not a feed), each with the reason; saves nothing."""
    fetched = fetch_url(feed_url, max_bytes=settings.FETCH_MAX_FEED_BYTES)
    return parse_feed(fetched.content, url=fetched.url or feed_url)


def source_poll(*, source: Source, data: bytes | None = None) -> PollResult:
    """Fetch a source's feed (or use `data`), upsert its episodes, record the outcome.

    Never raises for a broken feed: the error is recorded on the source (shown in
    the admin) with an exponential back-off, and the ingestion log gets a line.
    """
    log = IngestionLog.objects.create(source=source)
    result = PollResult(source_id=source.pk, outcome=IngestionLog.Outcome.OK)
    try:
        if data is None:
            fetched = fetch_url(
                source.feed_url,
                max_bytes=settings.FETCH_MAX_FEED_BYTES,
                etag=source.etag,
                last_modified=source.last_modified,
            )
            log.http_status = fetched.status
            if fetched.not_modified:
                result.outcome = IngestionLog.Outcome.NOT_MODIFIED
                _source_record_success(
                    source, etag=fetched.etag, last_modified=fetched.last_modified
                )
                return _finish_log(log, result)
            data = fetched.content
            etag, last_modified = fetched.etag, fetched.last_modified
        else:
            etag, last_modified = source.etag, source.last_modified
        feed = parse_feed(data, url=source.feed_url)
    except (FetchError, ParseError) as exc:
        result.outcome = IngestionLog.Outcome.ERROR
        result.error = str(exc) or exc.__class__.__name__
        _source_record_failure(source, result.error)
        return _finish_log(log, result)

    _source_update_from_feed(source, feed)
    result.warning = feed.warning
    episodes = _without_old_backlog(source, feed.episodes, result)
    # One event per poll at the end rather than one per saved row.
    with events.batched():
        for episode in episodes:
            result.seen += 1
            article, created = article_upsert(source=source, entry=episode)
            if created:
                result.new_article_ids.append(article.pk)
            elif article is not None:
                result.updated += 1
    _source_record_success(source, etag=etag, last_modified=last_modified)
    return _finish_log(log, result)


def _without_old_backlog(
    source: Source, episodes: list[ParsedEpisode], result: PollResult
) -> list[ParsedEpisode]:
    """At most INGEST_MAX_NEW_PER_POLL new episodes per poll: the newest ones.

    A podcast's feed often carries its whole back catalogue (thousands of episodes);
    each new article costs a transcript and a digest (LLM tokens), and readers come
    for news. Older episodes past the limit are skipped and counted in the log; an
    editor can still ingest them with `manage.py ingest`.
    """
    limit = settings.INGEST_MAX_NEW_PER_POLL
    if not limit or len(episodes) <= limit:
        return episodes
    guids = [(e.guid or "")[:1000] for e in episodes]
    stored = Article.objects.filter(source=source)
    known = set(stored.filter(guid__in=guids).values_list("guid", flat=True))
    new = [e for e in episodes if (e.guid or "")[:1000] not in known]
    # Episodes older than anything stored are the backlog skipped before: skip them
    # again, or each poll would take the next batch of the back catalogue.
    oldest_stored = stored.aggregate(oldest=Min("published_at"))["oldest"]
    if oldest_stored is not None:
        new = [e for e in new if e.published is None or e.published >= oldest_stored]
    epoch = timezone.now().replace(year=1970)
    new.sort(key=lambda e: e.published or epoch, reverse=True)
    kept = {id(e) for e in new[:limit]}
    result.skipped = len(episodes) - len(known) - len(kept)
    return [e for e in episodes if (e.guid or "")[:1000] in known or id(e) in kept]


def _finish_log(log: IngestionLog, result: PollResult) -> PollResult:
    log.finished_at = timezone.now()
    log.outcome = result.outcome
    log.items_seen = result.seen
    log.items_new = len(result.new_article_ids)
    log.items_updated = result.updated
    log.items_skipped = result.skipped
    # A warning (items recovered from broken XML) is kept where the editors read errors.
    log.error = result.error or (f"warning: {result.warning}" if result.warning else "")
    log.save()
    return result


def _source_update_from_feed(source: Source, feed: ParsedFeed) -> None:
    changed = {}
    # A name still made from the URL (added with --no-check, or before this naming
    # rule) gives way to the feed's title; a name an editor chose stays.
    named_after_url = source.name == _name_from_url(source.feed_url) or source.name.startswith(
        ("http", source.feed_url.split("//", 1)[-1][:20])
    )
    if feed.title and named_after_url:
        changed["name"] = feed.title[:200]
    if feed.link and not source.site_url and feed.link.startswith(("http://", "https://")):
        changed["site_url"] = feed.link[:2000]
    if changed:
        Source.objects.filter(pk=source.pk).update(**changed)
        for key, value in changed.items():
            setattr(source, key, value)
        if "name" in changed:
            # The source's name shows on pages and is indexed with each of its articles.
            events.site_changed()
            events.articles_changed(source.articles.values_list("pk", flat=True), visible=True)


def _source_record_success(source: Source, *, etag: str, last_modified: str) -> None:
    now = timezone.now()
    values = {
        "etag": (etag or "")[:500],
        "last_modified": (last_modified or "")[:100],
        "last_polled_at": now,
        "last_success_at": now,
        "consecutive_failures": 0,
        "last_error": "",
        "next_poll_at": now + source.poll_interval,
    }
    Source.objects.filter(pk=source.pk).update(**values)
    for key, value in values.items():
        setattr(source, key, value)


def _source_record_failure(source: Source, error: str) -> None:
    now = timezone.now()
    failures = source.consecutive_failures + 1
    delay = min(source.poll_interval * (2 ** min(failures, 10)), MAX_BACKOFF)
    # Jitter spreads retries of many sources that failed together (a shared CDN outage).
    delay = delay * random.uniform(0.9, 1.1)
    values = {
        "last_polled_at": now,
        "consecutive_failures": failures,
        "last_error": error[:2000],
        "next_poll_at": now + delay,
    }
    Source.objects.filter(pk=source.pk).update(**values)
    for key, value in values.items():
        setattr(source, key, value)
    logger.warning("source %s failed (%d in a row): %s", source.slug, failures, error)


def sources_claim_due(*, now=None, limit: int = 100) -> list[int]:
    """Ids of active sources whose poll is due, pushed forward so no one claims them twice.

    The UPDATE ... WHERE next_poll_at <= now is the claim: two beats (or a beat that
    restarted) racing over the same source cannot both win it.
    """
    now = now or timezone.now()
    due = list(
        Source.objects.filter(active=True, next_poll_at__lte=now)
        .order_by("next_poll_at")
        .values_list("pk", "poll_interval")[:limit]
    )
    claimed = []
    for pk, interval in due:
        won = Source.objects.filter(pk=pk, next_poll_at__lte=now).update(
            next_poll_at=now + max(interval, timedelta(seconds=1))
        )
        if won:
            claimed.append(pk)
    return claimed


def article_upsert(*, source: Source, entry: ParsedEpisode) -> tuple[Article, bool]:
    """Create the article for a feed entry, or refresh the one that exists.

    Idempotent: (source, guid) is unique in the database, so a re-poll, a retried task
    or two workers on the same feed end with one article. Editorial fields (status,
    topic, tags, featured) are never overwritten by a re-poll.
    """
    guid = (entry.guid or "")[:1000]
    feed_fields = {
        "title": (entry.title or "Untitled episode")[:500],
        "original_url": _http_only(entry.link),
        "audio_url": _http_only(entry.audio_url),
        "audio_type": (entry.audio_type or "")[:100],
        "video_url": _http_only(entry.video_url),
        "video_id": (entry.video_id or "")[:64],
        "image_url": _http_only(entry.image_url),
        "description_html": entry.description_html or "",
        "duration_seconds": entry.duration_seconds,
        "transcript_links": [
            {"url": t.url, "type": t.type, "language": t.language, "rel": t.rel}
            for t in entry.transcripts
        ],
        "chapters_url": _http_only(entry.chapters_url),
    }
    existing = Article.objects.filter(source=source, guid=guid).first()
    if existing is not None:
        changed = [k for k, v in feed_fields.items() if getattr(existing, k) != v]
        if changed:
            for key in changed:
                setattr(existing, key, feed_fields[key])
            existing.save(update_fields=[*changed, "updated_at"])
        return existing, False

    article = Article(
        source=source,
        guid=guid,
        published_at=entry.published or timezone.now(),
        language=source.language,
        # The topic is left to the digest, which reads the episode; the source's topic
        # is only a hint used when the digest finds none (see _digest_write).
        **feed_fields,
    )
    for attempt in range(3):
        article.slug = unique_slug(
            Article, article.title, fallback="episode", salt=f"{source.pk}:{guid}:{attempt}"
        )
        try:
            with transaction.atomic():
                article.save()
        except IntegrityError:
            # Another worker inserted the same guid (or took the slug) meanwhile.
            other = Article.objects.filter(source=source, guid=guid).first()
            if other is not None:
                return other, False
            article.pk = None
            continue
        if entry.tags:
            article.tags.add(*[t[:100] for t in entry.tags[:8]])
        return article, True
    raise IntegrityError(f"could not store episode {guid!r} of {source.slug}")


def _http_only(url: str | None) -> str:
    url = (url or "").strip()
    return url[:2000] if url.lower().startswith(("http://", "https://")) else ""


def transcript_store(
    *,
    article: Article,
    origin: str,
    segments: list[Segment],
    format: str,
    language: str = "",
    source_url: str = "",
    provenance: list[dict] | None = None,
) -> Transcript:
    """Save (or replace) an article's transcript and move the article on."""
    rows = [s.as_dict() for s in segments]
    text = "\n".join(s.text for s in segments if s.text)
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=article.pk).first()
        transcript, _ = Transcript.objects.update_or_create(
            article=article,
            defaults={
                "origin": origin,
                "format": format,
                "language": language or article.language,
                "source_url": source_url[:2000],
                "segments": rows,
                "text": text,
                "word_count": len(text.split()),
                "provenance": provenance or [],
            },
        )
        article_transition(article=article, to=Article.Status.TRANSCRIBED)
    return transcript


def transcript_fetch(*, article: Article, skip: tuple[str, ...] = ()) -> Transcript | None:
    """Run the provenance chain for an article and store what it finds.

    Returns None (and leaves the article visibly in "needs transcript") when every
    step fails; raises TransientTranscriptError when a retry later may succeed.
    """
    from ingestion.provenance import (
        ChainPaused,
        EpisodeInfo,
        NoTranscript,
        TransientTranscriptError,
        find_transcript,
    )

    episode = EpisodeInfo(
        title=article.title,
        language=article.language,
        transcript_links=article.transcript_links or [],
        description_html=article.description_html,
        video_id=article.video_id,
        audio_url=article.audio_url,
        duration_seconds=article.duration_seconds,
    )
    try:
        found = find_transcript(episode, skip=skip)
    except NoTranscript as exc:
        _transcript_missing(article, Article.Reason.NO_TRANSCRIPT, str(exc))
        return None
    except ChainPaused as exc:
        _transcript_missing(article, Article.Reason.BUDGET, str(exc))
        return None
    except TransientTranscriptError as exc:
        # Visible while the task waits for its retry; re-raised so that it retries.
        _transcript_missing(article, Article.Reason.RETRY_LATER, str(exc))
        raise
    return transcript_store(
        article=article,
        origin=found.origin,
        segments=found.segments,
        format=found.format,
        language=found.language,
        source_url=found.source_url,
        provenance=found.provenance,
    )


def _transcript_missing(article: Article, reason: str, detail: str) -> None:
    """Record why no (new) transcript was found.

    An article that already has a transcript (an editor asked for speech-to-text
    again) keeps it, its digests and its status: only the reason says what failed.
    """
    if Transcript.objects.filter(article=article).exists():
        # The detail keeps the attempt's own words ("will retry: ...") as operators read them.
        article_note(
            article=article,
            reason=Article.Reason.TRANSCRIPT_KEPT,
            detail=log_message(reason, detail),
        )
        return
    article_transition(
        article=article, to=Article.Status.NEEDS_TRANSCRIPT, reason=reason, detail=detail
    )


def sources_export_opml(*, sources) -> bytes:
    from ingestion.opml import OpmlOutline, build_opml

    outlines = [
        OpmlOutline(
            title=s.name,
            xml_url=s.feed_url,
            html_url=s.site_url,
            type="rss",
            language=s.language,
            category=s.default_topic.slug if s.default_topic_id else "",
        )
        for s in sources.select_related("default_topic")
    ]
    return build_opml(outlines, title="newsroom sources")


# Names resolved at once while an OPML file's feeds are checked: they are mostly on
# different hosts, and one slow resolver answer must not hold up the rest.
OPML_RESOLVERS = 16


def sources_import_opml(
    *, data: bytes, kind: str = "podcast", language: str = "en"
) -> tuple[list[Source], list[str]]:
    """Create a source per feed of an OPML file; returns (created, skipped), one
    "URL: reason" line per skipped feed.

    A file over OPML_MAX_BYTES or listing more than OPML_MAX_OUTLINES feeds raises
    OpmlError before anything is saved. A feed the fetcher would refuse (its scheme,
    an address inside the operator's network) is skipped with the fetcher's reason:
    every poll of it would fail, and an import must not map the inside for anyone.
    """
    from concurrent.futures import ThreadPoolExecutor

    from ingestion.fetch import fetch_refusal
    from ingestion.opml import parse_opml

    outlines = parse_opml(data)
    with ThreadPoolExecutor(max_workers=OPML_RESOLVERS) as pool:
        refusals = list(pool.map(fetch_refusal, [outline.xml_url for outline in outlines]))
    created, skipped = [], []
    topics = {t.slug: t for t in Topic.objects.all()}
    # One transaction: an import is saved whole or not at all, and SQLite writes its
    # journal once instead of once per source (2,000 sources: 14 s otherwise).
    with transaction.atomic():
        for outline, refusal in zip(outlines, refusals, strict=True):
            if refusal is not None:
                skipped.append(f"{outline.xml_url}: {refusal}")
                continue
            if Source.objects.filter(feed_url=outline.xml_url).exists():
                skipped.append(f"{outline.xml_url}: already a source")
                continue
            lang = (outline.language or language)[:2].lower()
            try:
                source = source_create(
                    feed_url=outline.xml_url,
                    kind=kind,
                    language=lang if lang in ("en", "fr") else language,
                    name=outline.title,
                    topic=topics.get((outline.category or "").lower()),
                    site_url=outline.html_url or "",
                )
            except ValueError as exc:
                skipped.append(f"{outline.xml_url}: {exc}")
                continue
            created.append(source)
    return created, skipped
