"""The desk's pipeline, in one place: poll -> store episodes -> transcript chain ->
digests -> publish rule.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from articles.models import Article
from articles.services import article_transition
from articles.states import log_message
from digests.models import Digest
from digests.services import digest_make
from ingestion.services import transcript_fetch

logger = logging.getLogger(__name__)


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


def articles_process(*, article_ids, digests: bool = True) -> ProcessSummary:
    """Transcript then digests for each article, in this process (commands, demo).

    Workers do the same through the Celery chain; this is for an operator who wants
    the result now, with errors reported rather than retried. The summary says what
    became of each episode: an episode still waiting for its transcript is not done.
    """
    summary = ProcessSummary()
    for article in Article.objects.filter(pk__in=list(article_ids)):
        try:
            transcript = transcript_fetch(article=article)
        except Exception as exc:  # noqa: BLE001 - reported per article, the batch goes on
            logger.warning("transcript for %s failed: %s", article.slug, exc)
            article_transition(
                article=article,
                to=Article.Status.NEEDS_TRANSCRIPT,
                reason=Article.Reason.TRANSCRIPT_FAILED,
                detail=str(exc),
            )
            summary.transcripts_failed += 1
            continue
        if transcript is None:
            article.refresh_from_db(fields=["status_code", "status_reason"])
            # The detail alone for a chain that found none or waits for a budget.
            reason = article.status_reason or "no transcript found"
            if article.status_code == Article.Reason.TRANSCRIPT_KEPT:
                reason = log_message(article.status_code, article.status_reason)
            summary.waiting[reason.splitlines()[0][:120]] += 1
            continue
        summary.transcripts_found += 1
        if digests:
            for digest in digest_make(article=article):
                if digest.status == Digest.Status.READY:
                    summary.digests_written += 1
                else:
                    problem = (digest.error or digest.status).splitlines()[0]
                    # "the transcript is too short to summarise: 19 words..." -> its gist.
                    summary.digests_not_written[problem.split(":")[0][:120]] += 1
            article.refresh_from_db(fields=["status"])
            if article.status == Article.Status.PUBLISHED:
                summary.published += 1
            elif article.status == Article.Status.REVIEW:
                summary.in_review += 1
    return summary
