"""The article page says in words why an episode scored what it did, in both languages."""

import re
from decimal import Decimal

import pytest

from digests.base import score_from_parts
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def score_details(client, article, prefix=""):
    """The text of the page's "score details" box, tags stripped."""
    response = client.get(f"{prefix}/articles/{article.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    box = re.search(r'<details class="score-details">(.*?)</details>', html, re.S)
    assert box, "the score details are on the page"
    # Collapse the template's spaces, but keep French no-break ones (U+00A0).
    return box.group(1), re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", box.group(1)))


def with_parts(parts, **fields):
    article = make_article(digest_languages=("en", "fr"), **fields)
    score = Decimal(str(score_from_parts(parts)))
    article.digests.update(score_parts=parts, score=score)
    article.score = score
    article.save(update_fields=["score"])
    return article


# Dense and on topic, but no news: an evergreen explainer.
EXPLAINER = {"substance": 9.0, "novelty": 1.5, "clarity": 8.0, "relevance": 6.0}
SHOWN = f"{score_from_parts(EXPLAINER):.1f}"  # as the page writes it in English
SHOWN_FR = SHOWN.replace(".", ",")


def test_the_score_details_explain_the_score_in_english(client):
    article = with_parts(EXPLAINER)
    html, text = score_details(client, article)
    # The lead: the score, what earned it, what held it back.
    assert f"Scored {SHOWN} out of 10, mainly for its substance and its clarity" in text
    assert "little news value held it back." in text
    # One sentence for each part that stands out, and none for the ordinary one.
    assert "Dense with facts, figures, names and technical terms." in text
    assert "Little news: mostly evergreen discussion." in text
    assert "Makes its points clearly" in text
    assert "topics our readers follow" not in text
    # The meters stay.
    assert html.count("<meter ") == 4
    assert "The score is the mean of these parts" in text


def test_the_score_details_explain_the_score_in_french(client):
    article = with_parts(EXPLAINER)
    html, text = score_details(client, article, "/fr")
    assert f"Noté {SHOWN_FR} sur 10, surtout pour sa substance et sa clarté" in text
    assert "le peu d’actualité l’a desservi." in text
    assert "Riche en faits, chiffres, noms et termes techniques." in text
    assert "Peu d’actualité\u00a0: surtout une discussion intemporelle." in text
    # Nothing of the English explanation is left.
    for english in ("Scored", "mainly for", "held it back", "Little news", "Dense with"):
        assert english not in text
    assert html.count("<meter ") == 4


def test_an_ordinary_episode_is_called_ordinary(client):
    article = with_parts({"substance": 5.0, "novelty": 6.0, "clarity": 5.5, "relevance": 4.5})
    html, text = score_details(client, article)
    assert "with no part standing out either way." in text
    assert '<ul class="score-reasons">' not in html


def test_a_weak_episode_says_what_held_it_back(client):
    article = with_parts({"substance": 2.0, "novelty": 1.0, "clarity": 6.0, "relevance": 0.5})
    _html, text = score_details(client, article)
    assert "mainly for" not in text
    assert "held it back." in text
    assert "Mostly off the topics our readers follow." in text
    assert "Few concrete facts" in text
    _html, text = score_details(client, article, "/fr")
    assert "l’ont desservi." in text  # several parts: the French verb agrees
    assert "Surtout hors des sujets que suivent nos lecteurs." in text


def test_an_editor_score_comes_first_and_the_parts_explain_the_computed_one(client):
    article = with_parts(EXPLAINER)
    article.digests.update(score_override=Decimal("9.0"))
    _html, text = score_details(client, article)
    editor = text.index(f"An editor set this score; the computed score was {SHOWN}/10.")
    assert editor < text.index(f"Scored {SHOWN} out of 10")
