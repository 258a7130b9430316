"""Sources, what each poll of them did, and the transcripts fetched for their episodes."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import LANGUAGE_CHOICES, Article, http_url_validator
from topics.models import Topic


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
        # Moved here from the articles app; the table kept its name (no data moved).
        db_table = "articles_source"
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [models.Index(fields=["active", "next_poll_at"], name="source_due_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_video(self) -> bool:
        return self.kind == self.Kind.YOUTUBE


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
        # Moved here from the articles app; the table kept its name (no data moved).
        db_table = "articles_transcript"
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self) -> str:
        return f"{self.article} ({self.get_origin_display()})"


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
        # Moved here from the articles app; the table kept its name (no data moved).
        db_table = "articles_ingestionlog"
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        verbose_name = _("ingestion log entry")
        verbose_name_plural = _("ingestion log")
        indexes = [models.Index(fields=["source", "-started_at"], name="ingestlog_source_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"
