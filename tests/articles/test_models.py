"""The model constraints that keep ingestion idempotent and data consistent."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article
from digests.models import Digest
from favorites.models import Favorite
from tests.factories import make_article, make_digest, make_source

pytestmark = pytest.mark.django_db


def test_duplicate_guid_in_one_source_is_refused():
    source = make_source()
    make_article(source=source, guid="episode-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(source=source, guid="episode-1", slug="other", title="Again")


def test_same_guid_in_two_sources_is_allowed():
    make_article(guid="shared-guid")
    make_article(guid="shared-guid")
    assert Article.objects.filter(guid="shared-guid").count() == 2


def test_one_digest_per_article_and_language():
    article = make_article(digest_languages=("en",))
    make_digest(article, language="fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_digest(article, language="en")
    assert article.digests.count() == 2


def test_digest_score_outside_0_to_10_is_refused():
    article = make_article(digest_languages=("en",))
    with pytest.raises(IntegrityError), transaction.atomic():
        Digest.objects.create(article=article, language="fr", score=Decimal("10.5"))


def test_one_favorite_per_reader_and_article(django_user_model):
    reader = django_user_model.objects.create_user("reader", password="x-long-password-1")
    article = make_article()
    Favorite.objects.create(user=reader, article=article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Favorite.objects.create(user=reader, article=article)


def test_published_queryset_hides_drafts_and_future_articles():
    from datetime import timedelta

    from django.utils import timezone

    shown = make_article()
    make_article(status=Article.Status.REVIEW)
    make_article(published_at=timezone.now() + timedelta(days=1))
    assert list(Article.objects.published()) == [shown]


def test_starting_topics_and_editors_group_exist():
    from django.contrib.auth.models import Group

    from topics.models import Topic

    slugs = set(Topic.objects.values_list("slug", flat=True))
    assert {
        "ai",
        "crypto",
        "cloud",
        "security",
        "hardware",
        "startups",
        "science",
        "policy",
    } <= slugs
    assert Topic.objects.get(slug="crypto").in_nav
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="change_digest").exists()
    assert not editors.permissions.filter(codename="delete_source").exists()
