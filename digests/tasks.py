"""Celery tasks of the digest step: thin wrappers that load by id and call a service."""

from __future__ import annotations

from celery import shared_task

from articles.models import Article
from digests import services

# The longest retry countdown, well under the broker's visibility_timeout (settings.py).
RETRY_BACKOFF_MAX = 60 * 60  # seconds


@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=4,
)
def make_digests(self, article_id: int, backend: str | None = None, force: bool = False) -> int:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    return len(services.article_digests_write(article=article, backend=backend, force=force))


def digests_regenerate(*, article_ids) -> int:
    """Write these articles' digests again, as an editor asked (the admin's action, the
    editor's desk on the article page): on a worker, or here when tasks run in-process.
    The publish rule then runs as usual; it never touches a published or hidden article."""
    ids = list(article_ids)
    for article_id in ids:
        make_digests.delay(article_id, force=True)
    return len(ids)
