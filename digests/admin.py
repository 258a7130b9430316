"""The admin of digests: each digest with its key points inline; the inline on an article."""

from __future__ import annotations

from django.contrib import admin
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from digests import services as digests_services
from digests.models import Digest, KeyPoint


class DigestInline(admin.TabularInline):
    model = Digest
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = (
        "language",
        "status",
        "score",
        "score_override",
        "grounding",
        "backend",
        "from_show_notes",
        "short_tldr",
        "error",
    )
    readonly_fields = (
        "language",
        "status",
        "score",
        "grounding",
        "backend",
        "from_show_notes",
        "short_tldr",
        "error",
    )

    @admin.display(description=_("TL;DR"))
    def short_tldr(self, obj: Digest) -> str:
        return truncatechars(obj.tldr, 160)


class KeyPointInline(admin.StackedInline):
    model = KeyPoint
    extra = 0
    fields = ("order", "heading", "body", "start_seconds", "quote", "grounded")
    readonly_fields = ("grounded",)


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = (
        "article",
        "language",
        "status",
        "score",
        "score_override",
        "grounding",
        "backend",
        "model_name",
        "from_show_notes",
        "created_at",
    )
    list_filter = ("status", "language", "backend", "from_show_notes")
    search_fields = ("article__title", "tldr")
    date_hierarchy = "created_at"
    list_select_related = ("article",)
    autocomplete_fields = ("article",)
    readonly_fields = (
        "backend",
        "model_name",
        "version",
        "grounding",
        "score",
        "score_parts",
        "token_usage",
        "error",
        "created_at",
        "updated_at",
        "article_link",
    )
    fields = (
        "article",
        "article_link",
        "language",
        "status",
        "tldr",
        "conclusion",
        "score",
        "score_override",
        "score_parts",
        "from_show_notes",
        "grounding",
        "backend",
        "model_name",
        "version",
        "token_usage",
        "error",
        "created_at",
        "updated_at",
    )
    inlines = [KeyPointInline]

    @admin.display(description=_("on the site"))
    def article_link(self, obj: Digest) -> str:
        if not obj.pk:
            return "–"
        return format_html('<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article.title)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # An editor's score replaces the computed one in lists (kept on the article).
        digests_services.article_apply_publish_rule(article=obj.article)
