"""Writes of the ingestion and digest pipeline.

Each function is keyword-only and does one job that touches several models or the
outside world. Network I/O (feeds, transcripts, LLM calls) happens outside any
transaction; the write that follows locks the row and re-checks that its input
did not change meanwhile, so a slow worker never overwrites a newer result.
Celery tasks (tasks.py) are thin wrappers around these functions.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.text import slugify

from articles.ingestion.errors import ParseError
from articles.ingestion.feeds import ParsedEpisode, ParsedFeed, parse_feed
from articles.ingestion.fetch import FetchError, fetch_url
from articles.models import (
    Article,
    Digest,
    IngestionLog,
    KeyPoint,
    Source,
    Transcript,
)
from articles.search.index import search_index_deferred, search_index_update
from articles.summarization import get_summarizer
from articles.summarization.base import (
    BudgetExhausted,
    DigestData,
    SummarizationError,
    Summarizer,
    TopicChoice,
    TranscriptInput,
)
from articles.summarization.grounding import ground_key_points
from articles.transcript_data import Segment
from newsroom.pagecache import article_is_published, pages_changed
from topics.models import Topic

logger = logging.getLogger(__name__)

# A failing source waits poll_interval * 2**failures, capped here, before it is tried again.
MAX_BACKOFF = timedelta(hours=24)


# --- Sources -------------------------------------------------------------------------


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


@dataclass
class ProcessSummary:
    """What articles_process did with a poll's new episodes."""

    transcripts_found: int = 0
    transcripts_failed: int = 0
    # Why each waiting episode waits ("no transcript link in the feed" x 3, ...).
    waiting: Counter[str] = field(default_factory=Counter)
    digests_written: int = 0
    # Digests not written, by reason (too short, over the LLM budget, ...).
    digests_not_written: Counter[str] = field(default_factory=Counter)
    published: int = 0
    in_review: int = 0

    def describe(self) -> str:
        def reasons(counts: Counter[str]) -> str:
            said = "; ".join(f"{r} x{n}" if n > 1 else r for r, n in counts.most_common())
            return f" ({said})" if said else ""

        return (
            f"transcripts {self.transcripts_found} found, {sum(self.waiting.values())} "
            f"waiting{reasons(self.waiting)}, {self.transcripts_failed} failed; "
            f"digests {self.digests_written} written, {sum(self.digests_not_written.values())} "
            f"not written{reasons(self.digests_not_written)}; "
            f"articles {self.published} published, {self.in_review} waiting for review"
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
    source.slug = _unique_slug(Source, name.replace(".", " ").replace("/", " "), fallback="source")
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
    # One index update per article at the end rather than one per saved row.
    with search_index_deferred():
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
            # The source's name is indexed with each of its articles.
            search_index_update(article_ids=source.articles.values_list("pk", flat=True))


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


# --- Articles ------------------------------------------------------------------------


def _unique_slug(model, text: str, *, fallback: str, salt: str = "") -> str:
    base = slugify(text)[:80].strip("-") or fallback
    if not model.objects.filter(slug=base).exists():
        return base
    digest = hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()
    for length in (6, 10, 16):
        candidate = f"{base[:80]}-{digest[:length]}"
        if not model.objects.filter(slug=candidate).exists():
            return candidate
    return f"{base[:60]}-{digest}"


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
        article.slug = _unique_slug(
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


def article_set_status(*, article: Article, status: str, reason: str = "") -> None:
    was_published = article_is_published(article.pk)
    Article.objects.filter(pk=article.pk).update(
        status=status, status_reason=reason[:2000], updated_at=timezone.now()
    )
    article.status, article.status_reason = status, reason
    if was_published or status == Article.Status.PUBLISHED:
        pages_changed()  # update() sends no signal: the page cache is told here


def articles_publish(*, article_ids) -> int:
    count = Article.objects.filter(pk__in=list(article_ids)).update(
        status=Article.Status.PUBLISHED, status_reason="", updated_at=timezone.now()
    )
    pages_changed()
    return count


# The reasons an editor's own actions record, named once: the editor's desk on the
# article page (articles/desk.py) says them in the reader's language.
REASON_UNPUBLISHED = "unpublished by an editor"
REASON_SENT_BACK = "sent back to review by an editor"


def articles_unpublish(*, article_ids) -> int:
    count = Article.objects.filter(pk__in=list(article_ids)).update(
        status=Article.Status.HIDDEN,
        status_reason=REASON_UNPUBLISHED,
        updated_at=timezone.now(),
    )
    pages_changed()
    return count


def articles_send_back(*, article_ids) -> int:
    """Back to the review queue (from published, hidden, failed…), off the site."""
    count = Article.objects.filter(pk__in=list(article_ids)).update(
        status=Article.Status.REVIEW,
        status_reason=REASON_SENT_BACK,
        updated_at=timezone.now(),
    )
    pages_changed()
    return count


def articles_feature(*, article_ids, featured: bool = True) -> int:
    count = Article.objects.filter(pk__in=list(article_ids)).update(
        featured=featured, updated_at=timezone.now()
    )
    pages_changed()
    return count


# --- Transcripts ---------------------------------------------------------------------


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
        article_set_status(article=article, status=Article.Status.TRANSCRIBED)
    return transcript


# --- Digests -------------------------------------------------------------------------


def topic_choices() -> list[TopicChoice]:
    return [
        TopicChoice(slug=t.slug, name=t.name_en, keywords=t.keyword_list)
        for t in Topic.objects.all()
    ]


def digest_languages_for(article: Article, backend_name: str) -> list[str]:
    """The extractive backend writes only the episode's own language (no offline translation)."""
    wanted = [lang for lang in settings.DIGEST_LANGUAGES if lang in ("en", "fr")]
    if backend_name == "extractive":
        return [article.language] if article.language in wanted or not wanted else []
    return wanted


def digest_summarize(
    summarizer: Summarizer,
    transcript: TranscriptInput,
    *,
    language: str,
    topics: Sequence[TopicChoice] = (),
) -> DigestData:
    """The backend's digest, its key points grounded against the transcript.

    The one place digests are grounded (backends only summarise): what digest_make
    stores and what `manage.py digest` prints. Touches no database.
    """
    data = summarizer.summarize(transcript, language=language, topics=topics)
    ground_key_points(data.key_points, transcript.segments)
    return data


def digest_make(
    *, article: Article, backend: str | None = None, languages: list[str] | None = None
) -> list[Digest]:
    """Write the article's digests, then apply the publish rule.

    The summariser runs outside any transaction; the result is written only if the
    transcript did not change meanwhile (re-checked under a row lock).
    """
    transcript = Transcript.objects.filter(article=article).first()
    if transcript is None:
        article_set_status(
            article=article,
            status=Article.Status.NEEDS_TRANSCRIPT,
            reason="no transcript to summarise",
        )
        return []
    summarizer = get_summarizer(backend)
    languages = languages or digest_languages_for(article, summarizer.name)
    topics = topic_choices()
    source_input = TranscriptInput(
        segments=[Segment(**row) for row in transcript.segments],
        language=transcript.language or article.language,
        title=article.title,
    )
    seen_version = transcript.updated_at
    digests = []
    for language in languages:
        try:
            data = digest_summarize(summarizer, source_input, language=language, topics=topics)
        except BudgetExhausted as exc:
            digests.append(
                _digest_record_problem(
                    article, language, Digest.Status.WAITING, str(exc), summarizer.name
                )
            )
            continue
        except SummarizationError as exc:
            digests.append(
                _digest_record_problem(
                    article, language, Digest.Status.FAILED, str(exc), summarizer.name
                )
            )
            continue
        digest = _digest_write(
            article=article,
            data=data,
            from_show_notes=transcript.origin == Transcript.Origin.DESCRIPTION,
            seen_version=seen_version,
        )
        if digest is not None:
            digests.append(digest)
    article_apply_publish_rule(article=article)
    return digests


def _digest_record_problem(
    article: Article, language: str, status: str, reason: str, backend: str
) -> Digest:
    # A failure never replaces a ready digest: the old one stays on the site.
    digest, created = Digest.objects.get_or_create(
        article=article,
        language=language,
        defaults={"status": status, "error": reason[:2000], "backend": backend},
    )
    if not created:
        if digest.status == Digest.Status.READY:
            Digest.objects.filter(pk=digest.pk).update(error=reason[:2000])
        else:
            Digest.objects.filter(pk=digest.pk).update(
                status=status, error=reason[:2000], backend=backend
            )
            digest.status = status
    digest.error = reason
    logger.warning("digest %s/%s %s: %s", article.slug, language, status, reason)
    return digest


def _digest_write(
    *, article: Article, data: DigestData, from_show_notes: bool, seen_version
) -> Digest | None:
    grounded = [kp.grounded for kp in data.key_points]
    grounding = (sum(1 for g in grounded if g) / len(grounded)) if grounded else 0.0
    # The key points are bulk-created (no signals): index the article once, after them.
    with transaction.atomic(), search_index_deferred():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        current = Transcript.objects.filter(article=locked).values_list("updated_at", flat=True)
        if list(current) != [seen_version]:
            logger.info("transcript of %s changed while summarising; result dropped", article.slug)
            return None
        digest, _ = Digest.objects.update_or_create(
            article=locked,
            language=data.language,
            defaults={
                "tldr": data.tldr,
                "conclusion": data.conclusion,
                "score": Decimal(str(round(data.score, 1))),
                "score_parts": data.score_parts,
                "backend": data.backend,
                "model_name": data.model[:200],
                "version": data.version[:50],
                "grounding": round(grounding, 3),
                "from_show_notes": from_show_notes,
                "status": Digest.Status.READY,
                "error": "",
                "token_usage": data.token_usage,
            },
        )
        digest.key_points.all().delete()
        KeyPoint.objects.bulk_create(
            KeyPoint(
                digest=digest,
                order=i,
                heading=kp.heading[:300],
                body=kp.body,
                start_seconds=kp.start,
                quote=kp.quote,
                grounded=kp.grounded,
            )
            for i, kp in enumerate(data.key_points)
        )
        if locked.topic_id is None:
            topic = Topic.objects.filter(slug=data.topic).first() if data.topic else None
            topic = topic or locked.source.default_topic
            if topic:
                Article.objects.filter(pk=locked.pk).update(topic=topic)
                article.topic = topic
        if data.tags and not locked.tags.exists():
            locked.tags.add(*[t[:100] for t in data.tags[:8]])
        if locked.status == Article.Status.PUBLISHED:
            pages_changed()  # key points and topic were written without signals
    return digest


def article_primary_digest(article: Article) -> Digest | None:
    ready = list(article.digests.filter(status=Digest.Status.READY))
    for digest in ready:
        if digest.language == article.language:
            return digest
    return ready[0] if ready else None


@dataclass(frozen=True)
class PublishShortfall:
    """One way a digest falls short of the publish rule: `value` against `threshold`."""

    SHOW_NOTES = "show_notes"
    SCORE = "score"
    GROUNDING = "grounding"

    code: str
    value: Decimal | float | None = None
    threshold: float | None = None


def publish_rule_shortfalls(digest: Digest) -> list[PublishShortfall]:
    """Why this ready digest may not be published without an editor (none: it may).

    The rule itself, in one place: the publish rule records it in words on the
    article, and the editor's desk says it in the reader's language.
    """
    shortfalls = []
    if digest.from_show_notes:
        shortfalls.append(PublishShortfall(PublishShortfall.SHOW_NOTES))
    score = digest.effective_score
    if score is None or score < Decimal(str(settings.AUTO_PUBLISH_MIN_SCORE)):
        shortfalls.append(
            PublishShortfall(PublishShortfall.SCORE, score, settings.AUTO_PUBLISH_MIN_SCORE)
        )
    if (digest.grounding or 0) < settings.AUTO_PUBLISH_MIN_GROUNDING:
        shortfalls.append(
            PublishShortfall(
                PublishShortfall.GROUNDING,
                digest.grounding or 0,
                settings.AUTO_PUBLISH_MIN_GROUNDING,
            )
        )
    return shortfalls


def article_apply_publish_rule(*, article: Article) -> str:
    """Publish automatically when the digest is good and grounded; else the review queue.

    Never publishes a digest made from show notes, and never touches an article an
    editor has already published or hidden.
    """
    article.refresh_from_db(fields=["status"])
    primary = article_primary_digest(article)
    score = primary.effective_score if primary else None
    Article.objects.filter(pk=article.pk).update(score=score)
    article.score = score
    if article.status == Article.Status.PUBLISHED:  # refreshed above
        pages_changed()
    if article.status in (Article.Status.PUBLISHED, Article.Status.HIDDEN):
        return article.status
    if primary is None:
        problems = list(article.digests.exclude(error="").values_list("language", "error"))
        reason = "; ".join(f"{lang}: {err}" for lang, err in problems) or "no digest"
        waiting = article.digests.filter(status=Digest.Status.WAITING).exists()
        status = Article.Status.TRANSCRIBED if waiting else Article.Status.FAILED
        article_set_status(article=article, status=status, reason=reason)
        return status
    reasons = []
    for shortfall in publish_rule_shortfalls(primary):
        if shortfall.code == PublishShortfall.SHOW_NOTES:
            reasons.append("made from show notes, not a transcript")
        elif shortfall.code == PublishShortfall.SCORE:
            reasons.append(f"score {shortfall.value} below {shortfall.threshold}")
        else:
            reasons.append(f"grounded share {shortfall.value:.0%} below {shortfall.threshold:.0%}")
    if reasons:
        article_set_status(article=article, status=Article.Status.REVIEW, reason="; ".join(reasons))
        return Article.Status.REVIEW
    article_set_status(article=article, status=Article.Status.PUBLISHED)
    return Article.Status.PUBLISHED


def transcript_fetch(*, article: Article, skip: tuple[str, ...] = ()) -> Transcript | None:
    """Run the provenance chain for an article and store what it finds.

    Returns None (and leaves the article visibly in "needs transcript") when every
    step fails; raises TransientTranscriptError when a retry later may succeed.
    """
    from articles.ingestion.provenance import (
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
        _transcript_missing(article, str(exc))
        return None
    except ChainPaused as exc:
        _transcript_missing(article, f"waiting: {exc}")
        return None
    except TransientTranscriptError as exc:
        # Visible while the task waits for its retry; re-raised so that it retries.
        _transcript_missing(article, f"will retry: {exc}")
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


def _transcript_missing(article: Article, reason: str) -> None:
    """Record why no (new) transcript was found.

    An article that already has a transcript (an editor asked for speech-to-text
    again) keeps it, its digests and its status: only the reason says what failed.
    """
    if Transcript.objects.filter(article=article).exists():
        reason = f"transcript kept; the new attempt failed: {reason}"[:2000]
        Article.objects.filter(pk=article.pk).update(
            status_reason=reason, updated_at=timezone.now()
        )
        article.status_reason = reason
        return
    article_set_status(article=article, status=Article.Status.NEEDS_TRANSCRIPT, reason=reason)


# --- OPML ----------------------------------------------------------------------------


def sources_export_opml(*, sources) -> bytes:
    from articles.ingestion.opml import OpmlOutline, build_opml

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

    from articles.ingestion.fetch import fetch_refusal
    from articles.ingestion.opml import parse_opml

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


def articles_process(*, article_ids, digests: bool = True) -> ProcessSummary:
    """Transcript then digests for each article, in this process (commands, demo).

    Workers do the same through the Celery chain; this is for an operator who wants
    the result now, with errors reported rather than retried. The summary says what
    became of each episode: an episode still waiting for its transcript is not done.
    """
    summary = ProcessSummary()
    for article in Article.objects.filter(pk__in=list(article_ids)):
        try:
            transcript = transcript_fetch(article=article)
        except Exception as exc:  # noqa: BLE001 - reported per article, the batch goes on
            logger.warning("transcript for %s failed: %s", article.slug, exc)
            article_set_status(
                article=article, status=Article.Status.NEEDS_TRANSCRIPT, reason=str(exc)[:2000]
            )
            summary.transcripts_failed += 1
            continue
        if transcript is None:
            article.refresh_from_db(fields=["status_reason"])
            reason = (article.status_reason or "no transcript found").removeprefix("waiting: ")
            summary.waiting[reason.splitlines()[0][:120]] += 1
            continue
        summary.transcripts_found += 1
        if digests:
            for digest in digest_make(article=article):
                if digest.status == Digest.Status.READY:
                    summary.digests_written += 1
                else:
                    problem = (digest.error or digest.status).splitlines()[0]
                    # "the transcript is too short to summarise: 19 words..." -> its gist.
                    summary.digests_not_written[problem.split(":")[0][:120]] += 1
            article.refresh_from_db(fields=["status"])
            if article.status == Article.Status.PUBLISHED:
                summary.published += 1
            elif article.status == Article.Status.REVIEW:
                summary.in_review += 1
    return summary
