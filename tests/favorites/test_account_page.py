"""The reader's corner: their name in the header, the account page that gathers what an
account offers (e-mail, password, favorites, private feed, exports), and deleting it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from favorites.models import Favorite, FeedToken
from favorites.services import feed_token_create
from tests.readers import PASSWORD

pytestmark = pytest.mark.django_db


# --- the header -----------------------------------------------------------------------


def test_signed_in_header_shows_the_readers_name_linking_to_the_account(reader_client):
    html = reader_client.get("/").content.decode()
    assert 'class="account-name" href="/accounts/"' in html
    assert ">reader</a>" in html
    assert "Sign out" in html and "Sign in" not in html


def test_header_prefers_a_full_name_and_escapes_it(client, django_user_model):
    user = django_user_model.objects.create_user(
        "ada", "ada@example.org", PASSWORD, first_name="<b>Ada</b>", last_name="Lovelace"
    )
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "&lt;b&gt;Ada&lt;/b&gt; Lovelace</a>" in html
    assert "<b>Ada</b>" not in html


def test_header_in_french_links_to_the_french_account_page(reader_client):
    html = reader_client.get("/fr/").content.decode()
    assert 'class="account-name" href="/fr/accounts/"' in html
    assert "Votre compte\u00a0:" in html


def test_anonymous_header_has_no_account_link(client):
    html = client.get("/").content.decode()
    assert "account-name" not in html
    assert "Sign in" in html


def test_the_name_in_a_cached_page_is_each_readers_own(settings, django_user_model):
    # Pages are cached for everyone (newsroom/pagecache.py); the account corner is the
    # reader's own, filled in per request.
    settings.PAGE_CACHE = True
    Client().get("/")  # stored as the anonymous page
    for name in ("first-reader", "second-reader"):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD)
        client = Client()
        client.force_login(user)
        html = client.get("/").content.decode()
        assert f">{name}</a>" in html
        assert html.count("account-name") == 1


# --- the account page -------------------------------------------------------------------


def test_account_page_needs_sign_in(client):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/")


def test_account_page_gathers_what_an_account_offers(reader_client, reader, article):
    Favorite.objects.create(user=reader, article=article)
    response = reader_client.get("/accounts/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h1" in html and "Your account" in html
    assert "reader@example.org" in html
    assert 'href="/accounts/password_change/"' in html
    assert 'href="/favorites/"' in html and "1 saved article" in html
    assert 'action="/favorites/feed/regenerate/"' in html
    assert 'href="/favorites/export.json"' in html and 'href="/favorites/export.csv"' in html
    assert 'href="/accounts/delete/"' in html
    assert 'aria-current="page"' in html.split('class="account-name"')[1].split(">")[0]
    assert "{#" not in html and "{%" not in html  # no template syntax left as text


def test_account_page_shows_the_private_feed_and_its_buttons_come_back_here(reader_client, reader):
    token = feed_token_create(user=reader)
    html = reader_client.get("/accounts/").content.decode()
    assert f"/favorites/feed/{token.token}.rss" in html
    assert 'name="next" value="/accounts/#private-feed"' in html
    response = reader_client.post(
        reverse("favorite_feed_regenerate"), {"next": "/accounts/#private-feed"}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/#private-feed"
    assert FeedToken.objects.get(user=reader).token != token.token
    response = reader_client.post(reverse("favorite_feed_revoke"), {"next": "/accounts/"})
    assert response["Location"] == "/accounts/"
    assert not FeedToken.objects.filter(user=reader).exists()


def test_feed_buttons_never_send_a_reader_off_site(reader_client):
    response = reader_client.post(
        reverse("favorite_feed_regenerate"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/favorites/#private-feed"


def test_account_page_in_french(reader_client):
    html = reader_client.get("/fr/accounts/").content.decode()
    assert '<html lang="fr">' in html
    assert "Votre compte" in html and "Supprimer votre compte" in html
    assert 'href="/fr/accounts/password_change/"' in html


# --- deleting an account ------------------------------------------------------------------


def test_deleting_an_account_needs_its_password(reader_client, reader, article):
    Favorite.objects.create(user=reader, article=article)
    page = reader_client.get("/accounts/delete/")
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()
    response = reader_client.post("/accounts/delete/", {"password": "not-the-password"})
    assert response.status_code == 200
    assert "This is not your password." in response.content.decode()
    assert get_user_model().objects.filter(pk=reader.pk).exists()


def test_deleting_an_account_removes_it_and_everything_that_is_its_own(
    reader_client, reader, other_reader, article
):
    Favorite.objects.create(user=reader, article=article)
    Favorite.objects.create(user=other_reader, article=article)
    token = feed_token_create(user=reader)
    response = reader_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/deleted/"
    assert not get_user_model().objects.filter(pk=reader.pk).exists()
    assert not Favorite.objects.filter(user_id=reader.pk).exists()
    assert Favorite.objects.filter(user=other_reader).count() == 1
    assert not FeedToken.objects.filter(pk=token.pk).exists()
    # Signed out, and the old feed address is gone.
    assert reader_client.session.get("_auth_user_id") is None
    assert Client().get(f"/favorites/feed/{token.token}.rss").status_code == 404
    page = reader_client.get("/accounts/deleted/")
    assert page.status_code == 200 and "Your account has been deleted" in page.content.decode()


def test_deleting_needs_sign_in_and_a_post(client):
    assert client.get("/accounts/delete/").status_code == 302
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302


def test_deleting_is_refused_without_the_csrf_token(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 403
    assert get_user_model().objects.filter(pk=reader.pk).exists()


def test_editors_cannot_delete_their_account_from_the_reader_site(client, django_user_model):
    editor = django_user_model.objects.create_user(
        "editor", "editor@example.org", PASSWORD, is_staff=True
    )
    client.force_login(editor)
    html = client.get("/accounts/").content.decode()
    assert 'href="/accounts/delete/"' not in html
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=editor.pk).exists()


def test_password_guesses_on_the_delete_form_are_counted_and_locked_out(
    reader_client, reader, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        reader_client.post("/accounts/delete/", {"password": "guess"})
    # Locked out now (django-axes' page): even the right password deletes nothing.
    response = reader_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 429
    assert get_user_model().objects.filter(pk=reader.pk).exists()
