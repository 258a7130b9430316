"""Reader pages for favorites: the star, /favorites/, the private feed and the exports.

Views stay thin: reads are FavoriteQuerySet methods, writes are `favorites.services`.
"""

from __future__ import annotations

import csv
import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import ListView

from articles.models import Article
from favorites import services
from favorites.filters import FavoriteFilter
from favorites.models import Favorite, FeedToken
from favorites.redirects import safe_next_url

# An anonymous reader's click on a star, remembered in their session until they have
# signed in (or signed up). Django keeps session data when it cycles the session key
# at sign-in, and the value can only be set by a CSRF-checked POST, so the GET that
# completes the save after sign-in cannot be forged by another site.
PENDING_SESSION_KEY = "favorites:pending"

ACTIONS = {"add", "remove"}


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "POST"])
def favorite_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    """POST: save or forget an article (action=add|remove). GET: finish a save after sign-in."""
    if request.method == "POST":
        return _favorite_change(request, slug)
    return _favorite_after_login(request, slug)


def _favorite_change(request: HttpRequest, slug: str) -> HttpResponse:
    # The form says what it wants rather than "toggle", so a repeated submission (a double
    # click, a retried request, the back button) leaves the same state as a single one.
    action = request.POST.get("action")
    if action not in ACTIONS:
        return HttpResponseBadRequest("action must be 'add' or 'remove'")
    next_url = safe_next_url(request, request.POST.get("next"))

    if not request.user.is_authenticated:
        article = get_object_or_404(Article.objects.published(), slug=slug)
        return _send_to_login(request, article, action=action, next_url=next_url)

    if action == "add":
        article = get_object_or_404(Article.objects.published(), slug=slug)
        services.favorite_add(user=request.user, article=article)
    else:
        # A reader may forget an article an editor has since hidden, but nobody learns
        # anything about hidden articles they never saved.
        article = get_object_or_404(
            Article.objects.filter(
                Q(pk__in=Article.objects.published()) | Q(favorites__user=request.user)
            ).distinct(),
            slug=slug,
        )
        services.favorite_remove(user=request.user, article=article)

    if _wants_json(request):
        return JsonResponse({"saved": action == "add", "count": article.favorites.count()})
    return redirect(next_url or article.get_absolute_url())


def _send_to_login(
    request: HttpRequest, article: Article, *, action: str, next_url: str | None
) -> HttpResponse:
    if action == "add":
        request.session[PENDING_SESSION_KEY] = article.pk
        # After sign-in, come back through the GET below, which completes the save and
        # then returns to the page the star was on.
        after_login = reverse("favorite_toggle", kwargs={"slug": article.slug})
        if next_url:
            after_login += "?" + urlencode({"then": next_url})
    else:
        # Nothing to remove for a reader who is not signed in: just come back.
        after_login = next_url or article.get_absolute_url()
    login_url = redirect_to_login(after_login).url
    if _wants_json(request):
        return JsonResponse({"login_url": login_url}, status=401)
    return redirect(login_url)


def _favorite_after_login(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    article = get_object_or_404(Article.objects.published(), slug=slug)
    then = safe_next_url(request, request.GET.get("then")) or article.get_absolute_url()

    if request.session.get(PENDING_SESSION_KEY) == article.pk:
        del request.session[PENDING_SESSION_KEY]
        services.favorite_add(user=request.user, article=article)
        return redirect(then)
    if Favorite.objects.for_user(request.user).filter(article=article).exists():
        return redirect(then)
    # A GET never saves by itself (a link on another site could point here): without a
    # pending click from this session, ask the reader to confirm with the usual form.
    return render(request, "favorites/favorite_confirm.html", {"article": article, "then": then})


class FavoriteListView(LoginRequiredMixin, ListView):
    """The reader's saved articles, newest saved first, filterable by topic."""

    template_name = "favorites/favorite_list.html"
    context_object_name = "favorites"
    paginate_by = 20

    def get_queryset(self):
        self.filterset = FavoriteFilter(
            self.request.GET or None,
            queryset=Favorite.objects.for_user(self.request.user)
            .published()
            .with_cards()
            .order_by("-created_at", "-id"),
            request=self.request,
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            raise BadRequest("unknown topic")
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        # After removing the last item of the last page, ?page=N no longer exists: show
        # the new last page rather than a 404 (and page=abc shows the first).
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter=self.filterset,
            topic_filtered=bool(
                self.filterset.is_bound and self.filterset.form.cleaned_data.get("topic")
            ),
            **private_feed_context(self.request),
        )
        return context


def private_feed_context(request: HttpRequest) -> dict:
    """What favorites/_private_feed.html shows: the reader's feed address, if any.
    Shared by /favorites/ and the account page."""
    feed_token = FeedToken.objects.filter(user=request.user).first()
    return {
        "feed_url": (
            request.build_absolute_uri(reverse("favorite_feed", kwargs={"token": feed_token.token}))
            if feed_token
            else None
        ),
        "feed_token": feed_token,
    }


def _back_to_feed(request: HttpRequest) -> HttpResponse:
    # The account page has the same forms: it sends the reader back there.
    return redirect(
        safe_next_url(request, request.POST.get("next"))
        or reverse("favorite_list") + "#private-feed"
    )


@login_required
@require_POST
def feed_regenerate(request: HttpRequest) -> HttpResponse:
    services.feed_token_regenerate(user=request.user)
    return _back_to_feed(request)


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    services.feed_token_revoke(user=request.user)
    return _back_to_feed(request)


def _export_rows(request: HttpRequest) -> list[dict]:
    favorites = (
        Favorite.objects.for_user(request.user)
        .published()
        .select_related("article__topic", "article__source")
        .order_by("-created_at", "-id")
    )
    return [
        {
            "title": f.article.title,
            "url": request.build_absolute_uri(f.article.get_absolute_url()),
            "topic": f.article.topic.name if f.article.topic else "",
            "source": f.article.source.name,
            "published_at": f.article.published_at.isoformat(),
            "saved_at": f.created_at.isoformat(),
        }
        for f in favorites
    ]


EXPORT_FIELDS = ["title", "url", "topic", "source", "published_at", "saved_at"]


def _attachment(response: HttpResponse, extension: str) -> HttpResponse:
    filename = f"newsroom-favorites-{timezone.localdate():%Y-%m-%d}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    payload = {"exported_at": timezone.now().isoformat(), "favorites": _export_rows(request)}
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    return _attachment(response, "json")


# A spreadsheet runs a cell that starts with one of these as a formula, so a hostile
# article title such as =HYPERLINK(...) could act when the reader opens the export.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # A byte-order mark, so that spreadsheets read accented titles as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(EXPORT_FIELDS)
    for row in _export_rows(request):
        writer.writerow([csv_cell(row[field]) for field in EXPORT_FIELDS])
    return _attachment(response, "csv")
