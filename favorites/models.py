"""A reader's saved articles and the secret token of their private feed.

Reads live in the QuerySets below; writes live in `favorites/services.py`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class FavoriteQuerySet(models.QuerySet):
    def for_user(self, user) -> FavoriteQuerySet:
        return self.filter(user=user)

    def published(self) -> FavoriteQuerySet:
        """Favorites whose article readers may still see (an editor may hide one later)."""
        return self.filter(article__in=Article.objects.published())

    def with_cards(self) -> FavoriteQuerySet:
        """Everything an article card needs, in a constant number of queries.

        The articles are prefetched with the article app's own card queryset, so a
        card on /favorites/ shows exactly what it shows everywhere else.
        """
        return self.prefetch_related(Prefetch("article", queryset=Article.objects.for_cards()))

    def article_ids(self, articles) -> set[int]:
        """Which of `articles` (ids or Article objects) are in this queryset, in one query."""
        ids = {getattr(a, "pk", a) for a in articles}
        if not ids:
            return set()
        return set(self.filter(article_id__in=ids).values_list("article_id", flat=True))


class Favorite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="favorites",
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="favorites"
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    objects = FavoriteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("favorite")
        verbose_name_plural = _("favorites")
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="favorite_once_per_user")
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="favorite_user_recent_idx")]

    def __str__(self) -> str:
        return f"{self.user} ★ {self.article}"


def new_feed_token() -> str:
    # 32 random bytes: unguessable, and URL-safe so it can sit in a path segment.
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret in the URL of a reader's private favorites feed.

    Whoever knows the URL can read the feed (feed readers cannot sign in), so the
    reader can regenerate it, which makes the old URL stop working at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="favorite_feed_token",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("private feed token")
        verbose_name_plural = _("private feed tokens")

    def __str__(self) -> str:
        # Never the token itself: it is a secret, and __str__ ends up in logs and the admin.
        return str(_("Private feed of %(user)s") % {"user": self.user})
