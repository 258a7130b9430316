"""A reader's saved articles and the secret token of their private feed.

Reads live in the QuerySets below; writes live in `favorites/services.py`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
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


def signup_token_hash(token: str) -> str:
    """What is stored of a sign-up link's secret: its SHA-256, so that the table alone
    cannot confirm anybody's sign-up."""
    return hashlib.sha256(token.encode()).hexdigest()


class SignupRequestQuerySet(models.QuerySet):
    def pending(self) -> SignupRequestQuerySet:
        """Requests whose link still works: as long as a password-reset link does."""
        oldest = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        return self.filter(created_at__gte=oldest)

    def expired(self) -> SignupRequestQuerySet:
        oldest = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        return self.filter(created_at__lt=oldest)

    def for_token(self, token: str) -> SignupRequestQuerySet:
        if not token:
            return self.none()
        return self.filter(token_hash=signup_token_hash(token))


class SignupRequest(models.Model):
    """A sign-up waiting for its e-mail address to be confirmed.

    The account is created only when the link mailed to the address is followed, and
    only if the user name and the address are still free then: the sign-up page answers
    the same whether or not they are taken (it cannot tell who has an account), and a
    pending request reserves nothing, so nobody can hold another person's address or
    name by signing up with it.
    """

    username = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    # Hashed at once with Django's hasher, as a user's own password is.
    password = models.CharField(max_length=128)
    next_url = models.CharField(max_length=2000, blank=True)
    language = models.CharField(max_length=8)
    # SHA-256 of the secret in the mailed link; empty until the mail is sent.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = SignupRequestQuerySet.as_manager()

    def __str__(self) -> str:
        return f"sign-up request {self.pk}"


class RateCounter(models.Model):
    """How many times a key (a client's address, a recipient's e-mail address) used a
    limited action in one fixed window of time (favorites/accounts/limits.py).

    In the database rather than the cache: the cache fails open when Redis is away and
    Redis may evict it under memory pressure, and a limit that silently resets is no
    limit. The key is an HMAC, so the table holds no e-mail address in clear.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="rate_counter_once_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
