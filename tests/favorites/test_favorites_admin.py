"""Editors see how often each article was saved; favorites and feed tokens stay private."""

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article
from favorites.admin import SavedCountAdminMixin, extend_article_admin
from favorites.models import Favorite, FeedToken
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved_articles(reader, other_reader):
    none, once, twice = (make_article(title=t) for t in ("Saved by none", "Once", "Twice"))
    Favorite.objects.create(user=reader, article=once)
    Favorite.objects.create(user=reader, article=twice)
    Favorite.objects.create(user=other_reader, article=twice)
    return none, once, twice


def test_article_admin_has_a_sortable_saved_column(client, editor, saved_articles):
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    response = client.get(url)
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert "saved_count" in changelist.list_display
    column = changelist.list_display.index("saved_count")
    assert changelist.model_admin.saved_count in [
        getattr(changelist.model_admin, name, None) for name in changelist.list_display
    ]

    descending = client.get(url, {"o": f"-{column}"}).context["cl"].result_list
    assert [(a.title, a.saved_count) for a in descending] == [
        ("Twice", 2),
        ("Once", 1),
        ("Saved by none", 0),
    ]
    ascending = client.get(url, {"o": f"{column}"}).context["cl"].result_list
    assert [a.title for a in ascending] == ["Saved by none", "Once", "Twice"]


def test_article_admin_change_page_still_works(client, editor, saved_articles):
    client.force_login(editor)
    article = saved_articles[2]
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200


def test_extending_the_article_admin_is_idempotent():
    extend_article_admin()
    extend_article_admin()
    model_admin = admin.site.get_model_admin(Article)
    assert isinstance(model_admin, SavedCountAdminMixin)
    mixins = [c for c in type(model_admin).__mro__ if c is SavedCountAdminMixin]
    assert len(mixins) == 1


def test_editors_can_look_at_favorites_but_not_make_them(client, editor, saved_articles):
    client.force_login(editor)
    assert client.get(reverse("admin:favorites_favorite_changelist")).status_code == 200
    assert client.get(reverse("admin:favorites_favorite_add")).status_code == 403


def test_feed_token_admin_never_shows_the_secret(client, django_user_model, reader):
    token = FeedToken.objects.create(user=reader)
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "boss-pass-9x")
    client.force_login(boss)
    listing = client.get(reverse("admin:favorites_feedtoken_changelist")).content.decode()
    detail = client.get(
        reverse("admin:favorites_feedtoken_change", args=[token.pk])
    ).content.decode()
    assert "reader" in listing
    assert token.token not in listing
    assert token.token not in detail
