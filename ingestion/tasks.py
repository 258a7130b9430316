"""Celery tasks of ingestion: thin wrappers that load by id, call a service and chain the
next step.

Each next step is enqueued with transaction.on_commit, so a worker never picks up
an id whose row is not committed yet. Only transient errors are retried, with
exponential back-off and jitter; the longest countdown (RETRY_BACKOFF_MAX) stays
well under the broker's visibility_timeout (settings.py).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from articles import states
from articles.models import Article
from digests.tasks import RETRY_BACKOFF_MAX, make_digests
from ingestion import pipeline, services
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


class _OnWorkers:
    """The pipeline's next step as a task, enqueued once this transaction commits (a
    worker never picks up an id whose row is not committed yet), on its own queue."""

    def transcript(self, article_id: int, *, force: bool = False) -> None:
        transaction.on_commit(lambda: fetch_transcript.delay(article_id, force=force))

    def digests(self, article_id: int, *, force: bool = False) -> None:
        transaction.on_commit(lambda: make_digests.delay(article_id, force=force))


ON_WORKERS = _OnWorkers()


@shared_task(ignore_result=True)
def poll_source(source_id: int) -> list[int]:
    source = Source.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return []
    return pipeline.poll_step(source=source, then=ON_WORKERS).new_article_ids


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
    try:
        transcript = pipeline.transcript_step(
            article=article, then=ON_WORKERS, skip=tuple(skip or ()), force=force
        )
    except TRANSIENT as exc:
        if not self.request.is_eager:
            raise  # autoretry_for: tried again later with back-off
        # In-process (no broker): retrying at once would fail again and break the
        # caller (an admin action gets a 500). The article says "will retry" and
        # `manage.py transcribe --pending` takes it up again.
        logger.warning("transcript for article %s failed for now: %s", article_id, exc)
        return False
    return transcript is not None


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
