"""Writes of the digest step: an article's digests, grounded, then the publish rule.

The summariser runs outside any transaction; what it wrote is stored only if the
transcript did not change meanwhile (re-checked under a row lock).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from articles import events
from articles.models import Article
from articles.services import article_transition
from articles.states import InvalidTransition
from articles.transcript_data import Segment
from digests.backends import get_summarizer
from digests.base import (
    BudgetExhausted,
    DigestData,
    SummarizationError,
    Summarizer,
    TopicChoice,
    TranscriptInput,
)
from digests.grounding import ground_key_points
from digests.models import Digest, KeyPoint
from topics.models import Topic

logger = logging.getLogger(__name__)


def topic_choices() -> list[TopicChoice]:
    return [
        TopicChoice(slug=t.slug, name=t.name_en, keywords=t.keyword_list)
        for t in Topic.objects.all()
    ]


def digest_languages_for(article: Article, backend_name: str) -> list[str]:
    """The extractive backend writes only the episode's own language (no offline translation)."""
    wanted = [lang for lang in settings.DIGEST_LANGUAGES if lang in ("en", "fr")]
    if backend_name == "extractive":
        return [article.language] if article.language in wanted or not wanted else []
    return wanted


def digest_summarize(
    summarizer: Summarizer,
    transcript: TranscriptInput,
    *,
    language: str,
    topics: Sequence[TopicChoice] = (),
) -> DigestData:
    """The backend's digest, its key points grounded against the transcript.

    The one place digests are grounded (backends only summarise): what digest_make
    stores and what `manage.py digest` prints. Touches no database.
    """
    data = summarizer.summarize(transcript, language=language, topics=topics)
    ground_key_points(data.key_points, transcript.segments)
    return data


def article_digests_write(
    *, article: Article, backend: str | None = None, force: bool = False
) -> list[Digest]:
    """The pipeline's digest step (ingestion/pipeline.py, the digest task): write the
    article's digests unless they are there already (a task redelivered after its work
    was done), then the publish rule. `force` writes them again (an editor asked)."""
    if not force and article.digests.filter(status=Digest.Status.READY).exists():
        if article.status == Article.Status.TRANSCRIBED:
            # The digests were written but the worker died (or the database went away)
            # before the publish rule ran: run it now, or the article waits for good.
            article_apply_publish_rule(article=article)
        return []
    return digest_make(article=article, backend=backend)


def digest_make(
    *, article: Article, backend: str | None = None, languages: list[str] | None = None
) -> list[Digest]:
    """Write the article's digests, then apply the publish rule.

    The summariser runs outside any transaction; the result is written only if the
    transcript did not change meanwhile (re-checked under a row lock).
    """
    # Read afresh through the article's relation (the ingestion app, which writes
    # transcripts, builds on this one).
    fresh = Article.objects.select_related("transcript").filter(pk=article.pk).first()
    transcript = getattr(fresh, "transcript", None)
    if transcript is None:
        article_transition(
            article=article,
            to=Article.Status.NEEDS_TRANSCRIPT,
            reason=Article.Reason.NO_TRANSCRIPT_TO_SUMMARISE,
        )
        return []
    summarizer = get_summarizer(backend)
    languages = languages or digest_languages_for(article, summarizer.name)
    topics = topic_choices()
    source_input = TranscriptInput(
        segments=Segment.from_rows(transcript.segments),
        language=transcript.language or article.language,
        title=article.title,
    )
    seen_version = transcript.updated_at
    digests = []
    for language in languages:
        try:
            data = digest_summarize(summarizer, source_input, language=language, topics=topics)
        except BudgetExhausted as exc:
            digests.append(
                _digest_record_problem(
                    article, language, Digest.Status.WAITING, str(exc), summarizer.name
                )
            )
            continue
        except SummarizationError as exc:
            digests.append(
                _digest_record_problem(
                    article, language, Digest.Status.FAILED, str(exc), summarizer.name
                )
            )
            continue
        digest = _digest_write(
            article=article,
            data=data,
            from_show_notes=transcript.origin == transcript.Origin.DESCRIPTION,
            seen_version=seen_version,
        )
        if digest is not None:
            digests.append(digest)
    article_apply_publish_rule(article=article)
    return digests


def _digest_record_problem(
    article: Article, language: str, status: str, reason: str, backend: str
) -> Digest:
    # A failure never replaces a ready digest: the old one stays on the site.
    digest, created = Digest.objects.get_or_create(
        article=article,
        language=language,
        defaults={"status": status, "error": reason[:2000], "backend": backend},
    )
    if not created:
        if digest.status == Digest.Status.READY:
            Digest.objects.filter(pk=digest.pk).update(error=reason[:2000])
        else:
            Digest.objects.filter(pk=digest.pk).update(
                status=status, error=reason[:2000], backend=backend
            )
            digest.status = status
    digest.error = reason
    logger.warning("digest %s/%s %s: %s", article.slug, language, status, reason)
    return digest


def _digest_write(
    *, article: Article, data: DigestData, from_show_notes: bool, seen_version
) -> Digest | None:
    grounded = [kp.grounded for kp in data.key_points]
    grounding = (sum(1 for g in grounded if g) / len(grounded)) if grounded else 0.0
    # The digest's save, its key points and tags reach the subscribers as one event, at
    # the end (the page cache and the search index then read them all).
    with transaction.atomic(), events.batched():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        current = Article.objects.filter(pk=locked.pk).values_list(
            "transcript__updated_at", flat=True
        )
        if list(current) != [seen_version]:
            logger.info("transcript of %s changed while summarising; result dropped", article.slug)
            return None
        digest, _ = Digest.objects.update_or_create(
            article=locked,
            language=data.language,
            defaults={
                "tldr": data.tldr,
                "conclusion": data.conclusion,
                "score": Decimal(str(round(data.score, 1))),
                "score_parts": data.score_parts,
                "backend": data.backend,
                "model_name": data.model[:200],
                "version": data.version[:50],
                "grounding": round(grounding, 3),
                "from_show_notes": from_show_notes,
                "status": Digest.Status.READY,
                "error": "",
                "token_usage": data.token_usage,
            },
        )
        digest.key_points.all().delete()
        KeyPoint.objects.bulk_create(
            KeyPoint(
                digest=digest,
                order=i,
                heading=kp.heading[:300],
                body=kp.body,
                start_seconds=kp.start,
                quote=kp.quote,
                grounded=kp.grounded,
            )
            for i, kp in enumerate(data.key_points)
        )
        if locked.topic_id is None:
            topic = Topic.objects.filter(slug=data.topic).first() if data.topic else None
            topic = topic or locked.source.default_topic
            if topic:
                Article.objects.filter(pk=locked.pk).update(topic=topic)
                article.topic = topic
        if data.tags and not locked.tags.exists():
            locked.tags.add(*[t[:100] for t in data.tags[:8]])
        # The key points and topic were written without model signals.
        events.articles_changed([locked.pk], visible=locked.status == Article.Status.PUBLISHED)
    return digest


@dataclass(frozen=True)
class PublishShortfall:
    """One way a digest falls short of the publish rule: `value` against `threshold`."""

    SHOW_NOTES = "show_notes"
    SCORE = "score"
    GROUNDING = "grounding"

    code: str
    value: Decimal | float | None = None
    threshold: float | None = None


def publish_rule_shortfalls(digest: Digest) -> list[PublishShortfall]:
    """Why this ready digest may not be published without an editor (none: it may).

    The rule itself, in one place: the publish rule records it in words on the
    article, and the editor's desk says it in the reader's language.
    """
    shortfalls = []
    if digest.from_show_notes:
        shortfalls.append(PublishShortfall(PublishShortfall.SHOW_NOTES))
    score = digest.effective_score
    if score is None or score < Decimal(str(settings.AUTO_PUBLISH_MIN_SCORE)):
        shortfalls.append(
            PublishShortfall(PublishShortfall.SCORE, score, settings.AUTO_PUBLISH_MIN_SCORE)
        )
    if (digest.grounding or 0) < settings.AUTO_PUBLISH_MIN_GROUNDING:
        shortfalls.append(
            PublishShortfall(
                PublishShortfall.GROUNDING,
                digest.grounding or 0,
                settings.AUTO_PUBLISH_MIN_GROUNDING,
            )
        )
    return shortfalls


def article_apply_publish_rule(*, article: Article) -> str:
    """Publish automatically when the digest is good and grounded; else the review queue.

    Never publishes a digest made from show notes, and never touches an article an
    editor has already published or hidden.
    """
    article.refresh_from_db(fields=["status"])
    # The digest in the article's own language leads; digests were just written.
    primary = article.digest_for(article.language, fresh=True)
    score = primary.effective_score if primary else None
    Article.objects.filter(pk=article.pk).update(score=score)
    article.score = score
    if article.status == Article.Status.PUBLISHED:  # refreshed above
        events.articles_changed([article.pk], visible=True, fields={"score"})
    if article.status in (Article.Status.PUBLISHED, Article.Status.HIDDEN):
        return article.status
    if primary is None:
        problems = list(article.digests.exclude(error="").values_list("language", "error"))
        detail = "; ".join(f"{lang}: {err}" for lang, err in problems)
        if article.digests.filter(status=Digest.Status.WAITING).exists():
            # Stays TRANSCRIBED: its digests are written once the LLM budget renews.
            status, reason = Article.Status.TRANSCRIBED, Article.Reason.LLM_BUDGET
        else:
            status = Article.Status.FAILED
            reason = Article.Reason.DIGEST_FAILED if detail else Article.Reason.NO_DIGEST
        return _publish_rule_move(article, status, reason, detail)
    reasons = []
    for shortfall in publish_rule_shortfalls(primary):
        if shortfall.code == PublishShortfall.SHOW_NOTES:
            reasons.append("made from show notes, not a transcript")
        elif shortfall.code == PublishShortfall.SCORE:
            reasons.append(f"score {shortfall.value} below {shortfall.threshold}")
        else:
            reasons.append(f"grounded share {shortfall.value:.0%} below {shortfall.threshold:.0%}")
    if reasons:
        return _publish_rule_move(
            article, Article.Status.REVIEW, Article.Reason.PUBLISH_RULE, "; ".join(reasons)
        )
    return _publish_rule_move(article, Article.Status.PUBLISHED, Article.Reason.NONE, "")


def _publish_rule_move(article: Article, to: str, reason: str, detail: str) -> str:
    try:
        article_transition(article=article, to=to, reason=reason, detail=detail)
    except InvalidTransition as exc:
        # An editor published or hid it since the rule read its status: theirs stands.
        return exc.current
    return to
