"""Articles: one episode of a source, as readers see it.

Reads live in the QuerySets below (`Article.objects.published()`); writes that
touch several models or the network live in `services.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articles import states
from topics.models import Topic

http_url_validator = URLValidator(schemes=["http", "https"])

LANGUAGE_CHOICES = [("en", _("English")), ("fr", _("French"))]


# A digest's status when it is ready to be read (digests.models.Digest.Status.READY).
# The digests app builds on this one: articles reach their digests only through the
# relation the Digest model declares (article.digests), never by importing it.
READY = "ready"


def ready_digests():
    """The ready digests, as a queryset of the model behind `Article.digests`."""
    return Article._meta.get_field("digests").related_model.objects.filter(status=READY)


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
        return self.filter(Q(source__kind="youtube") | ~Q(video_url="") | ~Q(video_id=""))

    def for_cards(self) -> ArticleQuerySet:
        """What an article card shows, in a constant number of queries (cards show no
        tags: see with_tags())."""
        return self.select_related("source", "topic").prefetch_related(
            Prefetch(
                "digests",
                queryset=ready_digests().only(
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

    def needing_review(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.REVIEW)


class Article(models.Model):
    # The lifecycle lives in articles/states.py: its states, reason codes and moves.
    Status = states.Status
    Reason = states.Reason

    # The show it comes from: Source lives in the ingestion app, which builds on this
    # one, so the relation names it rather than importing it.
    source = models.ForeignKey(
        "ingestion.Source",
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="articles",
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
    # Why the article has its status, as a code (the retries select by it) ...
    status_code = models.CharField(
        _("status reason code"),
        max_length=40,
        choices=states.Reason.choices,
        default=states.Reason.NONE,
        # Also in the database: rows written by raw SQL (bench's COPY) get it too.
        db_default=states.Reason.NONE,
        blank=True,
        db_index=True,
    )
    # ... and its technical detail, shown as recorded (an HTTP error, a budget's numbers).
    status_reason = models.TextField(_("status detail"), blank=True)
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

    def digest_for(self, language: str, *, fresh: bool = False):
        """The article's main digest for a reader of `language`: the ready digest in that
        language, else the first ready one in any language; None when none is ready.

        The one rule for picking it: the pages, feeds and API pass the reader's
        language, the desk and the publish rule the article's own. It reads the rows
        ArticleQuerySet.for_cards() prefetched, unless `fresh`: a caller that has just
        written digests asks the database.
        """
        rows = self.digests.filter(status=READY) if fresh else self.digests.all()
        digests = [d for d in rows if d.status == READY]
        for digest in digests:
            if digest.language == language:
                return digest
        return digests[0] if digests else None


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
