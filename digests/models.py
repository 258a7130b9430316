"""Digests: what an episode says, in one language, with key points tied to its moments."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import LANGUAGE_CHOICES, Article


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
        # Moved here from the articles app; the table kept its name (no data moved).
        db_table = "articles_digest"
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
        # Moved here from the articles app; the table kept its name (no data moved).
        db_table = "articles_keypoint"
        ordering = ["digest", "order", "id"]
        verbose_name = _("key point")
        verbose_name_plural = _("key points")

    def __str__(self) -> str:
        return self.heading
