"""The star: idempotent adds and removes, JSON for fetch(), privacy, CSRF, and the
round trip of an anonymous reader through sign-in (and sign-up) back to the page."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.models import Article
from favorites.models import Favorite
from tests.accounts import confirm_link, mail_tasks_in_process, mails_to, sign_up  # noqa: F401
from tests.factories import make_article
from tests.readers import PASSWORD

pytestmark = pytest.mark.django_db


def star_url(article):
    return reverse("favorite_toggle", kwargs={"slug": article.slug})


def saved(user, article):
    return Favorite.objects.filter(user=user, article=article).exists()


# --- adding and removing ---------------------------------------------------------


def test_add_twice_keeps_one_row(reader_client, reader, article):
    for _ in range(2):
        response = reader_client.post(star_url(article), {"action": "add", "next": "/"})
        assert response.status_code == 302
        assert response.url == "/"
    assert Favorite.objects.filter(user=reader, article=article).count() == 1


def test_remove_twice_and_remove_absent_are_fine(reader_client, reader, article):
    reader_client.post(star_url(article), {"action": "add"})
    for _ in range(2):
        response = reader_client.post(star_url(article), {"action": "remove"})
        assert response.status_code == 302
        assert response.url == article.get_absolute_url()
    assert not saved(reader, article)


def test_json_answers_for_fetch(reader_client, reader, article, other_reader):
    Favorite.objects.create(user=other_reader, article=article)
    headers = {"Accept": "application/json"}
    response = reader_client.post(star_url(article), {"action": "add"}, headers=headers)
    assert response.status_code == 200
    assert response.json() == {"saved": True, "count": 2}
    response = reader_client.post(star_url(article), {"action": "add"}, headers=headers)
    assert response.json() == {"saved": True, "count": 2}
    response = reader_client.post(star_url(article), {"action": "remove"}, headers=headers)
    assert response.json() == {"saved": False, "count": 1}


@pytest.mark.parametrize("action", ["", "toggle", "delete"])
def test_unknown_action_is_a_bad_request(reader_client, reader, article, action):
    response = reader_client.post(star_url(article), {"action": action})
    assert response.status_code == 400
    assert not saved(reader, article)


def test_cannot_save_an_unpublished_or_unknown_article(reader_client, reader):
    hidden = make_article(status=Article.Status.REVIEW)
    assert reader_client.post(star_url(hidden), {"action": "add"}).status_code == 404
    response = reader_client.post(
        reverse("favorite_toggle", kwargs={"slug": "no-such-article"}), {"action": "add"}
    )
    assert response.status_code == 404
    assert not Favorite.objects.exists()


def test_can_remove_a_saved_article_that_was_hidden_since(reader_client, reader, article):
    Favorite.objects.create(user=reader, article=article)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.HIDDEN)
    response = reader_client.post(star_url(article), {"action": "remove"})
    assert response.status_code == 302
    assert not saved(reader, article)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "https:///evil.example/"]
)
def test_star_never_redirects_off_site(reader_client, article, next_url):
    response = reader_client.post(star_url(article), {"action": "add", "next": next_url})
    assert response.status_code == 302
    assert response.url == article.get_absolute_url()


def test_star_is_post_only_for_changes(reader_client, reader, article):
    assert reader_client.put(star_url(article)).status_code == 405
    assert reader_client.delete(star_url(article)).status_code == 405


# --- privacy ---------------------------------------------------------------------


def test_a_reader_cannot_remove_another_readers_favorite(client, reader, other_reader, article):
    Favorite.objects.create(user=reader, article=article)
    client.force_login(other_reader)
    response = client.post(star_url(article), {"action": "remove"})
    assert response.status_code == 302
    assert saved(reader, article)


def test_a_reader_cannot_see_another_readers_favorites(client, reader, other_reader):
    mine = make_article(title="Mine only")
    theirs = make_article(title="Theirs only")
    Favorite.objects.create(user=reader, article=mine)
    Favorite.objects.create(user=other_reader, article=theirs)
    client.force_login(other_reader)
    page = client.get(reverse("favorite_list")).content.decode()
    assert "Theirs only" in page
    assert "Mine only" not in page


# --- CSRF --------------------------------------------------------------------------


def test_star_without_csrf_token_is_refused(reader, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(star_url(article), {"action": "add"})
    assert response.status_code == 403
    response = client.post(
        star_url(article), {"action": "add"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 403
    assert not saved(reader, article)


def test_star_with_csrf_header_as_fetch_sends_it(reader, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    client.get(reverse("favorite_list"))  # any page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        star_url(article),
        {"action": "add"},
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert saved(reader, article)


def test_remove_without_csrf_token_is_refused(reader, article):
    Favorite.objects.create(user=reader, article=article)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(star_url(article), {"action": "remove"}).status_code == 403
    assert saved(reader, article)


# --- anonymous readers: sign in and come back with the article saved --------------


def test_anonymous_star_goes_to_sign_in_and_back_with_the_article_saved(client, reader, article):
    page = "/topics/ai/?page=2"
    response = client.post(star_url(article), {"action": "add", "next": page})
    assert response.status_code == 302
    login = urlparse(response.url)
    assert login.path == reverse("login")
    next_url = parse_qs(login.query)["next"][0]
    assert next_url == star_url(article) + "?then=%2Ftopics%2Fai%2F%3Fpage%3D2"
    assert not saved(reader, article)

    # The sign-in page carries next= in its form, as a browser would post it.
    assert client.get(response.url).context["next"] == next_url
    response = client.post(
        reverse("login"), {"username": "reader", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response.url == next_url

    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == page
    assert saved(reader, article)


@pytest.mark.usefixtures("mail_tasks_in_process")
def test_anonymous_star_round_trip_through_sign_up(
    client, article, django_capture_on_commit_callbacks
):
    response = client.post(star_url(article), {"action": "add", "next": "/"})
    next_url = parse_qs(urlparse(response.url).query)["next"][0]
    response = sign_up(
        client,
        django_capture_on_commit_callbacks,
        username="newcomer",
        email="newcomer@example.org",
        next=next_url,
    )
    assert response.url == reverse("signup_sent")
    # The link in the mail, followed in the same browser: the account is created, the
    # reader signed in and sent on to finish the save.
    response = client.post(confirm_link(mails_to("newcomer@example.org")[0]))
    assert response.url == next_url
    response = client.get(response.url)
    assert response.url == "/"
    assert Favorite.objects.filter(user__username="newcomer", article=article).exists()


def test_anonymous_fetch_gets_401_with_the_sign_in_address(client, article):
    response = client.post(
        star_url(article), {"action": "add", "next": "/"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 401
    assert response.json()["login_url"].startswith(reverse("login") + "?next=")


def test_anonymous_remove_just_asks_to_sign_in(client, article):
    response = client.post(star_url(article), {"action": "remove", "next": "/videos/"})
    assert response.status_code == 302
    assert parse_qs(urlparse(response.url).query)["next"] == ["/videos/"]


def test_the_after_sign_in_address_refuses_an_off_site_then(client, reader, article):
    client.post(star_url(article), {"action": "add"})
    client.force_login(reader)
    response = client.get(star_url(article) + "?then=https://evil.example/")
    assert response.status_code == 302
    assert response.url == article.get_absolute_url()
    assert saved(reader, article)


def test_a_bare_get_never_saves(reader_client, reader, article):
    # Another site could link a signed-in reader here: without a click on the star in
    # this session, the reader is asked to confirm with a POST form.
    response = reader_client.get(star_url(article) + "?then=/")
    assert response.status_code == 200
    assert not saved(reader, article)
    assert 'name="action" value="add"' in response.content.decode()


def test_get_for_an_anonymous_reader_asks_to_sign_in(client, article):
    response = client.get(star_url(article))
    assert response.status_code == 302
    assert urlparse(response.url).path == reverse("login")


# --- the star template and its one-query tag -----------------------------------------


def render(source, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template(source).render(Context({"request": request, **context}))


STAR = "{% for article in articles %}{% include 'favorites/_star.html' %}{% endfor %}"
STARS_WITH_IDS = "{% load favorite_tags %}{% favorite_ids_for articles as favorite_ids %}" + STAR


def test_star_shows_saved_state(reader, article):
    other = make_article()
    Favorite.objects.create(user=reader, article=article)
    html = render(STARS_WITH_IDS, reader, articles=[article, other])
    assert html.count('aria-pressed="true"') == 1
    assert html.count('aria-pressed="false"') == 1
    assert 'name="action" value="remove"' in html
    assert 'name="action" value="add"' in html
    assert f'action="{star_url(article)}"' in html
    assert "js/favorites.js" in html
    assert "<script>" not in html and "style=" not in html  # the CSP allows neither


def test_stars_cost_one_query_with_favorite_ids(reader, django_assert_num_queries):
    articles = [make_article() for _ in range(5)]
    Favorite.objects.create(user=reader, article=articles[2])
    listed = list(Article.objects.filter(pk__in=[a.pk for a in articles]))
    with django_assert_num_queries(1):
        html = render(STARS_WITH_IDS, reader, articles=listed)
    assert html.count('aria-pressed="true"') == 1


def test_stars_without_favorite_ids_cost_one_query_each(reader, django_assert_num_queries):
    articles = [make_article() for _ in range(3)]
    with django_assert_num_queries(3):
        render(STAR, reader, articles=articles)


def test_stars_for_anonymous_readers_cost_nothing(django_assert_num_queries, article):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        html = render(STARS_WITH_IDS, AnonymousUser(), articles=[article])
        html += render(STAR, AnonymousUser(), articles=[article])
    assert 'aria-pressed="false"' in html


def test_favorite_ids_for_takes_several_lists_and_single_articles(
    reader, django_assert_num_queries
):
    a, b, c = make_article(), make_article(), make_article()
    for x in (a, c):
        Favorite.objects.create(user=reader, article=x)
    source = (
        "{% load favorite_tags %}{% favorite_ids_for article more as ids %}"
        "{% for i in ids %}{{ i }} {% endfor %}"
    )
    with django_assert_num_queries(1):
        html = render(source, reader, article=a, more=[b, c])
    assert set(html.split()) == {str(a.pk), str(c.pk)}


def favorite_queries_on_today(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("today"))
    assert response.status_code == 200
    return [q["sql"] for q in queries if "favorites_favorite" in q["sql"]]


def test_stars_on_today_cost_one_query_whatever_the_length(reader_client, reader):
    # Only the favorites' queries are counted: the rest of the page is the reader
    # site's (its own tests hold the whole page to a constant count).
    Favorite.objects.create(user=reader, article=make_article())
    assert len(favorite_queries_on_today(reader_client)) == 1
    for _ in range(12):
        Favorite.objects.create(user=reader, article=make_article())
    assert len(favorite_queries_on_today(reader_client)) == 1
    page = reader_client.get(reverse("today")).content.decode()
    # Every star is pressed: the day's 13 cards, and the same articles again in their
    # topic's row further down.
    assert page.count('aria-pressed="true"') >= 13
    assert 'aria-pressed="false"' not in page
