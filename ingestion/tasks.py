"""Celery tasks of ingestion: thin wrappers that load by id, call a service and chain the
next step.

Each next step is enqueued with transaction.on_commit, so a worker never picks up
an id whose row is not committed yet. Only transient errors are retried, with
exponential back-off and jitter; the longest countdown (RETRY_BACKOFF_MAX) stays
well under the broker's visibility_timeout (settings.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles import states
from articles.models import Article
from digests.models import Digest
from digests.tasks import RETRY_BACKOFF_MAX, make_digests
from ingestion import services
from ingestion.fetch import FetchError
from ingestion.models import Source
from ingestion.provenance import TransientTranscriptError

logger = logging.getLogger(__name__)


TRANSIENT = (TransientTranscriptError, FetchError, ConnectionError, TimeoutError)


@shared_task(ignore_result=True)
def poll_due_sources() -> int:
    """Beat's entry point: claim due sources and poll each on a worker."""
    claimed = services.sources_claim_due()
    for source_id in claimed:
        poll_source.delay(source_id)
    return len(claimed)


@shared_task(ignore_result=True)
def poll_source(source_id: int) -> list[int]:
    source = Source.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return []
    result = services.source_poll(source=source)
    lost_transcripts, lost_digests = _stalled_articles(source)
    for article_id in [*result.new_article_ids, *lost_transcripts]:
        transaction.on_commit(lambda pk=article_id: fetch_transcript.delay(pk))
    for article_id in lost_digests:
        transaction.on_commit(lambda pk=article_id: make_digests.delay(pk))
    return result.new_article_ids


def _stalled_articles(source: Source) -> tuple[list[int], list[int]]:
    """This source's episodes whose next task was lost: (need a transcript, need digests).

    A broker restarted without persistence forgets the tasks it held, an enqueue
    fails while it is down, and a task fails when the database goes away under it;
    the rows stay behind, stuck in NEW or TRANSCRIBED. What made no progress for a
    whole visibility_timeout is taken as lost (the broker itself gives up on a task
    after that long). A duplicate is harmless: both tasks skip work already done.
    """
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    cutoff = timezone.now() - timedelta(seconds=timeout)
    articles = Article.objects.filter(source=source)
    no_transcript = articles.filter(status=Article.Status.NEW, created_at__lt=cutoff)
    # TRANSCRIBED after the publish rule ran means "waiting for the LLM budget" (its own
    # schedule); otherwise the digest task, or the end of it, was lost.
    no_digest = articles.filter(
        status=Article.Status.TRANSCRIBED, transcript__updated_at__lt=cutoff
    ).exclude(digests__status=Digest.Status.WAITING)
    return (
        list(no_transcript.values_list("pk", flat=True)[:100]),
        list(no_digest.values_list("pk", flat=True)[:100]),
    )


@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=6,
)
def fetch_transcript(
    self, article_id: int, skip: list[str] | None = None, force: bool = False
) -> bool:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return False
    has_transcript = hasattr(article, "transcript")
    if has_transcript and not force:
        # Redelivered after the work was done (a worker died before acknowledging).
        stored = True
    else:
        try:
            stored = services.transcript_fetch(article=article, skip=tuple(skip or ())) is not None
        except TRANSIENT as exc:
            if not self.request.is_eager:
                raise  # autoretry_for: tried again later with back-off
            # In-process (no broker): retrying at once would fail again and break the
            # caller (an admin action gets a 500). The article says "will retry" and
            # `manage.py transcribe --pending` takes it up again.
            logger.warning("transcript for article %s failed for now: %s", article_id, exc)
            return False
    if stored and (force or not article.digests.filter(status="ready").exists()):
        transaction.on_commit(lambda: make_digests.delay(article_id, force=force))
    return stored


@shared_task(ignore_result=True)
def retry_waiting_transcripts() -> int:
    """Hourly: articles whose transcript step will retry later or waits for a budget.

    A task's own retries end after a few hours; a speech-to-text budget renews each
    day. This takes such articles up again so none is left behind for good.
    """
    waiting = Article.objects.filter(
        status=Article.Status.NEEDS_TRANSCRIPT, status_code__in=states.RETRIED
    )
    ids = list(waiting.values_list("pk", flat=True)[:200])
    for article_id in ids:
        fetch_transcript.delay(article_id)
    return len(ids)
