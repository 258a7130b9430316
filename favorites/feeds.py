"""The reader's private RSS feed of favorites, at a secret, revocable URL."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.html import escape, linebreaks
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from favorites.models import Favorite, FeedToken

FEED_SIZE = 50


class FavoriteFeed(Feed):
    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        # The feed is one reader's private data behind a secret URL: no shared cache may
        # keep it (a regenerated URL must stop working at once), and no search engine
        # should index it if the URL ever leaks.
        patch_cache_control(response, private=True, no_cache=True)
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_object(self, request: HttpRequest, token: str) -> FeedToken:
        # A wrong or revoked token is simply absent: 404, with nothing to tell them apart.
        # A deactivated account's feed stops too.
        return get_object_or_404(
            FeedToken.objects.select_related("user"), token=token, user__is_active=True
        )

    def title(self, obj: FeedToken) -> str:
        return _("Favorites of %(user)s on newsroom") % {"user": obj.user.get_username()}

    def description(self, obj: FeedToken) -> str:
        return _("The articles you saved, newest first.")

    def link(self, obj: FeedToken) -> str:
        return reverse("favorite_list")

    def items(self, obj: FeedToken):
        return (
            Favorite.objects.for_user(obj.user)
            .published()
            .with_cards()
            .order_by("-created_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item: Favorite) -> str:
        return item.article.title

    def item_description(self, item: Favorite) -> str:
        digest = item.article.digest_for((get_language() or "en")[:2])
        # A feed reader renders <description> as HTML: the TL;DR is text, so it is
        # escaped here (as in articles/feeds.py), or markup in it would run there.
        return linebreaks(escape(digest.tldr)) if digest else ""

    def item_link(self, item: Favorite) -> str:
        return item.article.get_absolute_url()

    def item_pubdate(self, item: Favorite):
        # When the reader saved it: that is the order of this feed.
        return item.created_at

    def item_categories(self, item: Favorite) -> list[str]:
        return [item.article.topic.name] if item.article.topic else []
