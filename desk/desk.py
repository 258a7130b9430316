"""The editor's desk on the article page.

Editors (staff who may change articles) open any article's page, whatever its status,
and see a banner above it: the status and why it is there, in the reader's language,
with buttons to publish it, send it back to review or write its digests again. The
buttons post here; what they do is done by the same services as the admin's actions.
Readers never see the banner, and get a 404 for a page that is not published.

The page cache (newsroom/pagecache.py) serves staff no stored page and stores none of
theirs, and their responses say no-store: a banner never reaches a reader.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from articles import services as articles_services
from articles.models import Article
from articles.permissions import can_edit
from digests import services as digests_services
from digests.models import Digest

# What each status means for the article, in a sentence.
STATUS_EXPLANATIONS = {
    Article.Status.NEW: gettext_lazy(
        "It was found in its feed; its transcript has not been fetched yet."
    ),
    Article.Status.NEEDS_TRANSCRIPT: gettext_lazy(
        "No transcript was found for it yet, so no digest could be written."
    ),
    Article.Status.TRANSCRIBED: gettext_lazy(
        "Its transcript is in; its digests are being written, or wait for the budget."
    ),
    Article.Status.DIGESTED: gettext_lazy(
        "Its digests are written; the publish rule has not decided yet."
    ),
    Article.Status.REVIEW: gettext_lazy(
        "It did not pass the publish rule, and waits for an editor."
    ),
    Article.Status.PUBLISHED: gettext_lazy("Readers see it."),
    Article.Status.FAILED: gettext_lazy("No digest could be written for it."),
    Article.Status.HIDDEN: gettext_lazy("It was taken off the site."),
}

# What each reason code means, in a sentence. A code without a sentence here is said
# by its detail alone (the chain's own account of each step, a digest's error).
REASON_SENTENCES = {
    Article.Reason.UNPUBLISHED_BY_EDITOR: gettext_lazy("An editor unpublished it."),
    Article.Reason.SENT_BACK_BY_EDITOR: gettext_lazy("An editor sent it back to review."),
    Article.Reason.NO_TRANSCRIPT_TO_SUMMARISE: gettext_lazy(
        "It has no transcript to write a digest from."
    ),
    Article.Reason.NO_DIGEST: gettext_lazy("No digest was written."),
    Article.Reason.TRANSCRIPT_KEPT: gettext_lazy(
        "A new transcript was asked for and could not be made; the old one is kept."
    ),
    Article.Reason.RETRY_LATER: gettext_lazy(
        "Fetching its transcript failed for now; it will be tried again."
    ),
    Article.Reason.BUDGET: gettext_lazy(
        "Its transcript waits for a budget or a service to be available again."
    ),
}
# Reasons an editor's own action records: they say all, whatever the digest.
EDITOR_REASONS = {Article.Reason.UNPUBLISHED_BY_EDITOR, Article.Reason.SENT_BACK_BY_EDITOR}


def _percent(share: float) -> str:
    return number_format(round(share * 100))


def _shortfall_words(shortfall: digests_services.PublishShortfall) -> str:
    if shortfall.code == digests_services.PublishShortfall.SHOW_NOTES:
        return _("Its digest was written from the show notes, not from a transcript.")
    if shortfall.code == digests_services.PublishShortfall.SCORE:
        threshold = number_format(shortfall.threshold, 1)
        if shortfall.value is None:
            return _("It has no score; the publish rule asks for %(threshold)s.") % {
                "threshold": threshold
            }
        return _("Its score, %(score)s, is below the %(threshold)s the publish rule asks for.") % {
            "score": number_format(shortfall.value, 1),
            "threshold": threshold,
        }
    return _(
        "Only %(share)s%% of its key points have a quote found in the transcript; "
        "the publish rule asks for %(threshold)s%%."
    ) % {"share": _percent(shortfall.value or 0), "threshold": _percent(shortfall.threshold)}


def status_reasons(article: Article, digest: Digest | None) -> tuple[list[str], str]:
    """Why the article has its status: sentences in the reader's language, from its
    reason code, and the technical detail recorded with it (shown as it is)."""
    code = article.status_code
    detail = (article.status_reason or "").strip()
    if code in EDITOR_REASONS:
        return [str(REASON_SENTENCES[code])], ""
    if article.status == Article.Status.REVIEW and digest is not None:
        shortfalls = digests_services.publish_rule_shortfalls(digest)
        if shortfalls:
            # The rule's own reasons, computed again from the digest: the recorded
            # detail is these in English.
            return [_shortfall_words(s) for s in shortfalls], ""
    if code in REASON_SENTENCES:
        return [str(REASON_SENTENCES[code])], detail
    return [], detail


def desk_context(article: Article) -> dict:
    """What the banner shows for `article` (its digests prefetched, ready ones only)."""
    now = timezone.now()
    published = article.status == Article.Status.PUBLISHED
    scheduled = published and article.published_at > now
    if scheduled:
        explanation = _("It is published, and readers see it from %(date)s.") % {
            "date": date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
        }
    else:
        explanation = str(STATUS_EXPLANATIONS.get(article.status, ""))
    # The digest the publish rule judges: the article's own language first.
    reasons, details = status_reasons(article, article.digest_for(article.language))
    return {
        "status": article.status,
        "status_label": article.get_status_display(),
        "visible_to_readers": published and not scheduled,
        "explanation": explanation,
        "reasons": reasons,
        "details": details,
        "can_publish": not published,
        "can_send_back": article.status != Article.Status.REVIEW,
        "can_regenerate": hasattr(article, "transcript"),
        "admin_url": reverse("admin:articles_article_change", args=[article.pk]),
    }


class ArticleDeskActionView(View):
    """One button of the desk: POST only, CSRF-checked by the middleware, for editors
    only (403 for anyone else, before the article is even looked up). Redirects back
    to the article's page with a message."""

    http_method_names = ["post"]
    action = ""

    def post(self, request: HttpRequest, slug: str) -> HttpResponseRedirect:
        if not can_edit(request.user):
            raise PermissionDenied
        article = get_object_or_404(Article, slug=slug)
        getattr(self, f"do_{self.action}")(request, article)
        return HttpResponseRedirect(article.get_absolute_url())

    def do_publish(self, request: HttpRequest, article: Article) -> None:
        articles_services.articles_publish(article_ids=[article.pk])
        if article.published_at > timezone.now():
            messages.success(
                request,
                _("Published: readers see it from %(date)s.")
                % {
                    "date": date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
                },
            )
        else:
            messages.success(request, _("Published: readers see it now."))

    def do_send_back(self, request: HttpRequest, article: Article) -> None:
        articles_services.articles_send_back(article_ids=[article.pk])
        messages.success(request, _("Sent back to review: readers no longer see it."))

    def do_regenerate(self, request: HttpRequest, article: Article) -> None:
        # Imported here, as the admin does: tasks load the pipeline's backends.
        from digests.tasks import digests_regenerate

        if not hasattr(article, "transcript"):
            messages.error(request, _("This article has no transcript to write a digest from."))
            return
        digests_regenerate(article_ids=[article.pk])
        messages.success(request, _("Digests queued for regeneration."))
