"""The desk's pipeline, said once: poll -> store episodes -> transcript chain ->
digests -> publish rule.

Each step is a function here; what runs next is asked of `then`, a `Next`:
- on workers (ingestion/tasks.py's ON_WORKERS), the next step is a Celery task
  enqueued on commit, on its own queue; an in-process Celery (no broker) runs the
  same tasks eagerly, so it takes the same path;
- for an operator's command and the demo (`InProcess` below), the next step runs at
  once, in this process, and what became of each episode is counted for the report.
The steps themselves are the services: `source_poll` and `transcript_fetch`
(ingestion/services.py), `article_digests_write` (digests/services.py, which ends
with the publish rule). The admin's and the desk's actions only enqueue tasks.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from articles.models import Article
from articles.services import article_transition
from articles.states import log_message
from digests.models import Digest
from digests.services import article_digests_write
from ingestion.models import Source, Transcript
from ingestion.services import PollResult, source_poll, transcript_fetch

logger = logging.getLogger(__name__)


class Next(Protocol):
    """How the step after this one is run: on a worker, or here and now."""

    def transcript(self, article_id: int, *, force: bool = False) -> None: ...

    def digests(self, article_id: int, *, force: bool = False) -> None: ...


# --- The steps, in their order ---------------------------------------------------------


def poll_step(*, source: Source, then: Next, data: bytes | None = None) -> PollResult:
    """Poll the feed and store its episodes; each new one, and any whose next step was
    lost, goes on to its transcript (or its digests)."""
    result = source_poll(source=source, data=data)
    lost_transcripts, lost_digests = stalled_articles(source)
    for article_id in [*result.new_article_ids, *lost_transcripts]:
        then.transcript(article_id)
    for article_id in lost_digests:
        then.digests(article_id)
    return result


def transcript_step(
    *, article: Article, then: Next, skip: tuple[str, ...] = (), force: bool = False
) -> Transcript | None:
    """Find the episode's transcript (the chain: feed, captions, speech-to-text, show
    notes); with one, the digests are next. A transcript already there is kept unless
    `force` (a task redelivered after its work was done finds it so)."""
    existing = getattr(article, "transcript", None)
    transcript = (
        existing if existing and not force else transcript_fetch(article=article, skip=skip)
    )
    if transcript is not None and (
        force or not article.digests.filter(status=Digest.Status.READY).exists()
    ):
        then.digests(article.pk, force=force)
    return transcript


def digests_step(*, article: Article, backend: str | None = None, force: bool = False):
    """Write the article's digests; the publish rule ends the step (digests/services.py)."""
    return article_digests_write(article=article, backend=backend, force=force)


def stalled_articles(source: Source) -> tuple[list[int], list[int]]:
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


# --- Running the steps here and now ----------------------------------------------------


@dataclass
class ProcessSummary:
    """What articles_process did with a poll's new episodes."""

    transcripts_found: int = 0
    transcripts_failed: int = 0
    # Why each waiting episode waits ("no transcript link in the feed" x 3, ...).
    waiting: Counter[str] = field(default_factory=Counter)
    digests_written: int = 0
    # Digests not written, by reason (too short, over the LLM budget, ...).
    digests_not_written: Counter[str] = field(default_factory=Counter)
    published: int = 0
    in_review: int = 0

    def describe(self) -> str:
        def reasons(counts: Counter[str]) -> str:
            said = "; ".join(f"{r} x{n}" if n > 1 else r for r, n in counts.most_common())
            return f" ({said})" if said else ""

        return (
            f"transcripts {self.transcripts_found} found, {sum(self.waiting.values())} "
            f"waiting{reasons(self.waiting)}, {self.transcripts_failed} failed; "
            f"digests {self.digests_written} written, {sum(self.digests_not_written.values())} "
            f"not written{reasons(self.digests_not_written)}; "
            f"articles {self.published} published, {self.in_review} waiting for review"
        )


@dataclass
class InProcess:
    """The next step runs at once, in this process (commands, the demo): errors are
    reported per episode, in the summary, rather than retried."""

    summary: ProcessSummary = field(default_factory=ProcessSummary)
    write_digests: bool = True

    def transcript(self, article_id: int, *, force: bool = False) -> None:
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            return
        try:
            transcript = transcript_step(article=article, then=self, force=force)
        except Exception as exc:  # noqa: BLE001 - reported per article, the batch goes on
            logger.warning("transcript for %s failed: %s", article.slug, exc)
            article_transition(
                article=article,
                to=Article.Status.NEEDS_TRANSCRIPT,
                reason=Article.Reason.TRANSCRIPT_FAILED,
                detail=str(exc),
            )
            self.summary.transcripts_failed += 1
            return
        if transcript is None:
            article.refresh_from_db(fields=["status_code", "status_reason"])
            # The detail alone for a chain that found none or waits for a budget.
            reason = article.status_reason or "no transcript found"
            if article.status_code == Article.Reason.TRANSCRIPT_KEPT:
                reason = log_message(article.status_code, article.status_reason)
            self.summary.waiting[reason.splitlines()[0][:120]] += 1
            return
        self.summary.transcripts_found += 1

    def digests(self, article_id: int, *, force: bool = False) -> None:
        article = Article.objects.filter(pk=article_id).first()
        if article is None or not self.write_digests:
            return
        for digest in digests_step(article=article, force=force):
            if digest.status == Digest.Status.READY:
                self.summary.digests_written += 1
            else:
                problem = (digest.error or digest.status).splitlines()[0]
                # "the transcript is too short to summarise: 19 words..." -> its gist.
                self.summary.digests_not_written[problem.split(":")[0][:120]] += 1
        article.refresh_from_db(fields=["status"])
        if article.status == Article.Status.PUBLISHED:
            self.summary.published += 1
        elif article.status == Article.Status.REVIEW:
            self.summary.in_review += 1


@dataclass
class Noted:
    """The next steps noted, not run: for a caller that runs them its own way (the demo
    reads its transcripts from its own files before the digests step)."""

    transcripts: list[int] = field(default_factory=list)
    digests_due: list[int] = field(default_factory=list)

    def transcript(self, article_id: int, *, force: bool = False) -> None:
        self.transcripts.append(article_id)

    def digests(self, article_id: int, *, force: bool = False) -> None:
        self.digests_due.append(article_id)


def articles_process(*, article_ids, digests: bool = True) -> ProcessSummary:
    """Transcript then digests for each article, in this process (commands, demo).

    Workers do the same through the Celery tasks; this is for an operator who wants
    the result now, with errors reported rather than retried. The summary says what
    became of each episode: an episode still waiting for its transcript is not done.
    """
    here = InProcess(write_digests=digests)
    for article_id in article_ids:
        here.transcript(article_id)
    return here.summary
