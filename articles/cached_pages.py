"""The page cache's subscriptions (newsroom/pagecache.py): which events make the
reader pages stale, and when the next scheduled article appears.

Connected from ArticlesConfig.ready(), in every process that writes (web, workers,
commands), not only where the cache's middleware loads.
"""

from __future__ import annotations

from django.utils import timezone

from articles import events
from articles.models import Article
from newsroom import pagecache


def _next_publication():
    """When the next scheduled article appears (a publication that no write announces)."""
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def _on_article_content_changed(sender, *, article_ids, using, visible=None, **kwargs):
    if visible is None:
        # A transcript, digest, key point or tag of articles readers do not see yet (the
        # pipeline writes many) changes no page: publishing them will.
        visible = (
            Article.objects.using(using)
            .filter(pk__in=list(article_ids), status=Article.Status.PUBLISHED)
            .exists()
        )
    if visible:
        pagecache.pages_changed(using=using)


def _on_site_content_changed(sender, *, using, **kwargs):
    pagecache.pages_changed(using=using)


def _on_reader_changed(sender, *, user_id, using, **kwargs):
    pagecache.reader_changed(user_id, using=using)


def subscribe() -> None:
    # Not favorites or accounts (personal), not the admin or the API.
    pagecache.register_pages(
        "today",
        "videos",
        "article_detail",
        "article_transcript_vtt",
        "article_transcript_srt",
        "topic_list",
        "topic_detail",
        "topic_feed",
        "topic_feed_atom",
        "feed_latest",
        "feed_latest_atom",
        "sitemap",
        "sitemap_section",
    )
    pagecache.register_schedule(_next_publication)
    events.article_content_changed.connect(_on_article_content_changed, dispatch_uid="pagecache")
    events.site_content_changed.connect(_on_site_content_changed, dispatch_uid="pagecache")
    events.reader_changed.connect(_on_reader_changed, dispatch_uid="pagecache")
