"""Hostile readers get nowhere: forged posts, other readers' favorites, password
guessing, open redirects, malformed and oversized requests, path traversal; the
deployment check is clean and the security headers are on every reader page.

Everything goes through the real URLconf and middleware with Django's test client;
the deployment check and the production settings are read in a subprocess with
DEBUG=0, as a production process would start.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from articles.models import Article
from favorites import services as favorite_services
from favorites.models import Favorite, FeedToken
from tests.factories import make_article
from tests.readers import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def article(db):
    return make_article(title="Inference is getting cheaper", slug="inference-cheaper")


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def star(article) -> str:
    return reverse("favorite_toggle", kwargs={"slug": article.slug})


# --- CSRF ---------------------------------------------------------------------------------


def csrf_targets(article) -> list[tuple[str, str, dict]]:
    """(method, URL, data) of every state-changing endpoint a reader or editor has."""
    return [
        ("post", star(article), {"action": "add"}),
        ("post", reverse("favorite_feed_regenerate"), {}),
        ("post", reverse("favorite_feed_revoke"), {}),
        ("post", reverse("logout"), {}),
        ("post", reverse("password_change"), {"old_password": PASSWORD}),
        ("post", reverse("account_delete"), {"password": PASSWORD}),
        ("post", "/i18n/setlang/", {"language": "fr", "next": "/"}),
        ("post", "/api/favorites/", {"article": article.slug}),
        ("delete", f"/api/favorites/{article.slug}/", {}),
    ]


def test_forms_posted_without_a_csrf_token_are_refused(reader, article):
    client = signed_in(reader, enforce_csrf_checks=True)
    for method, url, data in csrf_targets(article):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
    assert not Favorite.objects.filter(user=reader).exists()
    assert client.session.get("_auth_user_id") == str(reader.pk)  # still signed in

    anonymous = Client(enforce_csrf_checks=True)
    for url, data in [
        (reverse("login"), {"username": "reader", "password": PASSWORD}),
        (reverse("signup"), {"username": "new", "password1": PASSWORD, "password2": PASSWORD}),
        (reverse("password_reset"), {"email": "reader@example.org"}),
    ]:
        assert anonymous.post(url, data).status_code == 403, url
    assert anonymous.session.get("_auth_user_id") is None


def test_a_forged_token_or_a_foreign_origin_is_refused(reader, article):
    client = signed_in(reader, enforce_csrf_checks=True)
    client.get("/")  # the page sets the CSRF cookie, as a browser would receive it
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    forged = {"action": "add", "csrfmiddlewaretoken": "x" * 64}
    assert client.post(star(article), forged).status_code == 403
    # The right token, sent by a page of another site over HTTPS: the Origin check.
    response = client.post(
        star(article),
        {"action": "add", "csrfmiddlewaretoken": token},
        secure=True,
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Favorite.objects.filter(user=reader).exists()
    # The control: the same post from our own page goes through.
    assert client.post(star(article), {"action": "add", "csrfmiddlewaretoken": token}).status_code
    assert Favorite.objects.filter(user=reader, article=article).exists()


def test_admin_changes_need_the_csrf_token(editor, article):
    editor.is_superuser = True
    editor.save()
    client = signed_in(editor, enforce_csrf_checks=True)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, {"title": "Defaced", "status": "hidden"})
    assert response.status_code == 403
    action = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [article.pk]},
    )
    assert action.status_code == 403
    article.refresh_from_db()
    assert (article.title, article.status) == ("Inference is getting cheaper", "published")


# --- IDOR: one reader's favorites are theirs alone ---------------------------------------------


def test_a_reader_cannot_see_or_remove_another_readers_favorites(reader, other_reader, article):
    favorite_services.favorite_add(user=reader, article=article)
    other = signed_in(other_reader)

    page = other.get("/favorites/")
    assert page.status_code == 200 and article.title not in page.content.decode()
    export = other.get(reverse("favorite_export_json"))
    assert export.json()["favorites"] == []
    assert article.title not in other.get(reverse("favorite_export_csv")).content.decode()
    # Query parameters that name another reader are not a way in.
    for query in (f"?user={reader.pk}", f"?user_id={reader.pk}", "?username=reader"):
        assert article.title not in other.get("/favorites/" + query).content.decode()
        listing = other.get("/api/favorites/" + query, HTTP_ACCEPT="application/json")
        assert listing.status_code == 200 and listing.json()["results"] == []

    assert other.get(f"/api/favorites/{article.slug}/").status_code == 404
    # Removing: idempotent for the other reader's own list, and never touches the owner's.
    assert other.delete(f"/api/favorites/{article.slug}/").status_code in (204, 404)
    other.post(star(article), {"action": "remove"})
    assert Favorite.objects.filter(user=reader, article=article).exists()
    mine = signed_in(reader).get("/api/favorites/", HTTP_ACCEPT="application/json").json()
    assert [f["article"]["slug"] for f in mine["results"]] == [article.slug]


def test_a_reader_cannot_read_another_readers_private_feed(reader, other_reader, article):
    favorite_services.favorite_add(user=reader, article=article)
    token = favorite_services.feed_token_regenerate(user=reader).token
    feed_url = reverse("favorite_feed", kwargs={"token": token})
    assert article.title in Client().get(feed_url).content.decode()  # the URL is the key

    other = signed_in(other_reader)
    # Their own feed controls act on their own token only.
    other.post(reverse("favorite_feed_regenerate"))
    other.post(reverse("favorite_feed_revoke"))
    assert FeedToken.objects.get(user=reader).token == token
    assert token not in other.get("/favorites/").content.decode()
    # Guessed, truncated or altered tokens find nothing, and say nothing either.
    for guess in (token[:-1], token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 43, "0"):
        response = other.get(reverse("favorite_feed", kwargs={"token": guess}))
        assert response.status_code == 404, guess
    # Revoked by its owner: the old URL stops at once.
    signed_in(reader).post(reverse("favorite_feed_revoke"))
    assert Client().get(feed_url).status_code == 404


def test_anonymous_readers_reach_no_favorites(reader, article):
    favorite_services.favorite_add(user=reader, article=article)
    anonymous = Client()
    page = anonymous.get("/favorites/")
    assert page.status_code == 302 and page.url.startswith(reverse("login"))
    assert anonymous.get(reverse("favorite_export_json")).status_code == 302
    assert anonymous.get("/api/favorites/").status_code in (401, 403)
    assert anonymous.get(f"/api/favorites/{article.slug}/").status_code in (401, 403)


# --- Password guessing --------------------------------------------------------------------------


def sign_in(client: Client, password: str, **headers):
    return client.post(reverse("login"), {"username": "reader", "password": password}, **headers)


def test_password_guessing_is_locked_out_with_a_cool_off(reader):
    client = Client()
    # A guesser who claims a new address each time (X-Forwarded-For is the client's to
    # write) is still one address to us: REMOTE_ADDR is what counts.
    responses = [
        sign_in(client, f"guess-{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many sign-in attempts" in page and "Try again in 15 minutes" in page
    # The right password is refused while the lock holds: guessing on is pointless.
    assert sign_in(client, PASSWORD).status_code == 429
    assert client.session.get("_auth_user_id") is None

    # After the cool-off (the attempts moved back in time), the reader gets in.
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(seconds=1))
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.session.get("_auth_user_id") == str(reader.pk)


def test_password_guessing_over_the_api_is_locked_out_too(reader):
    def basic(password: str) -> dict:
        raw = base64.b64encode(f"reader:{password}".encode()).decode()
        return {"HTTP_AUTHORIZATION": f"Basic {raw}", "HTTP_ACCEPT": "application/json"}

    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        assert client.get("/api/favorites/", **basic(f"guess-{n}")).status_code in (401, 403, 429)
    # Locked: the right password no longer opens the API either.
    assert client.get("/api/favorites/", **basic(PASSWORD)).status_code in (401, 403, 429)
    # And the lock is the same one the sign-in form sees.
    assert sign_in(Client(), PASSWORD).status_code == 429


# --- Open redirects -------------------------------------------------------------------------

EVIL_NEXT = [
    "//evil.example",
    "//evil.example/path",
    "///evil.example",
    "https://evil.example",
    "https:evil.example",
    "http://testserver.evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    " //evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//%65vil.example",
]


def assert_stays_here(response, where: str) -> None:
    assert response.status_code in (301, 302, 303), f"{where}: {response.status_code}"
    location = response["Location"]
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), (
        f"{where}: redirected to {location!r}"
    )
    assert "evil" not in location and "javascript" not in location.lower(), (where, location)


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_open_redirects_are_refused(reader, article, evil):
    # Sign-in: the form, then the post.
    client = Client()
    page = client.get(reverse("login"), {"next": evil})
    assert evil not in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "reader", "password": PASSWORD, "next": evil}
    )
    assert_stays_here(response, "login")

    # Favorites: the star's next, and the then= of the return trip after sign-in.
    assert_stays_here(client.post(star(article), {"action": "add", "next": evil}), "star")
    assert_stays_here(client.get(star(article), {"then": evil}), "star then")
    # An anonymous star click is sent to sign in; the evil address must not ride along.
    anonymous = Client().post(star(article), {"action": "add", "next": evil})
    assert "evil" not in anonymous["Location"] and "javascript" not in anonymous["Location"]

    # The language switch, by next= and by Referer.
    setlang = Client().post("/i18n/setlang/", {"language": "fr", "next": evil})
    assert_stays_here(setlang, "setlang next")
    referer = Client().post("/i18n/setlang/", {"language": "fr"}, HTTP_REFERER=evil)
    assert_stays_here(referer, "setlang referer")

    # Sign-up and sign-out.
    signup = Client().post(
        reverse("signup"),
        {
            "username": f"new{secrets.token_hex(3)}",
            "email": f"{secrets.token_hex(3)}@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": evil,
        },
    )
    assert_stays_here(signup, "signup")
    assert_stays_here(client.post(reverse("logout"), {"next": evil}), "logout")


# --- Malformed and oversized requests -----------------------------------------------------------


def malformed_urls(article) -> list[str]:
    long = "a" * 10_000
    return [
        f"/?q={long}",
        f"/search/?q={long}",
        f"/search/?q={'%E2%82' * 2000}",
        "/search/?q=%00",
        "/search/?q=rust%00go",
        "/search/?q=%E0%A4%A",
        "/search/?q=%ff%fe%fd",
        "/search/?q=%",
        "/search/?q=%%%%25%zz",
        "/search/?q=" + "%22" * 500,
        "/search/?q=" + "-" * 500,
        "/search/?q=" + "(" * 500,
        "/search/?q=a&page=-1",
        "/search/?q=a&page=abc",
        "/search/?q=a&page=1e9",
        "/search/?q=a&page=99999999999999999999999999",
        "/search/?q=a&topic=%00",
        "/search/?q=a&topic=" + long,
        "/search/?date_from=99999999-01-01",
        "/search/?date_from=0000-00-00&date_to=%00",
        "/search/?q[]=a&q[]=b",
        "/search/?" + "&".join(f"f{n}=1" for n in range(1500)),
        "/?page=-1",
        "/?page=0",
        "/?page=abc",
        "/?page=1e9",
        "/?page=99999999999999999999999999",
        "/?%00=%00",
        "/topics/ai/?page=abc",
        "/topics/ai/?page=99999999999999999999999999",
        "/topics/%00/",
        "/videos/?page=-1",
        "/archives/?page=1e9",
        "/archives/99999999999999999999/",
        "/archives/2024/99999999999999999999/",
        "/archives/2024/01/99999999999999999999/",
        "/archives/0/",
        "/archives/0000/00/",
        "/archives/2024/13/",
        "/archives/2024/00/",
        "/archives/2024/02/30/",
        "/archives/9999/12/31/",
        "/archives/10000/01/01/",
        f"{article.get_absolute_url()}?t=99999999999999999999",
        f"{article.get_absolute_url()}?t=-5",
        f"{article.get_absolute_url()}?t=%00",
        "/articles/%00/",
        f"/articles/{'a' * 5000}/",
        "/feeds/latest.rss?page=%00",
        "/api/articles/?page_size=99999999999999999999",
        "/api/articles/?page_size=-1",
        "/api/articles/?cursor=%00",
        "/api/articles/?cursor=" + long,
        "/api/articles/?q=%00",
        "/api/articles/?q=" + long,
        "/api/articles/?published_after=not-a-date",
        "/api/articles/?published_after=99999999-01-01",
        "/api/articles/?topic=%00",
        "/api/articles/?score_min=1e999",
        "/api/articles/?score_min=nan",
        "/api/articles/?ordering=" + long,
        "/api/articles/%00/",
        "/api/sources/?cursor=abc",
    ]


def test_malformed_query_strings_get_an_answer_never_a_500(reader, article):
    anonymous, member = Client(raise_request_exception=False), signed_in(reader)
    member.raise_request_exception = False
    problems = []
    for url in malformed_urls(article):
        response = anonymous.get(url)
        if response.status_code >= 500 or response.status_code not in (200, 301, 302, 400, 404):
            problems.append(f"{url[:80]}: {response.status_code}")
    for url in ("/favorites/?topic=%00", "/favorites/?page=-1", "/favorites/?page=1e9"):
        response = member.get(url)
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_oversized_and_overstuffed_posts_are_refused_with_400(reader, article):
    anonymous = Client(raise_request_exception=False)
    huge = "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    for url in (reverse("login"), reverse("signup"), reverse("password_reset"), "/i18n/setlang/"):
        response = anonymous.post(url, {"username": huge, "password": "x", "email": huge})
        assert response.status_code in (400, 413), f"{url}: {response.status_code}"
        many = {f"field{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10)}
        response = anonymous.post(url, many)
        assert response.status_code in (400, 413), f"{url} (many fields): {response.status_code}"

    member = signed_in(reader)
    member.raise_request_exception = False
    response = member.post(star(article), {"action": "add", "next": huge})
    assert response.status_code in (400, 413)
    # A JSON body is not a form, but it is held in memory just the same.
    body = json.dumps({"article": article.slug, "padding": huge})
    response = member.post("/api/favorites/", body, content_type="application/json")
    assert response.status_code in (400, 413), response.status_code
    assert not Favorite.objects.filter(user=reader).exists()
    # Malformed JSON and a wrong content type get a 4xx too.
    for data, kind in (("{", "application/json"), ("\x00", "application/json"), ("a", "text/x")):
        response = member.post("/api/favorites/", data, content_type=kind)
        assert 400 <= response.status_code < 500, (data, kind, response.status_code)


TRAVERSALS = [
    "/articles/..%2F..%2Fetc%2Fpasswd/transcript.vtt",
    "/articles/..%2F..%2F..%2Fetc%2Fpasswd/transcript.srt",
    "/articles/../../etc/passwd/transcript.vtt",
    "/articles/%2e%2e/%2e%2e/etc/passwd/transcript.vtt",
    "/articles/%2e%2e%2f%2e%2e%2fnewsroom%2fsettings.py/transcript.vtt",
    "/articles/....//....//etc/passwd/transcript.vtt",
    "/articles/..%5c..%5cnewsroom%5csettings.py/transcript.vtt",
    "/articles/%252e%252e%252fetc%252fpasswd/transcript.vtt",
    "/articles/..%c0%af..%c0%afetc%c0%afpasswd/transcript.vtt",
    "/articles/{slug}%00/transcript.vtt",
    "/articles/{slug}/transcript.vtt%00.html",
    "/articles/{slug}/transcript.vtt/../../../manage.py",
    "/articles/{slug}/..%2F..%2Fmanage.py",
    "/fr/articles/..%2F..%2Fetc%2Fpasswd/transcript.srt",
    "/static/../manage.py",
    "/static/..%2f..%2fnewsroom%2fsettings.py",
    "/static/%2e%2e/%2e%2e/newsroom/settings.py",
    "/static/css/..%2f..%2f..%2fmanage.py",
    "/media/../db.sqlite3",
    "/media/..%2fdb.sqlite3",
]


def test_path_traversal_on_downloads_finds_nothing(article):
    client = Client(raise_request_exception=False)
    own = client.get(reverse("article_transcript_vtt", kwargs={"slug": article.slug}))
    assert own.status_code == 200  # the control: the real transcript is there
    for template in TRAVERSALS:
        url = template.format(slug=article.slug)
        response = client.get(url)
        # 404, or 400 where Django's own file serving calls the path suspicious (its
        # DEBUG-only media route, when the URLconf was first loaded with DEBUG on).
        assert response.status_code in (400, 404), f"{url}: {response.status_code}"
        body = b"".join(response) if response.streaming else response.content
        for secret in (b"root:", b"SECRET_KEY", b"SQLite format", b"DJANGO_SETTINGS"):
            assert secret not in body, url


# --- Deployment settings and headers --------------------------------------------------------


def production_env(**extra) -> dict:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process (Playwright's
    # loop); a production process never has it, and the deploy check rightly objects.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example.org",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    env.update(extra)
    return env


def test_deploy_check_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
]


@pytest.fixture(scope="module")
def production_security_settings() -> dict:
    """The security settings a production process (DEBUG=0) really gets."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{k: getattr(s, k) for k in {PRODUCTION_SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_production_settings_turn_https_on(production_security_settings):
    values = production_security_settings
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000  # a year, as preload lists require
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_reader_page_headers(response, where: str) -> None:
    csp = csp_directives(response.get("Content-Security-Policy", ""))
    assert csp, f"{where}: no Content-Security-Policy"
    scripts = csp.get("script-src") or csp.get("default-src")
    assert scripts == ["'self'"], f"{where}: script-src {scripts}"
    for directive in ("script-src", "default-src"):
        for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
            assert unsafe not in csp.get(directive, []), f"{where}: {directive} {unsafe}"
    assert csp.get("object-src") == ["'none'"], where
    assert csp.get("frame-ancestors") == ["'none'"], where
    assert csp.get("base-uri") == ["'self'"], where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where


def test_security_headers_on_reader_pages(reader, article):
    anonymous, member = Client(), signed_in(reader)
    for client, url in [
        (anonymous, "/"),
        (anonymous, "/fr/"),
        (anonymous, article.get_absolute_url()),
        (anonymous, "/search/?q=cheaper"),
        (anonymous, "/topics/ai/"),
        (anonymous, "/archives/"),
        (anonymous, reverse("login")),
        (anonymous, "/no-such-page/"),
        (member, "/favorites/"),
    ]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_reader_page_headers(response, url)


def test_admin_and_api_cannot_be_framed_either(editor):
    # The CSP is not sent there (the admin has inline scripts of its own), so the
    # X-Frame-Options header is what stops clickjacking.
    client = signed_in(editor)
    for url in ("/admin/", "/admin/articles/article/", "/api/articles/", "/api/docs/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url


def test_production_mode_sends_hsts_and_secure_cookies(
    settings, production_security_settings, reader, article
):
    for name, value in production_security_settings.items():
        setattr(settings, name, value)
    client = Client()
    # Plain HTTP is sent to HTTPS before any page is served.
    insecure = client.get(article.get_absolute_url())
    assert insecure.status_code == 301
    assert insecure["Location"] == "https://testserver" + article.get_absolute_url()

    secure = client.get(article.get_absolute_url(), secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_reader_page_headers(secure, "article over HTTPS")
    # Behind the proxy, which says the client came over HTTPS.
    proxied = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200 and "Strict-Transport-Security" in proxied

    signed = client.post(
        reverse("login"), {"username": "reader", "password": PASSWORD}, secure=True
    )
    assert signed.status_code == 302
    session_cookie = signed.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert session_cookie["samesite"].lower() == "lax"
    csrf_cookie = client.get(reverse("login"), secure=True).cookies.get(settings.CSRF_COOKIE_NAME)
    if csrf_cookie is not None:
        assert csrf_cookie["secure"]
    assert urlsplit(signed["Location"]).netloc in ("", "testserver")


def test_unknown_hosts_are_refused(article):
    client = Client(raise_request_exception=False)
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    # A host header is never trusted for building links: password reset included.
    response = client.post(
        reverse("password_reset"), {"email": "reader@example.org"}, HTTP_HOST="evil.example"
    )
    assert response.status_code == 400
    assert Article.objects.filter(pk=article.pk).exists()
