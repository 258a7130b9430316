"""One rule picks an article's main digest: the reader's language for readers, the
article's own language for the publish rule and the desk."""

from decimal import Decimal

import pytest

from articles.models import Article
from digests.services import article_apply_publish_rule
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _scored(article: Article, **scores: str) -> None:
    for language, score in scores.items():
        article.digests.filter(language=language).update(score=Decimal(score))


def test_the_publish_rule_scores_an_article_by_its_own_languages_digest():
    article = make_article(
        language="fr", digest_languages=("en", "fr"), status=Article.Status.REVIEW
    )
    _scored(article, en="9.0", fr="3.0")
    article_apply_publish_rule(article=article)
    article.refresh_from_db()
    assert article.score == Decimal("3.0")
    # A reader of English still gets the English digest.
    assert article.digest_for("en").language == "en"


def test_the_publish_rule_does_not_trust_digests_prefetched_before_they_changed():
    article = make_article(digest_languages=("en",), status=Article.Status.REVIEW)
    stale = Article.objects.prefetch_related("digests").get(pk=article.pk)
    _scored(article, en="2.5")
    article_apply_publish_rule(article=stale)
    stale.refresh_from_db(fields=["score"])
    assert stale.score == Decimal("2.5")


def test_without_a_digest_in_the_language_any_ready_one_is_shown():
    article = make_article(language="fr", digest_languages=("en",))
    assert article.digest_for("fr").language == "en"
    article.digests.update(status="failed")
    assert article.digest_for("fr") is None
