"""Small builders for test data (plain functions: every field a test does not name is sensible)."""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from articles.models import Article
from digests.models import Digest, KeyPoint
from ingestion.models import Source, Transcript
from topics.models import Topic

_counter = itertools.count(1)


def _earlier_today(n: int) -> datetime:
    """A distinct moment earlier today: lists of "today" hold every article a test made,
    however many tests ran before it in this process, and whatever the time of day."""
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return now - (now - midnight) * ((n % 997) / 997)


def make_source(**fields) -> Source:
    n = next(_counter)
    defaults = {
        "name": f"Source {n}",
        "slug": f"source-{n}",
        "kind": Source.Kind.PODCAST,
        "feed_url": f"https://feeds.example.org/{n}.xml",
        "language": "en",
    }
    defaults.update(fields)
    return Source.objects.create(**defaults)


def make_article(
    *,
    source: Source | None = None,
    title: str | None = None,
    topic: str | Topic | None = "ai",
    status: str = Article.Status.PUBLISHED,
    published_at: datetime | None = None,
    score: float | None = 7.5,
    language: str = "en",
    digest_languages: tuple[str, ...] | None = None,
    tldr: str = "A short summary of what was said.",
    transcript: list[dict] | None = None,
    tags: tuple[str, ...] = ("testing",),
    **fields,
) -> Article:
    n = next(_counter)
    source = source or make_source()
    if isinstance(topic, str):
        topic = Topic.objects.get(slug=topic)
    article = Article.objects.create(
        source=source,
        guid=fields.pop("guid", f"guid-{n}"),
        slug=fields.pop("slug", f"article-{n}"),
        title=title or f"Article {n}",
        topic=topic,
        status=status,
        published_at=published_at or _earlier_today(n),
        score=Decimal(str(score)) if score is not None else None,
        language=language,
        duration_seconds=fields.pop("duration_seconds", 1865),
        audio_url=fields.pop("audio_url", f"https://cdn.example.org/{n}.mp3"),
        **fields,
    )
    if tags:
        article.tags.add(*tags)
    segments = transcript or [
        {"start": 0.0, "end": 4.0, "speaker": "Host", "text": "Welcome to the show."},
        {"start": 4.0, "end": 12.5, "speaker": "Guest", "text": "We shipped the new model."},
        {"start": 12.5, "end": 20.0, "speaker": "Host", "text": "That is the main news."},
    ]
    Transcript.objects.create(
        article=article,
        origin=Transcript.Origin.FEED,
        format="vtt",
        language=language,
        segments=segments,
        text="\n".join(s["text"] for s in segments),
        word_count=sum(len(s["text"].split()) for s in segments),
    )
    for lang in digest_languages or (language,):
        make_digest(article, language=lang, score=score, tldr=tldr)
    return article


def make_digest(
    article: Article,
    *,
    language: str = "en",
    score: float | None = 7.5,
    tldr: str = "A short summary of what was said.",
    points: int = 3,
) -> Digest:
    digest = Digest.objects.create(
        article=article,
        language=language,
        tldr=tldr,
        conclusion="What it means for readers.",
        score=Decimal(str(score)) if score is not None else None,
        score_parts={"substance": 7, "novelty": 8, "clarity": 7, "relevance": 8},
        backend="extractive",
        version="test",
        grounding=1.0,
        status=Digest.Status.READY,
    )
    for i in range(points):
        KeyPoint.objects.create(
            digest=digest,
            order=i,
            heading=f"Point {i + 1}",
            body=f"Body of point {i + 1}.",
            start_seconds=4.0 * (i + 1),
            quote="We shipped the new model.",
            grounded=True,
        )
    return digest
