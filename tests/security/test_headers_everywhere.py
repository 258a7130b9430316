"""Issue 16, point 7: a Content-Security-Policy on the admin and the API pages too, media
over HTTPS only, and `Cache-Control: private` on every page rendered for a signed-in
reader (found missing on a search page's first ask and on the password-change page)."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_article
from tests.security.test_hostile_readers import csp_directives

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("csp-staff", "csp@example.org", PASSWORD)


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user("csp-reader", "reader@example.org", PASSWORD)


def _strict_scripts(response, where: str) -> dict[str, list[str]]:
    csp = csp_directives(response.get("Content-Security-Policy", ""))
    assert csp, f"{where}: no Content-Security-Policy"
    assert csp.get("script-src") == ["'self'"], f"{where}: {csp.get('script-src')}"
    assert csp.get("object-src") == ["'none'"]
    assert csp.get("frame-ancestors") == ["'none'"]
    return csp


@pytest.mark.parametrize("path", ["/admin/login/", "/api/", "/api/articles/", "/api/docs/"])
def test_admin_and_api_pages_carry_a_policy_without_inline_script(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    _strict_scripts(response, path)


def test_signed_in_admin_pages_carry_the_policy(client, staff):
    article = make_article(title="Policy check", slug="policy-check")
    client.force_login(staff)
    for path in (
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        _strict_scripts(response, path)


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/api/"])
def test_media_plays_only_from_the_site_or_over_https(client, db, path):
    media = csp_directives(client.get(path)["Content-Security-Policy"])["media-src"]
    assert "http:" not in media
    assert set(media) == {"'self'", "https:"}


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=chips",  # the first ask of a search (the page cache's "second ask" rule)
        "/accounts/password_change/",
        "/",
        "/topics/",
        "/api/articles/",
        "/accounts/",
    ],
)
def test_pages_for_a_signed_in_reader_are_private(client, reader, path):
    make_article(title="Chips for everyone", slug="chips-for-everyone")
    client.force_login(reader)
    response = client.get(path)
    assert response.status_code == 200, path
    cache_control = response.get("Cache-Control", "")
    assert "private" in cache_control or "no-store" in cache_control, (path, cache_control)
    assert "public" not in cache_control
