from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class FavoriteQuerySet(models.QuerySet):
    def for_user(self, user) -> "FavoriteQuerySet":
        return self.filter(user=user)


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
