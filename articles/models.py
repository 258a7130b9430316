"""Sources, the articles made from their episodes, transcripts and digests.

Reads live in the QuerySets below (`Article.objects.published()`); writes that
touch several models or the network live in `services.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from topics.models import Topic

http_url_validator = URLValidator(schemes=["http", "https"])

LANGUAGE_CHOICES = [("en", _("English")), ("fr", _("French"))]


class SourceQuerySet(models.QuerySet):
    def public(self) -> SourceQuerySet:
        """The sources anyone may see listed: active and not failing (the admin's ⚠
        health). The rest is editors' business; their articles still name them."""
        return self.filter(active=True, consecutive_failures=0)


class Source(models.Model):
    class Kind(models.TextChoices):
        PODCAST = "podcast", _("Podcast")
        YOUTUBE = "youtube", _("YouTube channel")
        RSS = "rss", _("RSS / Atom feed")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PODCAST)
    feed_url = models.URLField(
        _("feed URL"), max_length=2000, unique=True, validators=[http_url_validator]
    )
    site_url = models.URLField(_("site URL"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    default_topic = models.ForeignKey(
        Topic,
        verbose_name=_("default topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_for_sources",
    )
    active = models.BooleanField(_("active"), default=True)
    poll_interval = models.DurationField(_("poll interval"), default=timedelta(hours=1))
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_poll_at = models.DateTimeField(_("next poll"), default=timezone.now, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [models.Index(fields=["active", "next_poll_at"], name="source_due_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_video(self) -> bool:
        return self.kind == self.Kind.YOUTUBE


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_topic(self, topic: Topic | str) -> ArticleQuerySet:
        if isinstance(topic, Topic):
            return self.filter(topic=topic)
        return self.filter(topic__slug=topic)

    def latest_per_topic(self, topics: Sequence[Topic], count: int) -> ArticleQuerySet:
        """The `count` newest articles of each topic, in one query (a window function),
        newest first within each topic."""
        ranked = self.filter(topic__in=topics).annotate(
            topic_rank=Window(
                RowNumber(), partition_by=F("topic_id"), order_by=F("published_at").desc()
            )
        )
        return ranked.filter(topic_rank__lte=count).order_by("topic_id", "topic_rank")

    def videos(self) -> ArticleQuerySet:
        """What Article.is_video says is a video, and whatever a YouTube channel posts."""
        return self.filter(Q(source__kind=Source.Kind.YOUTUBE) | ~Q(video_url="") | ~Q(video_id=""))

    def for_cards(self) -> ArticleQuerySet:
        """What an article card shows, in a constant number of queries (cards show no
        tags: see with_tags())."""
        return self.select_related("source", "topic").prefetch_related(
            Prefetch(
                "digests",
                queryset=Digest.objects.filter(status=Digest.Status.READY).only(
                    "id",
                    "article_id",
                    "language",
                    "status",
                    "tldr",
                    "score",
                    "score_override",
                    "from_show_notes",
                ),
            ),
        )

    def with_tags(self) -> ArticleQuerySet:
        """Tags prefetched, for what lists them (the API, feeds). Only there: taggit's
        manager builds a query per article even to hold prefetched tags, 8 ms on a page
        of twenty."""
        return self.prefetch_related("tags")

    def search(self, query: str) -> ArticleQuerySet:
        """Articles matching a websearch-style query, best first, each with `rank`."""
        from articles.search.backends import search_articles  # search imports this module

        return search_articles(self, query)

    def needing_review(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.REVIEW)


class Article(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        NEEDS_TRANSCRIPT = "needs_transcript", _("Needs transcript")
        TRANSCRIBED = "transcribed", _("Transcribed")
        DIGESTED = "digested", _("Digested")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        HIDDEN = "hidden", _("Hidden")

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="articles"
    )
    guid = models.CharField(_("GUID"), max_length=1000)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=500)
    original_url = models.URLField(_("original URL"), max_length=2000, blank=True)
    audio_url = models.URLField(_("audio URL"), max_length=2000, blank=True)
    audio_type = models.CharField(_("audio type"), max_length=100, blank=True)
    video_url = models.URLField(_("video URL"), max_length=2000, blank=True)
    video_id = models.CharField(_("video id"), max_length=64, blank=True)
    image_url = models.URLField(_("image URL"), max_length=2000, blank=True)
    description_html = models.TextField(_("show notes"), blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    tags = TaggableManager(_("tags"), blank=True)
    # Transcript links and chapters as the feed announced them, for the transcript step.
    transcript_links = models.JSONField(_("transcript links"), default=list, blank=True)
    chapters_url = models.URLField(_("chapters URL"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    status_reason = models.TextField(_("status reason"), blank=True)
    featured = models.BooleanField(_("featured"), default=False)
    # The score of the article's primary digest, kept here so lists can sort and filter
    # by it without a join; written by the digest service.
    score = models.DecimalField(
        _("score"), max_digits=3, decimal_places=1, null=True, blank=True, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "guid"], name="article_unique_guid_per_source"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=10)),
                name="article_score_0_10",
            ),
        ]
        indexes = [
            # Today, archives, topic and video lists all read published articles by date.
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(fields=["topic", "status", "-published_at"], name="article_topic_pub_idx"),
            models.Index(fields=["source", "-published_at"], name="article_source_pub_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article_detail", kwargs={"slug": self.slug})

    @property
    def is_video(self) -> bool:
        return bool(self.video_id or self.video_url)

    def digest_for(self, language: str) -> Digest | None:
        """The ready digest in `language`, else in any language (uses prefetched rows)."""
        digests = [d for d in self.digests.all() if d.status == Digest.Status.READY]
        for digest in digests:
            if digest.language == language:
                return digest
        return digests[0] if digests else None


class Transcript(models.Model):
    class Origin(models.TextChoices):
        FEED = "feed", _("Transcript published with the episode")
        CAPTIONS = "captions", _("Video captions")
        STT = "stt", _("Speech-to-text")
        DESCRIPTION = "description", _("Show notes (no transcript)")
        MANUAL = "manual", _("Uploaded by an editor")

    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="transcript"
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    format = models.CharField(_("format"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    source_url = models.URLField(_("source URL"), max_length=2000, blank=True)
    # [{"start": float|None, "end": float|None, "speaker": str, "text": str}, ...]
    segments = models.JSONField(_("segments"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True)
    word_count = models.PositiveIntegerField(_("words"), default=0)
    # Why earlier steps of the provenance chain were skipped: [{"step", "outcome", "reason"}].
    provenance = models.JSONField(_("provenance"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self) -> str:
        return f"{self.article} ({self.get_origin_display()})"


class Digest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        WAITING = "waiting", _("Waiting (budget)")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="digests"
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    tldr = models.TextField(_("TL;DR"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    score_parts = models.JSONField(_("score parts"), default=dict, blank=True)
    # An editor's score replaces the computed one everywhere and is shown as such.
    score_override = models.DecimalField(
        _("editor's score"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    backend = models.CharField(_("backend"), max_length=20, blank=True)
    model_name = models.CharField(_("model"), max_length=200, blank=True)
    version = models.CharField(_("algorithm/prompt version"), max_length=50, blank=True)
    grounding = models.FloatField(_("grounded share"), null=True, blank=True)
    from_show_notes = models.BooleanField(_("from show notes"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    token_usage = models.JSONField(_("token usage"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article", "language"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="digest_one_per_article_language"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=10)),
                name="digest_score_0_10",
            ),
            models.CheckConstraint(
                condition=Q(score_override__isnull=True)
                | (Q(score_override__gte=0) & Q(score_override__lte=10)),
                name="digest_score_override_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} [{self.language}]"

    @property
    def effective_score(self):
        return self.score_override if self.score_override is not None else self.score


class KeyPoint(models.Model):
    digest = models.ForeignKey(
        Digest, verbose_name=_("digest"), on_delete=models.CASCADE, related_name="key_points"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=300)
    body = models.TextField(_("body"))
    start_seconds = models.FloatField(_("start (seconds)"), null=True, blank=True)
    quote = models.TextField(_("supporting quote"), blank=True)
    grounded = models.BooleanField(_("quote found in transcript"), null=True, blank=True)

    class Meta:
        ordering = ["digest", "order", "id"]
        verbose_name = _("key point")
        verbose_name_plural = _("key points")

    def __str__(self) -> str:
        return self.heading


class IngestionLog(models.Model):
    """One line per poll of a source, for editors to see what ingestion did."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("OK")
        NOT_MODIFIED = "not_modified", _("Not modified")
        ERROR = "error", _("Error")

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="ingestion_logs"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.RUNNING
    )
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    items_seen = models.PositiveIntegerField(_("items seen"), default=0)
    items_new = models.PositiveIntegerField(_("new"), default=0)
    items_updated = models.PositiveIntegerField(_("updated"), default=0)
    # New episodes past INGEST_MAX_NEW_PER_POLL (an old back catalogue), not stored.
    items_skipped = models.PositiveIntegerField(_("skipped (backlog)"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        verbose_name = _("ingestion log entry")
        verbose_name_plural = _("ingestion log")
        indexes = [models.Index(fields=["source", "-started_at"], name="ingestlog_source_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class DailySpend(models.Model):
    """What a paid service was sent on one UTC day: LLM tokens, speech-to-text seconds.

    The daily budgets are counted here, not in the cache: the cache fails open and
    Redis may evict its keys (the README's volatile-lru), and either would silently
    give a spent budget back. One row per day and kind, raised by an atomic UPDATE
    (articles/budgets.py).
    """

    class Kind(models.TextChoices):
        LLM_TOKENS = "llm_tokens", _("LLM tokens")
        STT_SECONDS = "stt_seconds", _("speech-to-text seconds")

    day = models.DateField(_("day (UTC)"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.BigIntegerField(_("spent"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-day", "kind"]
        verbose_name = _("daily spending")
        verbose_name_plural = _("daily spending")
        constraints = [
            models.UniqueConstraint(fields=["day", "kind"], name="dailyspend_day_kind_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.amount}"


from articles.search.models import SearchDocument  # noqa: E402, F401
