"""/api/favorites/: only a signed-in reader, only their own favorites."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from articles.models import Article
from favorites.models import Favorite
from tests.factories import make_article
from tests.readers import PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_readers_are_refused(api):
    article = make_article()
    assert api.get("/api/favorites/").status_code == 403
    assert api.post("/api/favorites/", {"article": article.slug}).status_code == 403
    assert api.delete(f"/api/favorites/{article.slug}/").status_code == 403
    assert not Favorite.objects.exists()


def test_add_list_and_remove(reader_api, reader):
    article = make_article(title="Saved")
    created = reader_api.post("/api/favorites/", {"article": article.slug}, format="json")
    assert created.status_code == 201
    assert created.json()["article"]["slug"] == article.slug
    # Idempotent: saving twice keeps one favorite.
    again = reader_api.post("/api/favorites/", {"article": article.slug}, format="json")
    assert again.status_code == 200
    assert Favorite.objects.filter(user=reader).count() == 1

    listed = reader_api.get("/api/favorites/").json()["results"]
    assert [f["article"]["title"] for f in listed] == ["Saved"]
    assert listed[0]["saved_at"]
    assert reader_api.get(f"/api/favorites/{article.slug}/").status_code == 200

    assert reader_api.delete(f"/api/favorites/{article.slug}/").status_code == 204
    assert reader_api.delete(f"/api/favorites/{article.slug}/").status_code == 204
    assert reader_api.get(f"/api/favorites/{article.slug}/").status_code == 404
    assert not Favorite.objects.exists()


def test_readers_see_only_their_own(reader_api, reader, other_reader):
    mine, theirs = make_article(title="Mine"), make_article(title="Theirs")
    Favorite.objects.create(user=reader, article=mine)
    Favorite.objects.create(user=other_reader, article=theirs)
    listed = reader_api.get("/api/favorites/").json()["results"]
    assert [f["article"]["slug"] for f in listed] == [mine.slug]
    assert reader_api.get(f"/api/favorites/{theirs.slug}/").status_code == 404
    # Removing an article one never saved changes nobody else's favorites.
    assert reader_api.delete(f"/api/favorites/{theirs.slug}/").status_code == 204
    assert Favorite.objects.filter(user=other_reader).count() == 1


def test_only_published_articles_can_be_saved(reader_api):
    draft = make_article(status=Article.Status.REVIEW)
    response = reader_api.post("/api/favorites/", {"article": draft.slug}, format="json")
    assert response.status_code == 400 and "article" in response.json()
    assert reader_api.post("/api/favorites/", {}, format="json").status_code == 400
    assert reader_api.delete(f"/api/favorites/{draft.slug}/").status_code == 404


def test_a_hidden_favorite_leaves_the_list_but_can_be_removed(reader_api, reader):
    article = make_article()
    Favorite.objects.create(user=reader, article=article)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.HIDDEN)
    assert reader_api.get("/api/favorites/").json()["results"] == []
    assert reader_api.delete(f"/api/favorites/{article.slug}/").status_code == 204
    assert not Favorite.objects.exists()


def test_favorites_are_never_cached_by_others(reader_api, reader):
    Favorite.objects.create(user=reader, article=make_article())
    response = reader_api.get("/api/favorites/")
    assert "private" in response["Cache-Control"]
    assert reader_api.get("/api/favorites/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_session_authentication_needs_the_csrf_token(reader):
    article = make_article()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.get("/api/favorites/").status_code == 200
    assert client.post("/api/favorites/", {"article": article.slug}).status_code == 403


def test_basic_authentication(reader):
    article = make_article()
    client = APIClient()
    token = base64.b64encode(f"reader:{PASSWORD}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    assert client.post("/api/favorites/", {"article": article.slug}).status_code == 201
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"reader:wrong").decode())
    assert client.get("/api/favorites/").status_code in (401, 403)
