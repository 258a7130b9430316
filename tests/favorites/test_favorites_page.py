"""/favorites/: newest saved first, paginated, filterable by topic, constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from favorites.models import Favorite
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def save(user, article, minutes_ago=0):
    favorite = Favorite.objects.create(user=user, article=article)
    Favorite.objects.filter(pk=favorite.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return favorite


def titles(response):
    return [f.article.title for f in response.context["favorites"]]


def test_newest_saved_first(reader_client, reader):
    # Saved in a different order from the one they were published in.
    old, new = make_article(title="Saved first"), make_article(title="Saved last")
    save(reader, new, minutes_ago=1)
    save(reader, old, minutes_ago=60)
    response = reader_client.get(reverse("favorite_list"))
    assert response.status_code == 200
    assert titles(response) == ["Saved last", "Saved first"]
    page = response.content.decode()
    assert page.index("Saved last") < page.index("Saved first")


def test_each_item_has_a_remove_button(reader_client, reader, article):
    save(reader, article)
    page = reader_client.get(reverse("favorite_list")).content.decode()
    assert "data-favorite-remove" in page
    assert 'name="action" value="remove"' in page
    assert 'name="next" value="/favorites/"' in page


def test_remove_from_the_page_comes_back_to_it(reader_client, reader, article):
    save(reader, article)
    url = reverse("favorite_toggle", kwargs={"slug": article.slug})
    response = reader_client.post(url, {"action": "remove", "next": "/favorites/?topic=ai"})
    assert response.url == "/favorites/?topic=ai"
    assert not Favorite.objects.exists()


def test_empty_state_explains_what_to_do(reader_client):
    response = reader_client.get(reverse("favorite_list"))
    page = response.content.decode()
    assert "You have not saved any article yet." in page
    assert f'href="{reverse("today")}"' in page


def test_hidden_articles_leave_the_list(reader_client, reader):
    shown = make_article(title="Still published")
    hidden = make_article(title="Hidden by an editor")
    save(reader, shown)
    save(reader, hidden)
    Article.objects.filter(pk=hidden.pk).update(status=Article.Status.HIDDEN)
    assert titles(reader_client.get(reverse("favorite_list"))) == ["Still published"]


def test_pagination(reader_client, reader):
    for i in range(23):
        save(reader, make_article(title=f"Saved {i:02d}"), minutes_ago=i)
    first = reader_client.get(reverse("favorite_list"))
    assert len(first.context["favorites"]) == 20
    assert first.context["paginator"].count == 23
    second = reader_client.get(reverse("favorite_list") + "?page=2")
    assert titles(second) == ["Saved 20", "Saved 21", "Saved 22"]
    # Past the end (e.g. after removing the last item of the last page): the last page.
    assert titles(reader_client.get(reverse("favorite_list") + "?page=99")) == titles(second)
    assert reader_client.get(reverse("favorite_list") + "?page=abc").status_code == 200


def test_filter_by_topic(reader_client, reader):
    save(reader, make_article(title="About AI", topic="ai"))
    save(reader, make_article(title="About crypto", topic="crypto"))
    response = reader_client.get(reverse("favorite_list") + "?topic=crypto")
    assert response.status_code == 200
    assert titles(response) == ["About crypto"]
    # An empty choice means every topic.
    everything = reader_client.get(reverse("favorite_list") + "?topic=")
    assert set(titles(everything)) == {"About AI", "About crypto"}


def test_filter_by_topic_with_none_saved_there(reader_client, reader):
    save(reader, make_article(title="About AI", topic="ai"))
    page = reader_client.get(reverse("favorite_list") + "?topic=crypto").content.decode()
    assert "You have not saved any article in this topic." in page


def test_unknown_topic_is_a_bad_request(reader_client):
    response = reader_client.get(reverse("favorite_list") + "?topic=no-such-topic")
    assert response.status_code == 400


def test_page_in_french(reader_client, reader, article):
    save(reader, article)
    response = reader_client.get("/fr/favorites/")
    assert response.status_code == 200
    assert article.title in response.content.decode()


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("favorite_list"))
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_list(
    reader_client, reader, django_assert_max_num_queries
):
    for _ in range(2):
        save(reader, make_article(digest_languages=("en", "fr")))
    few = count_queries(reader_client)
    for _ in range(18):
        save(reader, make_article(digest_languages=("en", "fr")))
    with django_assert_max_num_queries(few):
        reader_client.get(reverse("favorite_list"))
    # A ceiling too, so a regression that adds fixed queries is noticed: session, user,
    # count, favorites, articles, tags, digests, feed token, topics (filter, navigation).
    assert few <= 11
