"""Which articles the reader has saved, for the stars on a page.

A list page asks once for all its articles:

    {% load favorite_tags %}
    {% favorite_ids_for articles as favorite_ids %}

and every `{% include "favorites/_star.html" with article=article %}` below it reads
`favorite_ids` from the context: one query for the whole page. A star on a page that
did not do this still works, at the cost of one query for that star.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from articles.models import Article
from favorites.models import Favorite

register = template.Library()


def _articles(values) -> Iterable[Article]:
    for value in values:
        if isinstance(value, Article):
            yield value
        elif value:  # a list, a page or a queryset of articles; None and "" are skipped
            yield from value


@register.simple_tag(takes_context=True)
def favorite_ids_for(context, *article_lists) -> frozenset[int]:
    """The ids of the reader's favorites among the given articles, in at most one query.

    Accepts any mix of articles and iterables of articles (querysets, lists, pages), so
    a page with several lists (e.g. an article and its "More from" cards) asks once.
    """
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return frozenset()
    # Iterating a queryset here fills its cache, so the page's own loop reuses the rows.
    return frozenset(Favorite.objects.for_user(user).article_ids(_articles(article_lists)))


@register.simple_tag(takes_context=True)
def favorite_saved(context, article: Article) -> bool:
    """Whether the reader saved `article`: from `favorite_ids` when the page set it."""
    favorite_ids = context.get("favorite_ids")
    if favorite_ids is not None:
        return article.pk in favorite_ids
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return False
    # Fallback for pages that did not call favorite_ids_for: one query per star.
    return Favorite.objects.for_user(user).filter(article=article).exists()


@register.filter
def tldr_in(article: Article, language: str) -> str:
    """The TL;DR for an article card in `language`, else in the other one (Article.digest_for,
    from the rows ArticleQuerySet.for_cards() prefetches)."""
    digest = article.digest_for((language or "en")[:2])
    return digest.tldr if digest else ""
