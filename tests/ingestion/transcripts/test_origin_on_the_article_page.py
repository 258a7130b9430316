"""Readers see where a transcript comes from, in English and in French."""

import pytest
from django.urls import reverse
from django.utils import translation

from ingestion.models import Transcript
from tests.factories import make_article

pytestmark = pytest.mark.django_db

LABELS = {
    Transcript.Origin.FEED: (
        "Transcript published with the episode",
        "Transcription publiée avec l’épisode",
    ),
    Transcript.Origin.STT: ("Speech-to-text", "Reconnaissance vocale"),
    Transcript.Origin.CAPTIONS: ("Video captions", None),
    Transcript.Origin.MANUAL: ("Uploaded by an editor", None),
}


@pytest.mark.parametrize("origin", list(LABELS))
def test_article_page_names_the_transcript_origin_in_both_languages(client, origin):
    article = make_article()
    Transcript.objects.filter(article=article).update(origin=origin)
    english, french = LABELS[origin]

    with translation.override("en"):
        url_en = reverse("article_detail", kwargs={"slug": article.slug})
    page = client.get(url_en).content.decode()
    assert f"Transcript source: {english}" in page

    with translation.override("fr"):
        url = reverse("article_detail", kwargs={"slug": article.slug})
    assert url.startswith("/fr/")
    page_fr = client.get(url).content.decode()
    assert "Source de la transcription" in page_fr
    if french:
        assert french in page_fr
    assert english not in page_fr or english == french
