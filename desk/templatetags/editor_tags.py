"""The review queue on the admin's index page (templates/admin/index.html)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.db.models import Count, Prefetch
from django.urls import reverse

from articles.models import Article
from desk.desk import status_reasons
from digests.models import Digest

register = template.Library()

# How many of the articles waiting for review the index lists, oldest first.
QUEUE_LENGTH = 8


@register.simple_tag(takes_context=True)
def review_queue(context, limit: int = QUEUE_LENGTH) -> dict | None:
    """Articles by status (each count a link to the filtered list) and the articles that
    have waited longest for review; None for a user who may not see articles. Three
    queries, whatever the number of articles."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("articles.view_article"):
        return None
    changelist = reverse("admin:articles_article_changelist")
    counts = dict(
        Article.objects.order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    statuses = [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "url": f"{changelist}?{urlencode({'status__exact': value})}",
        }
        for value, label in Article.Status.choices
    ]
    # Oldest first: the article that came in first has waited longest.
    waiting = list(
        Article.objects.needing_review()
        .select_related("source")
        .prefetch_related(
            Prefetch("digests", queryset=Digest.objects.filter(status=Digest.Status.READY))
        )
        .order_by("created_at", "pk")[:limit]
    )
    return {
        "statuses": statuses,
        "total": sum(counts.values()),
        "review_count": counts.get(Article.Status.REVIEW, 0),
        "review_url": f"{changelist}?{urlencode({'status__exact': Article.Status.REVIEW})}",
        "waiting": [
            {
                "article": article,
                "change_url": reverse("admin:articles_article_change", args=[article.pk]),
                # Why it waits, in the editor's language, as the article page's desk says.
                "reasons": status_reasons(article, article.digest_for(article.language)),
            }
            for article in waiting
        ],
    }
