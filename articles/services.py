"""Writes of an article's status (every move through article_transition and the table
in articles/states.py): publishing, unpublishing, featuring, and the slugs that name
articles and sources.
"""

from __future__ import annotations

import hashlib

from django.utils import timezone
from django.utils.text import slugify

from articles import states
from articles.events import articles_changed
from articles.models import Article
from articles.states import InvalidTransition, Reason, Status


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


def article_transition(
    *, article: Article, to: str, reason: str = Reason.NONE, detail: str = ""
) -> None:
    """Move the article to `to`, for `reason` (a code; `detail` its technical words).

    The one way an article's status changes (articles/states.py has the table): a move
    the table does not have raises InvalidTransition and writes nothing. The state is
    read from the database, not from `article`, which an update() elsewhere may have
    made stale.
    """
    rows = Article.objects.filter(pk=article.pk)
    while True:
        current = rows.values_list("status", flat=True).first()
        if current is None:
            return  # deleted meanwhile: nothing to move
        states.check_transition(article.pk, current, to, reason)
        # Written only if no one moved it since it was read; else read and judged again.
        if rows.filter(status=current).update(
            status=to, status_code=reason, status_reason=detail[:2000], updated_at=timezone.now()
        ):
            break
    was_published = current == Status.PUBLISHED
    article.status, article.status_code, article.status_reason = to, reason, detail[:2000]
    if was_published or to == Status.PUBLISHED:
        # update() sends no model signal: the event is sent here.
        articles_changed([article.pk], visible=True, fields={"status"})


def article_note(*, article: Article, reason: str, detail: str = "") -> None:
    """Record why something failed without moving the article (states.NOTES): an
    article that keeps its transcript keeps its status too."""
    if reason not in states.NOTES:
        raise InvalidTransition(article.pk, article.status, article.status, reason)
    Article.objects.filter(pk=article.pk).update(
        status_code=reason, status_reason=detail[:2000], updated_at=timezone.now()
    )
    article.status_code, article.status_reason = reason, detail[:2000]


def _articles_transition(*, article_ids, to: str) -> int:
    """An editor's action on many articles, by the same table as one: all move, or none
    does (InvalidTransition names the first that may not)."""
    reason = states.EDITOR_MOVES[to]
    ids = list(article_ids)
    chosen = Article.objects.filter(pk__in=ids)
    refused = chosen.exclude(status__in=states.allowed_from(to, reason)).first()
    if refused is not None:
        raise InvalidTransition(refused.pk, refused.status, to, reason)
    count = chosen.update(
        status=to, status_code=reason, status_reason="", updated_at=timezone.now()
    )
    articles_changed(ids, visible=True, fields={"status"})
    return count


def articles_publish(*, article_ids) -> int:
    return _articles_transition(article_ids=article_ids, to=Status.PUBLISHED)


def articles_unpublish(*, article_ids) -> int:
    return _articles_transition(article_ids=article_ids, to=Status.HIDDEN)


def articles_send_back(*, article_ids) -> int:
    """Back to the review queue (from published, hidden, failed…), off the site."""
    return _articles_transition(article_ids=article_ids, to=Status.REVIEW)


def articles_feature(*, article_ids, featured: bool = True) -> int:
    ids = list(article_ids)
    count = Article.objects.filter(pk__in=ids).update(featured=featured, updated_at=timezone.now())
    articles_changed(ids, visible=True, fields={"featured"})
    return count
