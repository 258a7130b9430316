"""The admin of ingestion: sources with their health and polls, transcripts, the poll log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ingestion import services as ingestion_services
from ingestion.models import IngestionLog, Source, Transcript

# What a poll's log shows, on its source's page and in the log's own list.
INGESTION_LOG_FIELDS = (
    "started_at",
    "finished_at",
    "outcome",
    "http_status",
    "items_seen",
    "items_new",
    "items_updated",
    "items_skipped",
)


class IngestionLogInline(admin.TabularInline):
    model = IngestionLog
    extra = 0
    max_num = 0
    can_delete = False
    fields = (*INGESTION_LOG_FIELDS, "error")
    readonly_fields = fields
    ordering = ("-started_at",)
    show_change_link = False

    def get_queryset(self, request):
        # The ten latest polls are what an editor needs; the full log has its own page.
        qs = super().get_queryset(request)
        ids = list(qs.order_by("-started_at").values_list("pk", flat=True)[:10])
        return qs.filter(pk__in=ids)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "language",
        "default_topic",
        "active",
        "health",
        "last_polled_at",
        "next_poll_at",
        "article_count",
    )
    list_filter = ("kind", "language", "active", "default_topic")
    search_fields = ("name", "slug", "feed_url", "site_url")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = (
        "last_polled_at",
        "last_success_at",
        "consecutive_failures",
        "last_error",
        "etag",
        "last_modified",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "kind",
                    "feed_url",
                    "site_url",
                    "language",
                    "default_topic",
                    "active",
                    "poll_interval",
                )
            },
        ),
        (
            _("Health"),
            {
                "fields": (
                    "last_polled_at",
                    "last_success_at",
                    "next_poll_at",
                    "consecutive_failures",
                    "last_error",
                    "etag",
                    "last_modified",
                )
            },
        ),
    )
    inlines = [IngestionLogInline]
    actions = ["poll_now", "export_opml", "activate", "deactivate"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("default_topic")
            .annotate(_articles=Count("articles"))
        )

    @admin.display(description=_("articles"), ordering="_articles")
    def article_count(self, obj: Source) -> int:
        return obj._articles

    @admin.display(description=_("health"), ordering="consecutive_failures")
    def health(self, obj: Source) -> str:
        if obj.consecutive_failures:
            return format_html(
                '<span title="{}">⚠ {} {}</span>',
                obj.last_error,
                obj.consecutive_failures,
                _("failures"),
            )
        if obj.last_success_at:
            return "✓"
        return "–"

    @admin.action(description=_("Poll the selected sources now"))
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        """Queue a poll of each source on the workers, the same task the schedule runs:
        no feed is fetched inside the editor's request (a slow feed would hold it, and
        the page's worker, for up to the fetch timeouts)."""
        from ingestion.tasks import poll_source

        ids = list(queryset.values_list("pk", flat=True))
        for source_id in ids:
            transaction.on_commit(lambda pk=source_id: poll_source.delay(pk))
        self.message_user(
            request,
            ngettext(
                "%(count)d source queued for polling: its outcome shows in this list "
                "(last success, errors) and in the ingestion log.",
                "%(count)d sources queued for polling: their outcomes show in this list "
                "(last success, errors) and in the ingestion log.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export the selected sources as OPML"))
    def export_opml(self, request: HttpRequest, queryset: QuerySet[Source]):
        from django.http import HttpResponse

        response = HttpResponse(
            ingestion_services.sources_export_opml(sources=queryset), content_type="text/x-opml"
        )
        response["Content-Disposition"] = 'attachment; filename="newsroom-sources.opml"'
        return response

    @admin.action(description=_("Activate"))
    def activate(self, request, queryset):
        queryset.update(active=True, next_poll_at=timezone.now())

    @admin.action(description=_("Deactivate"))
    def deactivate(self, request, queryset):
        queryset.update(active=False)


@admin.register(Transcript)
class TranscriptAdmin(admin.ModelAdmin):
    list_display = ("article", "origin", "format", "language", "word_count", "updated_at")
    list_filter = ("origin", "format", "language")
    search_fields = ("article__title",)
    list_select_related = ("article",)
    readonly_fields = (
        "article",
        "origin",
        "format",
        "language",
        "source_url",
        "word_count",
        "provenance",
        "created_at",
        "updated_at",
        "text",
    )
    exclude = ("segments",)


@admin.register(IngestionLog)
class IngestionLogAdmin(admin.ModelAdmin):
    list_display = ("source", *INGESTION_LOG_FIELDS, "short_error")
    list_filter = ("outcome", "source")
    date_hierarchy = "started_at"
    list_select_related = ("source",)
    search_fields = ("source__name", "error")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def short_error(self, obj: IngestionLog) -> str:
        return truncatechars(obj.error, 120)
