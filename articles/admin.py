"""The editors' workspace.

Sources show their health; articles show where they are in the pipeline, with
their digests and transcript readable in place; digests edit their key points
inline. Bulk actions go through services so they behave like the workers do.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.ingestion.errors import ParseError
from articles.ingestion.transcripts import parse_transcript
from articles.models import Article, Digest, IngestionLog, KeyPoint, Source, Transcript


def _format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


# The article list's longest title and source name, in characters (the stylesheet
# then cuts them at the column's width, whatever the font).
LIST_TITLE_CHARS = 90
LIST_SOURCE_CHARS = 40

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
        from articles.tasks import poll_source

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
            services.sources_export_opml(sources=queryset), content_type="text/x-opml"
        )
        response["Content-Disposition"] = 'attachment; filename="newsroom-sources.opml"'
        return response

    @admin.action(description=_("Activate"))
    def activate(self, request, queryset):
        queryset.update(active=True, next_poll_at=timezone.now())

    @admin.action(description=_("Deactivate"))
    def deactivate(self, request, queryset):
        queryset.update(active=False)


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


class ArticleAdminForm(forms.ModelForm):
    """The article form, plus a file that replaces the transcript (VTT, SRT, text…)."""

    replace_transcript = forms.FileField(
        label=_("Replace the transcript"),
        required=False,
        help_text=_(
            "A WebVTT, SRT, SBV, JSON, HTML or plain-text transcript. It replaces the "
            "current one and is marked as uploaded by an editor; digests are then "
            "written again."
        ),
    )

    class Meta:
        model = Article
        # The admin builds the form from ArticleAdmin.fieldsets; this only satisfies ModelForm.
        fields = ("title",)

    def clean_replace_transcript(self):
        upload = self.cleaned_data.get("replace_transcript")
        if not upload:
            return None
        if upload.size > settings.FETCH_MAX_TRANSCRIPT_BYTES:
            raise forms.ValidationError(_("This file is too large."))
        data = upload.read()
        # NUL bytes without a UTF-16 byte-order mark: an image or an archive, which
        # the plain-text reader would otherwise accept as a "transcript" of garbage.
        if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise forms.ValidationError(_("This is not a text file."))
        try:
            # The browser's type comes from the editor's computer (an .srt is often sent
            # as text/plain or octet-stream); the file's name and content say more.
            parsed = parse_transcript(data, content_type="", filename=upload.name)
        except ParseError as exc:
            raise forms.ValidationError(str(exc))
        if not parsed.segments:
            raise forms.ValidationError(_("This transcript is empty."))
        return parsed


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    # Readable at 1,280 px beside the filters: one line per article, nothing cut off on
    # the right. Topic, tags, featuring and the transcript are on the change page (and
    # in the filters).
    list_display = ("short_title", "status", "score", "source_name", "published")
    list_filter = ("status", "featured", "topic", "source", "language", "transcript__origin")
    list_select_related = ("source",)
    search_fields = ("title", "guid", "slug", "source__name")
    date_hierarchy = "published_at"
    list_per_page = 50
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("source",)
    readonly_fields = (
        "guid",
        "created_at",
        "updated_at",
        "status_reason",
        "score",
        "transcript_view",
        "provenance_view",
        "duration_display",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "source",
                    "guid",
                    "status",
                    "status_reason",
                    "featured",
                    "topic",
                    "tags",
                    "score",
                    "language",
                    "published_at",
                )
            },
        ),
        (
            _("Media"),
            {
                "fields": (
                    "original_url",
                    "audio_url",
                    "audio_type",
                    "video_url",
                    "video_id",
                    "image_url",
                    "duration_seconds",
                    "duration_display",
                    "chapters_url",
                )
            },
        ),
        (_("Show notes"), {"classes": ("collapse",), "fields": ("description_html",)}),
        (
            _("Transcript"),
            {
                "classes": ("collapse",),
                "fields": ("provenance_view", "replace_transcript", "transcript_view"),
            },
        ),
        (_("Record"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )
    inlines = [DigestInline]
    actions = [
        "publish",
        "send_back",
        "unpublish",
        "feature",
        "unfeature",
        "regenerate_digests",
        "refetch_transcripts",
        "speech_to_text_again",
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        parsed = form.cleaned_data.get("replace_transcript")
        if parsed:
            services.transcript_store(
                article=obj,
                origin=Transcript.Origin.MANUAL,
                segments=parsed.segments,
                format=parsed.format,
                language=obj.language,
                provenance=[
                    {
                        "step": "manual",
                        "outcome": "used",
                        "reason": f"uploaded by {request.user.get_username()}",
                        "at": timezone.now().isoformat(),
                    }
                ],
            )
            from articles.tasks import make_digests

            transaction.on_commit(lambda: make_digests.delay(obj.pk, force=True))
            self.message_user(request, _("Transcript replaced; digests are being rewritten."))

    class Media:
        css = {"all": ("css/admin.css",)}

    @admin.display(description=_("title"), ordering="title")
    def short_title(self, obj: Article) -> str:
        # Cut by the stylesheet at the column's width; the whole title on hover.
        return format_html(
            '<span class="article-title" title="{}">{}</span>',
            obj.title,
            truncatechars(obj.title, LIST_TITLE_CHARS),
        )

    @admin.display(description=_("source"), ordering="source__name")
    def source_name(self, obj: Article) -> str:
        return format_html(
            '<span class="article-source" title="{}">{}</span>',
            obj.source.name,
            truncatechars(obj.source.name, LIST_SOURCE_CHARS),
        )

    @admin.display(description=_("published"), ordering="published_at")
    def published(self, obj: Article) -> str:
        moment = timezone.localtime(obj.published_at)
        return format_html(
            '<time class="nowrap" datetime="{}" title="{}">{}</time>',
            moment.isoformat(),
            date_format(moment, "DATETIME_FORMAT"),
            date_format(moment, "SHORT_DATE_FORMAT"),
        )

    def changelist_view(self, request, extra_context=None):
        # The list takes the whole width for its columns beside the filters; the other
        # admin pages keep the navigation sidebar.
        return super().changelist_view(
            request, {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        )

    @admin.display(description=_("duration"))
    def duration_display(self, obj: Article) -> str:
        return _format_seconds(obj.duration_seconds)

    @admin.display(description=_("where it comes from"))
    def provenance_view(self, obj: Article) -> str:
        transcript = getattr(obj, "transcript", None)
        if transcript is None:
            return _("No transcript yet.")
        steps = format_html_join(
            "",
            "<li><strong>{}</strong> – {}: {}</li>",
            ((p.get("step"), p.get("outcome"), p.get("reason")) for p in transcript.provenance),
        )
        return format_html(
            "<p>{} ({}, {} {})</p><ul>{}</ul>",
            transcript.get_origin_display(),
            transcript.format,
            transcript.word_count,
            _("words"),
            steps,
        )

    @admin.display(description=_("transcript"))
    def transcript_view(self, obj: Article) -> str:
        transcript = getattr(obj, "transcript", None)
        if transcript is None:
            return "–"
        rows = format_html_join(
            "",
            '<tr><td style="white-space:nowrap">{}</td><td>{}</td><td>{}</td></tr>',
            (
                (_format_seconds(s.get("start")), s.get("speaker") or "", s.get("text") or "")
                for s in transcript.segments[:3000]
            ),
        )
        return format_html(
            '<div style="max-height:30em;overflow:auto"><table>{}</table></div>', rows
        )

    @admin.action(description=_("Publish the selected articles"))
    def publish(self, request, queryset):
        count = services.articles_publish(article_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request, ngettext("%d article published.", "%d articles published.", count) % count
        )

    @admin.action(description=_("Unpublish (hide) the selected articles"))
    def unpublish(self, request, queryset):
        count = services.articles_unpublish(article_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request, ngettext("%d article hidden.", "%d articles hidden.", count) % count
        )

    @admin.action(description=_("Feature the selected articles"))
    def feature(self, request, queryset):
        services.articles_feature(article_ids=queryset.values_list("pk", flat=True))

    @admin.action(description=_("Stop featuring the selected articles"))
    def unfeature(self, request, queryset):
        services.articles_feature(article_ids=queryset.values_list("pk", flat=True), featured=False)

    @admin.action(description=_("Send the selected articles back to review"))
    def send_back(self, request, queryset):
        count = services.articles_send_back(article_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%d article sent back to review.", "%d articles sent back to review.", count)
            % count,
        )

    @admin.action(description=_("Regenerate the digests"))
    def regenerate_digests(self, request, queryset):
        from articles.tasks import digests_regenerate

        digests_regenerate(article_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("Digests queued for regeneration."))

    @admin.action(description=_("Transcribe again with speech-to-text"))
    def speech_to_text_again(self, request, queryset):
        from articles.tasks import fetch_transcript

        if not settings.STT_BASE_URL:
            self.message_user(
                request, _("Speech-to-text is not configured (STT_BASE_URL)."), messages.ERROR
            )
            return
        for pk in queryset.values_list("pk", flat=True):
            fetch_transcript.delay(pk, skip=["feed", "captions", "description"], force=True)
        self.message_user(request, _("Speech-to-text queued."))

    @admin.action(description=_("Fetch the transcripts again"))
    def refetch_transcripts(self, request, queryset):
        from articles.tasks import fetch_transcript

        for pk in queryset.values_list("pk", flat=True):
            fetch_transcript.delay(pk, force=True)
        self.message_user(request, _("Transcripts queued."))


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
        services.article_apply_publish_rule(article=obj.article)


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


def admin_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
