"""Query discipline: a list page runs the same few queries for 2 articles or 23, and
pagination asks the database for one page, never for every row."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingestion.models import Source
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "/",
    "/fr/",
    "/topics/",
    "/topics/ai/",
    "/topics/crypto/",
    "/videos/",
    "/archives/",
    "/archives/2024/",
    "/archives/2024/3/",
    "/archives/2024/3/15/",
    "/feeds/latest.rss",
    "/feeds/latest.atom",
    "/topics/ai/feed.rss",
    "/sitemap.xml",
]
MAX_QUERIES = 12


def fill(count, past_day):
    """`count` articles on one day, in two topics, half of them videos, with tags."""
    channel = make_source(kind=Source.Kind.YOUTUBE)
    podcast = make_source()
    for i in range(count):
        make_article(
            source=channel if i % 2 else podcast,
            topic="ai" if i % 3 else "crypto",
            published_at=past_day + timedelta(minutes=i),
            tags=(f"tag{i % 4}", "shared"),
            digest_languages=("en", "fr"),
        )


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries), queries


@pytest.mark.parametrize("path", LIST_PAGES)
def test_list_pages_run_a_constant_number_of_queries(client, past_day, path):
    fill(2, past_day)
    small, _ = count_queries(client, path)
    fill(21, past_day)
    large, queries = count_queries(client, path)
    assert small == large, [q["sql"] for q in queries]
    assert large <= MAX_QUERIES


@pytest.mark.parametrize("path", ["/", "/topics/ai/", "/videos/", "/archives/2024/"])
def test_list_pages_for_a_signed_in_reader(client, django_user_model, past_day, path):
    client.force_login(django_user_model.objects.create_user("r", password="x-long-pass-1"))
    fill(2, past_day)
    small, _ = count_queries(client, path)
    fill(21, past_day)
    large, queries = count_queries(client, path)
    assert small == large, [q["sql"] for q in queries]


def test_max_queries_fixture_on_today(client, past_day, django_assert_max_num_queries):
    fill(30, past_day)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/").status_code == 200


def test_article_page_runs_a_constant_number_of_queries(client, past_day):
    fill(3, past_day)
    article = make_article(topic="ai", tags=("shared", "tag1"), published_at=past_day)
    small, _ = count_queries(client, article.get_absolute_url())
    fill(30, past_day)
    large, queries = count_queries(client, article.get_absolute_url())
    assert small == large, [q["sql"] for q in queries]
    assert large <= 14


@pytest.mark.parametrize("path", ["/topics/ai/", "/videos/", "/archives/2024/"])
def test_pagination_reads_one_page_only(client, past_day, path):
    fill(45, past_day)
    response = client.get(path, {"page": "2"})
    assert response.status_code == 200
    assert len(response.context["articles"]) <= 20
    _, queries = count_queries(client, path + "?page=2")
    article_selects = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "articles_article"."id"') and "COUNT(" not in q["sql"]
    ]
    assert article_selects, [q["sql"] for q in queries]
    for sql in article_selects:
        assert "LIMIT" in sql, sql
