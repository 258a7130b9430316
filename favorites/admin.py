"""Favorites in the admin, and how often each article was saved, on the Article admin.

The articles app must not know about favorites (dependencies run favorites -> articles),
so the "saved" column is added from here: the Article admin registered by
desk/admin.py (the articles' admin) is replaced by a subclass of itself with SavedCountAdminMixin.
"""

from __future__ import annotations

import importlib

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from favorites.models import Favorite, FeedToken


@admin.register(Favorite)
class FavoriteAdmin(admin.ModelAdmin):
    """Read-only: favorites are the readers' own; staff look, and may delete on request."""

    list_display = ("article", "user", "created_at")
    list_select_related = ("article", "user")
    list_filter = ("article__topic",)
    search_fields = ("article__title", "user__username")
    date_hierarchy = "created_at"
    raw_id_fields = ("article", "user")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Staff can revoke a reader's private feed (delete) but never read its secret."""

    list_display = ("user", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def saved_count_expression():
    """How many readers saved the article, as a subquery.

    A subquery rather than Count("favorites") on a join: it cannot multiply rows
    when the Article admin adds joins or annotations of its own, and needs no
    GROUP BY over every selected column.
    """
    per_article = (
        Favorite.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_article, output_field=IntegerField()), 0)


class SavedCountAdminMixin:
    """Adds a sortable "saved" column to an Article admin."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(saved_count=saved_count_expression())

    def get_list_display(self, request):
        list_display = tuple(super().get_list_display(request))
        return list_display if "saved_count" in list_display else (*list_display, "saved_count")

    @admin.display(description=_("saved"), ordering="saved_count")
    def saved_count(self, obj: Article) -> int:
        return obj.saved_count


def extend_article_admin(site: admin.AdminSite = admin.site) -> None:
    """Give the registered Article admin the "saved" column (idempotent)."""
    # Import the articles admin first, whatever order autodiscover() goes in, so that
    # its registration is the one extended here rather than one that collides later.
    try:
        importlib.import_module("articles.admin")
    except ModuleNotFoundError as error:
        if error.name != "articles.admin":
            raise
    if site.is_registered(Article):
        current = type(site.get_model_admin(Article))
        if issubclass(current, SavedCountAdminMixin):
            return
        site.unregister(Article)
    else:
        # No admin for articles (desk/admin.py) registered: editors still get a list.
        current = admin.ModelAdmin
    extended = type(current.__name__, (SavedCountAdminMixin, current), {"__module__": __name__})
    site.register(Article, extended)


extend_article_admin()
