"""One reader of a stored transcript's segments: the page, the downloads, the API, the desk
and the digests all skip the same broken rows instead of failing on them."""

import pytest
from django.contrib import admin

from articles.models import Article
from articles.transcript_data import Segment
from digests import services as digests_services
from tests.factories import make_article

GOOD = [
    {"start": 0.0, "end": 4.0, "speaker": "Host", "text": "Welcome to the show."},
    {"start": 4.0, "end": 12.5, "speaker": "Guest", "text": "We shipped the new model."},
]
BROKEN = [
    "not a dict",
    {"bad": "row"},
    {"text": "   "},
    {"start": "soon", "end": True, "text": "Untimed.", "confidence": 0.4},
]


def test_broken_rows_are_skipped_and_odd_times_are_unknown():
    segments = Segment.from_rows([*GOOD, *BROKEN])
    assert [s.text for s in segments] == [
        "Welcome to the show.",
        "We shipped the new model.",
        "Untimed.",
    ]
    assert (segments[2].start, segments[2].end, segments[2].speaker) == (None, None, "")
    assert Segment.from_rows({"segments": GOOD}) == []
    assert Segment.from_rows(None) == []


@pytest.fixture
def article(db):
    article = make_article(transcript=GOOD)
    article.transcript.segments = [*GOOD, *BROKEN]
    article.transcript.save()
    return article


def test_the_api_lists_only_the_readable_segments(client, article):
    body = client.get(f"/api/articles/{article.slug}/", {"include": "transcript"}).json()
    texts = [row["text"] for row in body["transcript"]["segments"]]
    assert texts == ["Welcome to the show.", "We shipped the new model.", "Untimed."]


def test_the_subtitle_download_reads_the_same_rows(client, article):
    response = client.get(f"/articles/{article.slug}/transcript.vtt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "We shipped the new model." in body and "bad" not in body


def test_the_desk_shows_the_same_rows(article):
    view = admin.site._registry[Article].transcript_view(article)
    assert "We shipped the new model." in view and "not a dict" not in view


def test_a_digest_is_written_from_a_transcript_with_broken_rows(article):
    article.digests.all().delete()
    digests = digests_services.digest_make(article=article, backend="extractive")
    assert [d.language for d in digests] == ["en"]
