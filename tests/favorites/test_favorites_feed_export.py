"""The private RSS feed at a secret, revocable URL, and the JSON and CSV exports."""

import csv
import io
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from favorites.models import Favorite, FeedToken
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def feed_url(token):
    return reverse("favorite_feed", kwargs={"token": token})


def create_feed(client):
    response = client.post(reverse("favorite_feed_regenerate"))
    assert response.status_code == 302
    assert response.url == reverse("favorite_list") + "#private-feed"


# --- private feed ----------------------------------------------------------------


def test_favorites_page_offers_to_create_the_feed(reader_client):
    page = reader_client.get(reverse("favorite_list")).content.decode()
    assert "Create my private feed" in page
    assert not FeedToken.objects.exists()  # looking at the page creates nothing


def test_feed_lists_only_the_readers_favorites(reader_client, reader, other_reader):
    mine, theirs = make_article(title="Mine"), make_article(title="Theirs")
    Favorite.objects.create(user=reader, article=mine)
    Favorite.objects.create(user=other_reader, article=theirs)
    create_feed(reader_client)
    token = FeedToken.objects.get(user=reader).token
    assert len(token) >= 43

    page = reader_client.get(reverse("favorite_list")).content.decode()
    assert f"http://testserver{feed_url(token)}" in page

    # A feed reader has no session: the token alone opens the feed.
    reader_client.logout()
    response = reader_client.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    channel = ElementTree.fromstring(response.content).find("channel")
    items = [item.findtext("title") for item in channel.findall("item")]
    assert items == ["Mine"]
    link = channel.find("item").findtext("link")
    assert link == f"http://testserver{mine.get_absolute_url()}"


def test_wrong_token_is_404(client, reader):
    FeedToken.objects.create(user=reader)
    assert client.get(feed_url("not-the-token")).status_code == 404
    assert client.get(feed_url("x" * 43)).status_code == 404


def test_regenerated_token_stops_the_old_one_at_once(reader_client, reader, article):
    Favorite.objects.create(user=reader, article=article)
    create_feed(reader_client)
    old = FeedToken.objects.get(user=reader).token
    assert reader_client.get(feed_url(old)).status_code == 200

    create_feed(reader_client)  # "Make a new address"
    new = FeedToken.objects.get(user=reader).token
    assert new != old
    assert reader_client.get(feed_url(old)).status_code == 404
    assert reader_client.get(feed_url(new)).status_code == 200


def test_revoked_token_is_404(reader_client, reader):
    create_feed(reader_client)
    token = FeedToken.objects.get(user=reader).token
    response = reader_client.post(reverse("favorite_feed_revoke"))
    assert response.status_code == 302
    assert reader_client.get(feed_url(token)).status_code == 404
    assert "Create my private feed" in reader_client.get(reverse("favorite_list")).content.decode()


def test_feed_management_needs_a_signed_in_post(reader_client):
    assert reader_client.get(reverse("favorite_feed_regenerate")).status_code == 405
    assert reader_client.get(reverse("favorite_feed_revoke")).status_code == 405
    response = Client().post(reverse("favorite_feed_regenerate"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_feed_in_french(client, reader, article):
    Favorite.objects.create(user=reader, article=article)
    token = FeedToken.objects.create(user=reader).token
    response = client.get(f"/fr/favorites/feed/{token}.rss")
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_token_is_not_shown_in_its_string(reader):
    token = FeedToken.objects.create(user=reader)
    assert token.token not in str(token)


# --- exports -------------------------------------------------------------------------


def test_exports_need_sign_in(client):
    for name in ("favorite_export_json", "favorite_export_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_export_json(reader_client, reader, other_reader):
    mine = make_article(title="Mine", topic="ai")
    Favorite.objects.create(user=reader, article=mine)
    Favorite.objects.create(user=other_reader, article=make_article(title="Theirs"))
    response = reader_client.get(reverse("favorite_export_json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = response.json()
    assert [f["title"] for f in data["favorites"]] == ["Mine"]
    row = data["favorites"][0]
    assert row["url"] == f"http://testserver{mine.get_absolute_url()}"
    assert row["topic"] == mine.topic.name
    assert set(row) == {"title", "url", "topic", "source", "published_at", "saved_at"}


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_csv(reader_client, reader):
    article = make_article(title='Café, « guillemets » and "quotes"')
    Favorite.objects.create(user=reader, article=article)
    response = reader_client.get(reverse("favorite_export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = read_csv(response)
    assert rows[0] == ["title", "url", "topic", "source", "published_at", "saved_at"]
    assert rows[1][0] == 'Café, « guillemets » and "quotes"'
    assert len(rows) == 2


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("https://evil.example")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1"]
)
def test_export_csv_defuses_formulas(reader_client, reader, title):
    Favorite.objects.create(user=reader, article=make_article(title=title))
    rows = read_csv(reader_client.get(reverse("favorite_export_csv")))
    assert rows[1][0] == "'" + title


def test_export_csv_leaves_ordinary_titles_alone(reader_client, reader):
    Favorite.objects.create(user=reader, article=make_article(title="Why 2+2=4"))
    assert read_csv(reader_client.get(reverse("favorite_export_csv")))[1][0] == "Why 2+2=4"


def test_feed_of_a_deactivated_account_is_404(client, reader):
    token = FeedToken.objects.create(user=reader).token
    reader.is_active = False
    reader.save()
    assert client.get(feed_url(token)).status_code == 404
