"""The demo's digests, as `make run` writes them, read as edited text.

The demo is what every new reader sees first: its stored digests (English and French)
must pass the writing lint with no break at all, carry 3-8 tags that name things, and
give each key point its own heading.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from digests import writing
from digests.base import TranscriptInput
from digests.extractive import ExtractiveSummarizer, detect_language
from digests.models import Digest
from ingestion.transcripts import parse_transcript

DEMO_TRANSCRIPTS = Path(settings.BASE_DIR) / "demo" / "transcripts"


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return Digest.objects.prefetch_related("key_points").select_related("article")


def test_the_demo_digests_pass_the_writing_lint_in_both_languages(demo):
    digests = list(demo)
    assert {d.language for d in digests} == {"en", "fr"}
    breaks = []
    for digest in digests:
        lint = writing.digest_lint(
            language=digest.language,
            tldr=digest.tldr,
            headings=[k.heading for k in digest.key_points.all()],
            conclusion=digest.conclusion,
        )
        breaks += [(digest.article.title, b.part, b.text, b.rules) for b in lint.breaks]
    assert breaks == []


def test_every_demo_key_point_has_a_heading_of_its_own(demo):
    for digest in demo:
        headings = [k.heading.lower() for k in digest.key_points.all()]
        assert len(headings) == len(set(headings)), headings


NOISE = {"hours", "thinnest", "games", "previous", "listening", "environ", "old", "the"}


def test_demo_tags_name_things(demo):
    # Feeds that list categories keep them; the YouTube channel lists none, so its
    # videos show the digest's own tags.
    videos = Article.objects.filter(source__kind="youtube", digests__isnull=False).distinct()
    assert videos.exists()
    for article in videos:
        names = [t.name for t in article.tags.all()]
        assert 3 <= len(names) <= 8, (article.title, names)
        assert not NOISE & {n.lower() for n in names}, (article.title, names)


@pytest.mark.parametrize("path", sorted(DEMO_TRANSCRIPTS.iterdir()), ids=lambda p: p.name)
def test_every_demo_episode_gets_three_to_eight_tags_that_name_things(path):
    parsed = parse_transcript(path.read_bytes(), filename=path.name)
    language = detect_language(" ".join(s.text for s in parsed.segments))
    digest = ExtractiveSummarizer().summarize(
        TranscriptInput(segments=parsed.segments, language=language), language=language
    )
    assert 3 <= len(digest.tags) <= 8, digest.tags
    assert not NOISE & {t.lower() for t in digest.tags}, digest.tags
    speakers = {w.lower() for s in parsed.segments for w in (s.speaker or "").split()}
    assert not speakers & {w.lower() for t in digest.tags for w in t.split()}, digest.tags
