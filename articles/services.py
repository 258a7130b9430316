"""Writes of an article's status: publishing, unpublishing, featuring, and the slugs
that name articles and sources.
"""

from __future__ import annotations

import hashlib

from django.utils import timezone
from django.utils.text import slugify

from articles.events import article_is_published, articles_changed
from articles.models import Article


def unique_slug(model, text: str, *, fallback: str, salt: str = "") -> str:
    base = slugify(text)[:80].strip("-") or fallback
    if not model.objects.filter(slug=base).exists():
        return base
    digest = hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()
    for length in (6, 10, 16):
        candidate = f"{base[:80]}-{digest[:length]}"
        if not model.objects.filter(slug=candidate).exists():
            return candidate
    return f"{base[:60]}-{digest}"


def article_set_status(*, article: Article, status: str, reason: str = "") -> None:
    was_published = article_is_published(article.pk)
    Article.objects.filter(pk=article.pk).update(
        status=status, status_reason=reason[:2000], updated_at=timezone.now()
    )
    article.status, article.status_reason = status, reason
    if was_published or status == Article.Status.PUBLISHED:
        # update() sends no model signal: the event is sent here.
        articles_changed([article.pk], visible=True, fields={"status"})


def articles_publish(*, article_ids) -> int:
    ids = list(article_ids)
    count = Article.objects.filter(pk__in=ids).update(
        status=Article.Status.PUBLISHED, status_reason="", updated_at=timezone.now()
    )
    articles_changed(ids, visible=True, fields={"status"})
    return count


# The reasons an editor's own actions record, named once: the editor's desk on the
# article page (desk/desk.py) says them in the reader's language.
REASON_UNPUBLISHED = "unpublished by an editor"


REASON_SENT_BACK = "sent back to review by an editor"


def articles_unpublish(*, article_ids) -> int:
    ids = list(article_ids)
    count = Article.objects.filter(pk__in=ids).update(
        status=Article.Status.HIDDEN,
        status_reason=REASON_UNPUBLISHED,
        updated_at=timezone.now(),
    )
    articles_changed(ids, visible=True, fields={"status"})
    return count


def articles_send_back(*, article_ids) -> int:
    """Back to the review queue (from published, hidden, failed…), off the site."""
    ids = list(article_ids)
    count = Article.objects.filter(pk__in=ids).update(
        status=Article.Status.REVIEW,
        status_reason=REASON_SENT_BACK,
        updated_at=timezone.now(),
    )
    articles_changed(ids, visible=True, fields={"status"})
    return count


def articles_feature(*, article_ids, featured: bool = True) -> int:
    ids = list(article_ids)
    count = Article.objects.filter(pk__in=ids).update(featured=featured, updated_at=timezone.now())
    articles_changed(ids, visible=True, fields={"featured"})
    return count
