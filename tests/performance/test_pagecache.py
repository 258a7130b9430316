"""The page cache serves what a fresh render would serve, to whoever asks.

Freshness: an edit (through the admin, the services, or the ORM) shows on the very
next request, for anonymous and signed-in readers. Privacy: a cached page carries
no other reader's CSRF token, stars or name. Conditional GET answers 304.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group

# Not `cache` itself: pytest's collection would touch that proxy and create the cache
# before tests/conftest.py gives each xdist worker its own key prefix.
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import Article
from digests.models import KeyPoint
from favorites.models import Favorite
from ingestion.models import Source
from newsroom import pagecache
from tests.factories import make_article
from tests.performance.conftest import PASSWORD
from tests.performance.helpers import (
    form_data,
    get,
    is_saved,
    secrets_behind,
    star,
    without_tokens,
)
from topics.models import Topic

pytestmark = pytest.mark.django_db

CACHED_PAGES = ["/", "/fr/", "/topics/", "/topics/ai/", "/videos/", "/archives/"]


@pytest.fixture
def articles():
    now = timezone.now()
    return [
        make_article(title=f"Cached story {n}", published_at=now - timedelta(seconds=30 + n))
        for n in range(3)
    ]


@pytest.fixture
def make_reader(django_user_model):
    def make(username: str) -> Client:
        user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def editor_client(django_user_model):
    user = django_user_model.objects.create_user(
        "chief-editor", "chief@example.org", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


def archive_month(article: Article) -> str:
    day = timezone.localtime(article.published_at)
    return f"/archives/{day.year}/{day.month}/"


# --- Anonymous readers ------------------------------------------------------------------


@pytest.mark.parametrize("path", CACHED_PAGES)
def test_anonymous_pages_are_served_from_the_cache_without_a_query(client, articles, path):
    first, _ = get(client, path)
    again, queries = get(Client(), path)
    assert first.status_code == again.status_code == 200
    assert queries == 0
    assert without_tokens(again.content) == without_tokens(first.content)


def test_article_and_archive_pages_are_cached_too(client, articles):
    for path in (articles[0].get_absolute_url(), archive_month(articles[0])):
        get(client, path)
        again, queries = get(Client(), path)
        assert again.status_code == 200 and queries == 0, path
        assert b"Cached story 0" in again.content


def test_each_anonymous_reader_gets_tokens_of_their_own_csrf_secret(articles):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    get(first, "/")
    response, queries = get(second, "/")
    assert queries == 0  # from the cache...
    secret = second.cookies["csrftoken"].value
    assert secrets_behind(response.content) == {secret}  # ...with this reader's own token
    assert secret != first.cookies["csrftoken"].value
    # And the token works: the language switch (a POST form on every page) accepts it.
    token = response.content.split(b'name="csrfmiddlewaretoken" value="')[1][:64].decode()
    switched = second.post(
        "/i18n/setlang/", {"language": "fr", "next": "/fr/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


def test_languages_and_query_strings_are_cached_apart(client, articles):
    english, _ = get(client, "/topics/")
    french, _ = get(client, "/fr/topics/")
    assert b'lang="en"' in english.content and b'lang="fr"' in french.content
    page_two, _ = get(client, "/topics/ai/?page=2")
    assert page_two.status_code == 404  # one page of articles only: never page one's body


def test_head_requests_are_answered_from_the_cache(client, articles):
    get(client, "/")
    response = Client().head("/")
    assert response.status_code == 200


# --- Freshness: an edit shows on the next request ---------------------------------------


def _edit_through_admin_form(editor_client, article: Article, title: str) -> None:
    url = f"/admin/articles/article/{article.pk}/change/"
    page = editor_client.get(url)
    assert page.status_code == 200
    data = form_data(page.content, "article_form")
    data["title"] = [title]
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]


def _edit_key_point_through_admin(editor_client, article: Article, heading: str) -> None:
    digest = article.digests.get()
    url = f"/admin/digests/digest/{digest.pk}/change/"
    page = editor_client.get(url)
    assert page.status_code == 200
    data = form_data(page.content, "digest_form")
    first = next(name for name in data if name.endswith("-0-heading"))
    data[first] = [heading]
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]


def _orm_title(article: Article, title: str) -> None:
    article.title = title
    article.save()


def _digest_tldr(article: Article, tldr: str) -> None:
    digest = article.digests.get()
    digest.tldr = tldr
    digest.save()


EDITS = {
    "admin change form": lambda article, editor: _edit_through_admin_form(
        editor, article, "Edited in the admin"
    ),
    "admin inline key point": lambda article, editor: _edit_key_point_through_admin(
        editor, article, "Edited in the admin"
    ),
    "ORM save": lambda article, editor: _orm_title(article, "Edited in the admin"),
    "digest save": lambda article, editor: _digest_tldr(article, "Edited in the admin"),
}


@pytest.mark.parametrize("how", list(EDITS))
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_an_edit_shows_on_the_next_request(
    client, articles, editor_client, make_reader, how, signed_in
):
    article = articles[0]
    reader = make_reader("reader") if signed_in else client
    pages = [article.get_absolute_url()]
    if how in {"admin change form", "ORM save", "digest save"}:
        pages += ["/", "/topics/ai/", archive_month(article)]
    for path in pages:  # warm the cache, anonymously and as the reader
        get(Client(), path)
        before, _ = get(reader, path)
        assert b"Edited in the admin" not in before.content
    EDITS[how](article, editor_client)
    for path in pages:
        after, _ = get(reader, path)
        assert b"Edited in the admin" in after.content, (how, path)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_publishing_unpublishing_and_featuring_through_services(
    client, articles, make_reader, signed_in
):
    reader = make_reader("reader") if signed_in else client
    waiting = make_article(
        title="Waiting for an editor",
        status=Article.Status.REVIEW,
        published_at=articles[0].published_at,
    )
    path = "/topics/ai/"
    get(Client(), path)
    page, _ = get(reader, path)
    assert b"Waiting for an editor" not in page.content

    services.articles_publish(article_ids=[waiting.pk])
    page, _ = get(reader, path)
    assert b"Waiting for an editor" in page.content

    services.articles_feature(article_ids=[waiting.pk])
    page, _ = get(reader, path)
    assert b"is-featured" in page.content

    services.articles_unpublish(article_ids=[waiting.pk])
    page, _ = get(reader, path)
    assert b"Waiting for an editor" not in page.content
    assert get(reader, waiting.get_absolute_url())[0].status_code == 404


def test_unpublishing_through_the_admin_action(client, articles, editor_client):
    article = articles[0]
    get(client, "/")
    response = editor_client.post(
        "/admin/articles/article/",
        {"action": "unpublish", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    page, _ = get(Client(), "/")
    assert article.title.encode() not in page.content


def test_renaming_a_topic_a_source_or_a_tag_shows_at_once(client, articles):
    article = articles[0]
    get(client, "/")
    get(client, article.get_absolute_url())
    topic = Topic.objects.get(slug="ai")
    topic.name_en = "Machine minds"
    topic.save()
    source = Source.objects.get(pk=article.source_id)
    source.name = "Renamed show"
    source.save()
    article.tags.add("freshly-tagged")
    home, _ = get(Client(), "/")
    assert b"Machine minds" in home.content and b"Renamed show" in home.content
    page, _ = get(Client(), article.get_absolute_url())
    assert b"freshly-tagged" in page.content


def test_polling_bookkeeping_does_not_empty_the_cache(client, articles):
    source = Source.objects.get(pk=articles[0].source_id)
    get(client, "/")
    source.last_polled_at = timezone.now()
    source.save(update_fields=["last_polled_at"])
    _, queries = get(Client(), "/")
    assert queries == 0


def test_an_article_that_is_not_published_does_not_empty_the_cache(client, articles):
    get(client, "/")
    make_article(title="Still in the pipeline", status=Article.Status.NEW)
    _, queries = get(Client(), "/")
    assert queries == 0


def test_a_scheduled_article_appears_when_its_time_comes(client, articles):
    soon = make_article(
        title="Scheduled for later", published_at=timezone.now() + timedelta(hours=1)
    )
    pagecache._refresh_due()  # what the commit of that write does
    assert caches["default"].get(pagecache.DUE_KEY) == pytest.approx(soon.published_at.timestamp())
    page, _ = get(client, "/")
    assert b"Scheduled for later" not in page.content
    # Its time comes (moved here rather than waiting an hour: an update sends no signal,
    # so only the due time can make the cached page go).
    Article.objects.filter(pk=soon.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    caches["default"].set(pagecache.DUE_KEY, time.time() - 1, None)
    page, _ = get(Client(), "/")
    assert b"Scheduled for later" in page.content


def test_entries_expire_by_midnight_and_by_the_next_due_article():
    assert pagecache._expires_in(None) <= pagecache.page_timeout()
    now = timezone.localtime()
    to_midnight = (
        (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0) - now
    ).total_seconds()
    assert pagecache._expires_in(None) <= to_midnight + 1
    assert pagecache._expires_in(time.time() + 30) <= 30


# --- Signed-in readers: their own stars, never anyone else's ----------------------------


def test_signed_in_readers_get_the_cached_page_with_their_own_stars(articles, make_reader):
    saved, other = articles[0], articles[1]
    alice, bob = make_reader("alice-the-reader"), make_reader("bob-the-reader")
    Favorite.objects.create(user=alice.user, article=saved)
    get(Client(), "/")  # an anonymous visit stores the page

    page, queries = get(alice, "/")
    # Session, user, and the one query for which stars are saved: no page render.
    assert queries <= 3
    assert is_saved(page.content, saved.slug)
    assert not is_saved(page.content, other.slug)
    assert b"data-needs-login" not in page.content
    assert b"Sign out" in page.content
    assert secrets_behind(page.content) == {alice.cookies["csrftoken"].value}

    page, _ = get(bob, "/")
    assert not is_saved(page.content, saved.slug)
    assert b"alice" not in page.content
    assert alice.cookies["csrftoken"].value not in secrets_behind(page.content)
    assert secrets_behind(page.content) == {bob.cookies["csrftoken"].value}


@pytest.mark.parametrize("path", ["/", "/topics/ai/", "/videos/", "/archives/", "article"])
def test_a_personalised_page_is_exactly_what_a_full_render_gives(
    settings, articles, make_reader, path
):
    alice = make_reader("alice-the-reader")
    Favorite.objects.create(user=alice.user, article=articles[1])
    path = articles[1].get_absolute_url() if path == "article" else path
    get(Client(), path)
    cached, queries = get(alice, path)
    settings.PAGE_CACHE = False
    rendered, render_queries = get(alice, path)
    assert queries < render_queries
    assert without_tokens(cached.content) == without_tokens(rendered.content)


def test_a_signed_in_render_is_never_stored_for_anyone_else(articles, make_reader):
    alice = make_reader("alice-the-reader")
    Favorite.objects.create(user=alice.user, article=articles[0])
    get(alice, "/")  # a miss, rendered for alice alone
    page, _ = get(Client(), "/")
    assert b"alice" not in page.content
    assert b"Sign out" not in page.content
    assert not is_saved(page.content, articles[0].slug)
    assert b"data-needs-login" in star(page.content, articles[0].slug)


def test_a_new_star_shows_on_the_next_request(articles, make_reader):
    alice = make_reader("alice-the-reader")
    get(Client(), "/")
    page, _ = get(alice, "/")
    assert not is_saved(page.content, articles[2].slug)
    response = alice.post(f"/articles/{articles[2].slug}/favorite/", {"action": "add", "next": "/"})
    assert response.status_code == 302
    page, _ = get(alice, "/")
    assert is_saved(page.content, articles[2].slug)


# --- Conditional GET ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/topics/ai/", "article"])
def test_conditional_get_answers_304_until_the_page_changes(client, articles, path):
    path = articles[0].get_absolute_url() if path == "article" else path
    first = client.get(path)
    assert first["ETag"].startswith('W/"')
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    _orm_title(articles[0], "A new title")
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_conditional_get_for_signed_in_readers_follows_their_stars(articles, make_reader):
    alice = make_reader("alice-the-reader")
    get(Client(), "/")
    first = alice.get("/")
    assert "Last-Modified" not in first  # the date says nothing about their stars
    assert alice.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Favorite.objects.create(user=alice.user, article=articles[0])
    assert alice.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize(
    "path", ["/feeds/latest.rss", "/feeds/latest.atom", "/fr/feeds/latest.rss"]
)
def test_feeds_answer_conditional_requests(client, articles, path):
    first = client.get(path)
    assert first.status_code == 200
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    _orm_title(articles[0], "A title for the feed")
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and b"A title for the feed" in changed.content


def test_a_search_asked_twice_is_cached_until_something_changes(client, articles):
    first, queries = get(client, "/search/?q=story")
    assert queries > 0 and b"3 digests match" in first.content
    # Asked once, a search is only remembered; asked again, its page is stored...
    _, queries = get(Client(), "/search/?q=story")
    assert queries > 0
    again, queries = get(Client(), "/search/?q=story")
    assert queries == 0
    assert without_tokens(again.content) == without_tokens(first.content)
    other, queries = get(client, "/search/?q=cached+story+0")
    assert queries > 0 and b"1 digest matches" in other.content
    # ...and a change shows on the next request.
    make_article(title="Another story")
    fresh, queries = get(Client(), "/search/?q=story")
    assert queries > 0
    assert b"4 digests match" in fresh.content and b"Another story" in fresh.content


def test_a_search_whose_filters_cannot_be_read_is_not_cached(client, articles):
    first, _ = get(client, "/search/?q=story&published_after=2025-13-45")
    assert first.status_code == 400
    for _ in range(2):
        _, queries = get(Client(), "/search/?q=story&published_after=2025-13-45")
        assert queries > 0


def test_favorites_page_is_cached_for_its_reader_alone(articles, make_reader):
    alice, bob = make_reader("alice-the-reader"), make_reader("bob-the-reader")
    Favorite.objects.create(user=alice.user, article=articles[0])
    alice.post("/favorites/feed/regenerate/")
    first, _ = get(alice, "/favorites/")
    again, queries = get(alice, "/favorites/")
    assert queries <= 2  # the session and the reader: the page itself comes from the cache
    assert without_tokens(again.content) == without_tokens(first.content)
    assert secrets_behind(again.content) == {alice.cookies["csrftoken"].value}
    token = alice.user.favorite_feed_token.token

    page, _ = get(bob, "/favorites/")
    assert articles[0].title.encode() not in page.content
    assert token.encode() not in page.content
    assert alice.cookies["csrftoken"].value not in secrets_behind(page.content)


@pytest.mark.parametrize("change", ["star", "unstar", "article", "feed"])
def test_a_readers_favorites_page_follows_every_change(articles, make_reader, change):
    alice = make_reader("alice-the-reader")
    Favorite.objects.create(user=alice.user, article=articles[0])
    alice.post("/favorites/feed/regenerate/")
    get(alice, "/favorites/")
    if change == "star":
        alice.post(f"/articles/{articles[1].slug}/favorite/", {"action": "add"})
        expected, gone = articles[1].title, None
    elif change == "unstar":
        alice.post(f"/articles/{articles[0].slug}/favorite/", {"action": "remove"})
        expected, gone = None, articles[0].title
    elif change == "article":
        _orm_title(articles[0], "Renamed while saved")
        expected, gone = "Renamed while saved", None
    else:
        old = alice.user.favorite_feed_token.token
        alice.post("/favorites/feed/regenerate/")
        alice.user.refresh_from_db()
        expected, gone = alice.user.favorite_feed_token.token, old
    page, _ = get(alice, "/favorites/")
    if expected:
        assert expected.encode() in page.content
    if gone:
        assert gone.encode() not in page.content


def test_key_point_changes_invalidate(client, articles):
    article = articles[0]
    get(client, article.get_absolute_url())
    point = KeyPoint.objects.filter(digest__article=article).first()
    point.heading = "A sharper heading"
    point.save()
    page, _ = get(Client(), article.get_absolute_url())
    assert b"A sharper heading" in page.content


def test_a_star_that_shows_who_reads_it_is_never_shared(settings, tmp_path, articles, make_reader):
    """If the star template ever showed something of the reader, the cache must notice
    (two made-up readers get different stars) and render such pages per reader."""
    original = (settings.BASE_DIR / "templates" / "favorites" / "_star.html").read_text()
    (tmp_path / "favorites").mkdir()
    (tmp_path / "favorites" / "_star.html").write_text(
        original + "<i>{{ request.user.get_username }}</i>"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    alice, bob = make_reader("alice-the-reader"), make_reader("bob-the-reader")
    get(Client(), "/")
    page, _ = get(alice, "/")
    assert b"<i>alice-the-reader</i>" in page.content
    page, _ = get(bob, "/")
    assert b"<i>bob-the-reader</i>" in page.content
    assert b"alice" not in page.content
