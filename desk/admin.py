"""The editors' workspace for articles.

Articles show where they are in the pipeline, with their digests and transcript
readable in place. Bulk actions go through services so they behave like the workers do.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services as articles_services
from articles import states
from articles.models import Article
from articles.transcript_data import Segment
from digests.admin import DigestInline
from ingestion import services as ingestion_services
from ingestion.errors import ParseError
from ingestion.models import Transcript
from ingestion.transcripts import parse_transcript


def _format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


# The article list's longest title and source name, in characters (the stylesheet
# then cuts them at the column's width, whatever the font).
LIST_TITLE_CHARS = 90
LIST_SOURCE_CHARS = 40


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

    def clean_status(self):
        status = self.cleaned_data.get("status")
        if "status" not in self.changed_data or self.instance.pk is None:
            return status
        # An editor's moves only (the admin's actions, the desk's buttons): the other
        # statuses belong to the pipeline.
        if status not in states.EDITOR_MOVES:
            raise forms.ValidationError(
                _(
                    "An editor may publish, hide or send an article back to review; the other "
                    "statuses are set by the pipeline."
                )
            )
        # Checked as every move is (articles/states.py); the reason goes with it.
        states.check_transition(
            self.instance.pk, self.initial.get("status"), status, states.EDITOR_MOVES[status]
        )
        self.instance.status_code = states.EDITOR_MOVES[status]
        self.instance.status_reason = ""
        return status

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
    # The reason filter lists the codes' labels, in the editor's language.
    list_filter = (
        "status",
        "status_code",
        "featured",
        "topic",
        "source",
        "language",
        "transcript__origin",
    )
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
        "status_code",
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
                    "status_code",
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
            ingestion_services.transcript_store(
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
            from digests.tasks import make_digests

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
                (_format_seconds(s.start), s.speaker, s.text)
                for s in Segment.from_rows(transcript.segments)[:3000]
            ),
        )
        return format_html(
            '<div style="max-height:30em;overflow:auto"><table>{}</table></div>', rows
        )

    @admin.action(description=_("Publish the selected articles"))
    def publish(self, request, queryset):
        count = articles_services.articles_publish(
            article_ids=queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request, ngettext("%d article published.", "%d articles published.", count) % count
        )

    @admin.action(description=_("Unpublish (hide) the selected articles"))
    def unpublish(self, request, queryset):
        count = articles_services.articles_unpublish(
            article_ids=queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request, ngettext("%d article hidden.", "%d articles hidden.", count) % count
        )

    @admin.action(description=_("Feature the selected articles"))
    def feature(self, request, queryset):
        articles_services.articles_feature(article_ids=queryset.values_list("pk", flat=True))

    @admin.action(description=_("Stop featuring the selected articles"))
    def unfeature(self, request, queryset):
        articles_services.articles_feature(
            article_ids=queryset.values_list("pk", flat=True), featured=False
        )

    @admin.action(description=_("Send the selected articles back to review"))
    def send_back(self, request, queryset):
        count = articles_services.articles_send_back(
            article_ids=queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%d article sent back to review.", "%d articles sent back to review.", count)
            % count,
        )

    @admin.action(description=_("Regenerate the digests"))
    def regenerate_digests(self, request, queryset):
        from digests.tasks import digests_regenerate

        digests_regenerate(article_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("Digests queued for regeneration."))

    @admin.action(description=_("Transcribe again with speech-to-text"))
    def speech_to_text_again(self, request, queryset):
        from ingestion.tasks import fetch_transcript

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
        from ingestion.tasks import fetch_transcript

        for pk in queryset.values_list("pk", flat=True):
            fetch_transcript.delay(pk, force=True)
        self.message_user(request, _("Transcripts queued."))
