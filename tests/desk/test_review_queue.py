"""The admin's index: the review queue (counts by status, the oldest waiting first); and
the article list, readable at 1,280 px (its layout is checked in a browser in
tests/browser/test_editor_desk_browser.py)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from desk.templatetags.editor_tags import QUEUE_LENGTH, review_queue
from tests.factories import make_article

INDEX = "/admin/"


def count_link(html: str, status: str) -> tuple[str, int]:
    """The (link, count) the queue shows for `status`."""
    match = re.search(
        rf'data-status="{status}"><a href="([^"]+)">[^<]*<span class="review-count">(\d+)</span>',
        html,
    )
    assert match, status
    return match.group(1).replace("&amp;", "&"), int(match.group(2))


def waiting_slugs(html: str) -> list[str]:
    return re.findall(r'<tr data-waiting="([^"]+)">', html)


def in_review(title: str, *, days_ago: int) -> Article:
    article = make_article(title=title, status=Article.Status.REVIEW, score=4.0)
    # created_at is set on insert: move it back to say how long it has waited.
    Article.objects.filter(pk=article.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return article


def test_the_index_counts_articles_by_status_with_links_to_the_filtered_list(editor_client):
    for _ in range(3):
        make_article(status=Article.Status.REVIEW)
    make_article(status=Article.Status.PUBLISHED)
    make_article(status=Article.Status.FAILED)
    make_article(status=Article.Status.FAILED)

    html = editor_client.get(INDEX).content.decode()

    assert "Review queue" in html
    changelist = reverse("admin:articles_article_changelist")
    expected = {"review": 3, "published": 1, "failed": 2, "hidden": 0, "new": 0}
    for status, count in expected.items():
        link, shown = count_link(html, status)
        assert shown == count, status
        assert link == f"{changelist}?status__exact={status}"
        # The link leads to the list of exactly those articles.
        listing = editor_client.get(link)
        assert listing.status_code == 200
        assert listing.context["cl"].result_count == count


def test_the_oldest_articles_waiting_for_review_come_first(editor_client):
    newest = in_review("Waited an hour", days_ago=0)
    oldest = in_review("Waited a week", days_ago=7)
    middle = in_review("Waited two days", days_ago=2)
    make_article(title="Out already")

    html = editor_client.get(INDEX).content.decode()

    assert waiting_slugs(html) == [oldest.slug, middle.slug, newest.slug]
    assert "3 articles wait for review, the oldest first" in html
    # Each links to its change page and to its page on the site (the desk).
    assert reverse("admin:articles_article_change", args=[oldest.pk]) in html
    assert oldest.get_absolute_url() in html
    # Why it waits, in words.
    assert "Its score, 4.0, is below the 5.5 the publish rule asks for." in html
    assert "Out already" not in html


def test_the_list_is_short_and_links_to_the_rest(editor_client):
    articles = [in_review(f"Waiting {n}", days_ago=30 - n) for n in range(QUEUE_LENGTH + 3)]

    html = editor_client.get(INDEX).content.decode()

    assert waiting_slugs(html) == [a.slug for a in articles[:QUEUE_LENGTH]]
    assert f"See all {QUEUE_LENGTH + 3} articles in review" in html


def test_an_empty_queue_says_so(editor_client):
    make_article()
    html = editor_client.get(INDEX).content.decode()
    assert "Nothing waits for review." in html
    assert count_link(html, "review")[1] == 0


def test_the_queue_speaks_french_in_french(rf, editor):
    # The admin itself follows the site's default language (its URLs have no /fr/):
    # the queue is rendered here with French active, as a French admin would.
    in_review("En attente", days_ago=1)
    request = rf.get(INDEX)
    request.user = editor
    with translation.override("fr"):
        queue = review_queue({"request": request})
        html = render_to_string("admin/articles/review_queue.html", {"queue": queue})
    assert "File de relecture" in html
    assert "1 article attend une relecture, le plus ancien d’abord" in html
    assert "Sa note, 4,0, est inférieure aux 5,5 que demande la règle de publication." in html


def test_the_queue_costs_the_same_few_queries_whatever_its_length(editor_client):
    in_review("One", days_ago=1)
    editor_client.get(INDEX)  # warm the permission and content-type caches
    with CaptureQueriesContext(connection) as few:
        editor_client.get(INDEX)
    for n in range(QUEUE_LENGTH + 2):
        in_review(f"More {n}", days_ago=2)
    with CaptureQueriesContext(connection) as many:
        editor_client.get(INDEX)
    assert len(many) == len(few)


def test_no_queue_for_staff_who_may_not_see_articles(client, django_user_model):
    user = django_user_model.objects.create_user("ops", "ops@example.org", "x-Pa55-word")
    user.is_staff = True
    user.save()
    make_article(status=Article.Status.REVIEW)
    client.force_login(user)

    response = client.get(INDEX)

    assert response.status_code == 200
    assert "Review queue" not in response.content.decode()


# --- The article list ---------------------------------------------------------------------


def test_the_article_list_shows_short_columns_only(editor_client):
    long_title = (
        "An extraordinarily long episode title that goes on and on about large language "
        "models, compilers, databases, the state of open source and what it all means"
    )
    article = make_article(title=long_title, status=Article.Status.REVIEW)

    response = editor_client.get(reverse("admin:articles_article_changelist"))

    changelist = response.context["cl"]
    assert list(changelist.list_display) == [
        "action_checkbox",
        "short_title",
        "status",
        "score",
        "source_name",
        "published",
        "saved_count",  # added by favorites/admin.py
    ]
    html = response.content.decode()
    # The title is cut, the whole title is in its title attribute.
    assert f'<span class="article-title" title="{long_title}">' in html
    assert "what it all means</span>" not in html
    assert article.source.name in html
    assert 'class="nowrap"' in html  # the date never wraps
    assert "/static/css/admin.css" in html
