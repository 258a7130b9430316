"""The editor's desk on the article page (desk/desk.py).

Editors open any article's page, whatever its status, with a banner that says the
status and why, and buttons that publish, send back to review and regenerate; readers
get a 404 for a page that is not published, and the buttons refuse anyone but an editor
and any post without a CSRF token. The page cache never serves or keeps a staff page.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from articles import services as articles_services
from articles.models import Article
from digests import services as digests_services
from digests.models import Digest
from ingestion.models import Transcript
from tests.factories import make_article

DESK = "data-editor-desk"
NOT_PUBLISHED = [s for s in Article.Status.values if s != Article.Status.PUBLISHED]


def desk_actions(html: str) -> list[str]:
    """The desk's buttons, by the address each form posts to."""
    return re.findall(r'<form method="post" action="([^"]+/desk/[^"]+)">', html)


def action_url(article: Article, action: str) -> str:
    return reverse(f"article_desk_{action}", args=[article.slug])


def csrf_token_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


# --- What editors see ---------------------------------------------------------------------


def test_editor_sees_the_banner_and_the_buttons_on_an_article_in_review(
    editor_client, review_article
):
    response = editor_client.get(review_article.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert DESK in html
    assert "Status: In review" in html
    assert "Only editors see this page." in html
    assert "It did not pass the publish rule, and waits for an editor." in html
    assert "Its score, 4.0, is below the 5.5 the publish rule asks for." in html
    # Already in review: publish it, or write its digest again.
    assert desk_actions(html) == [
        f"/articles/{review_article.slug}/desk/publish/",
        f"/articles/{review_article.slug}/desk/regenerate/",
    ]
    # Each button is a form of its own with its CSRF token.
    assert html.count('name="csrfmiddlewaretoken"') >= 2
    assert reverse("admin:articles_article_change", args=[review_article.pk]) in html
    # The digest itself is there to be read before publishing.
    assert review_article.title in html and "Key points" in html
    # No cache of any kind keeps an editor's page.
    assert "no-store" in response["Cache-Control"]


def test_the_banner_is_in_french_on_the_french_page(editor_client, review_article):
    html = editor_client.get(f"/fr/articles/{review_article.slug}/").content.decode()

    assert "Statut\u00a0: En relecture" in html
    assert "Seuls les éditeurs voient cette page." in html
    assert "Sa note, 4,0, est inférieure aux 5,5 que demande la règle de publication." in html
    assert "Publier" in html and "Régénérer le résumé" in html
    assert "Status:" not in html and "Regenerate the digest" not in html
    assert desk_actions(html)[0] == f"/fr/articles/{review_article.slug}/desk/publish/"


@pytest.mark.parametrize("status", NOT_PUBLISHED)
def test_editors_open_an_article_in_any_status(editor_client, status):
    article = make_article(status=status)

    response = editor_client.get(article.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert DESK in html
    assert f'data-desk-status="{status}"' in html
    assert f"Status: {Article.Status(status).label}" in html


def test_the_banner_says_recorded_reasons_in_words(editor_client, client):
    waiting = make_article(
        status=Article.Status.NEEDS_TRANSCRIPT,
        status_code=Article.Reason.RETRY_LATER,
        status_reason="feed: HTTP 503 from cdn.example.org",
    )
    html = editor_client.get(waiting.get_absolute_url()).content.decode()
    assert "Fetching its transcript failed for now; it will be tried again." in html
    assert "feed: HTTP 503 from cdn.example.org" in html  # the detail, as recorded

    hidden = make_article()
    articles_services.articles_unpublish(article_ids=[hidden.pk])
    html = editor_client.get(f"/fr/articles/{hidden.slug}/").content.decode()
    assert "Statut\u00a0: Masqué" in html
    assert "Un éditeur l’a dépublié." in html


def test_the_banner_says_show_notes_and_grounding_shortfalls(editor_client):
    article = make_article(status=Article.Status.DIGESTED, score=8.0)
    Digest.objects.filter(article=article).update(from_show_notes=True, grounding=0.5)
    digests_services.article_apply_publish_rule(article=article)

    html = editor_client.get(article.get_absolute_url()).content.decode()

    assert "Its digest was written from the show notes, not from a transcript." in html
    assert (
        "Only 50% of its key points have a quote found in the transcript; "
        "the publish rule asks for 80%." in html
    )
    assert "Its score" not in html


def test_editor_on_a_published_article_can_send_it_back_but_not_publish_it(editor_client):
    article = make_article(title="Already out")

    html = editor_client.get(article.get_absolute_url()).content.decode()

    assert "Status: Published" in html and "Readers see it." in html
    assert "Only editors see this page." not in html
    assert desk_actions(html) == [
        f"/articles/{article.slug}/desk/send-back/",
        f"/articles/{article.slug}/desk/regenerate/",
    ]


def test_no_regenerate_button_without_a_transcript(editor_client, review_article):
    Transcript.objects.filter(article=review_article).delete()

    html = editor_client.get(review_article.get_absolute_url()).content.decode()

    assert not any(url.endswith("/regenerate/") for url in desk_actions(html))


# --- What readers get ---------------------------------------------------------------------


@pytest.mark.parametrize("status", NOT_PUBLISHED)
def test_readers_get_a_404_for_an_unpublished_article(
    client, reader, staff_without_permission, status
):
    article = make_article(status=status)
    url = article.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(url).status_code == 404
    client.force_login(staff_without_permission)
    assert client.get(url).status_code == 404


def test_readers_never_see_the_desk_on_a_published_article(
    client, reader, staff_without_permission
):
    article = make_article()
    for user in (None, reader, staff_without_permission):
        if user is not None:
            client.force_login(user)
        html = client.get(article.get_absolute_url()).content.decode()
        assert DESK not in html and "/desk/" not in html


def test_a_scheduled_article_is_a_404_for_readers_and_says_when_to_editors(
    client, editor_client, editor
):
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(published_at=timezone.now() + timedelta(days=2))
    assert Client().get(article.get_absolute_url()).status_code == 404

    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert "It is published, and readers see it from" in html
    assert "Only editors see this page." in html


# --- The buttons --------------------------------------------------------------------------


def test_publish_publishes_and_comes_back_with_a_message(editor_client, review_article):
    response = editor_client.post(action_url(review_article, "publish"), follow=True)

    assert response.redirect_chain == [(review_article.get_absolute_url(), 302)]
    review_article.refresh_from_db()
    assert (review_article.status, review_article.status_reason) == ("published", "")
    html = response.content.decode()
    assert "Published: readers see it now." in html
    assert "Status: Published" in html
    # Readers see it at once.
    assert Client().get(review_article.get_absolute_url()).status_code == 200


def test_send_back_takes_it_off_the_site(editor_client):
    article = make_article(title="Out too soon")
    reader = Client()
    assert reader.get(article.get_absolute_url()).status_code == 200  # now in the cache

    response = editor_client.post(action_url(article, "send_back"), follow=True)

    article.refresh_from_db()
    assert (article.status, article.status_code) == ("review", "sent_back_by_editor")
    html = response.content.decode()
    assert "Sent back to review: readers no longer see it." in html
    assert "Status: In review" in html
    assert "An editor sent it back to review." in html
    # The page the cache held is gone with it, and so is the article from Today.
    assert reader.get(article.get_absolute_url()).status_code == 404
    assert "Out too soon" not in reader.get("/").content.decode()


def test_regenerate_writes_the_digests_again(editor_client, review_article, monkeypatch):
    # In-process tasks whatever the run: with REDIS_URL set, no worker is listening here.
    from newsroom.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    monkeypatch.setattr(app.conf, "task_eager_propagates", True)
    before = {d.language: d.version for d in review_article.digests.all()}
    assert set(before.values()) == {"test"}

    response = editor_client.post(action_url(review_article, "regenerate"), follow=True)

    assert response.status_code == 200
    assert "Digests queued for regeneration." in response.content.decode()
    # Tasks run in-process here: the extractive summariser has written the article's
    # own language again (it writes no other).
    after = {d.language: d.version for d in review_article.digests.all()}
    assert after["en"].startswith("extractive")


def test_regenerate_without_a_transcript_says_so(editor_client, review_article, monkeypatch):
    Transcript.objects.filter(article=review_article).delete()
    queued = []
    monkeypatch.setattr("digests.tasks.make_digests.delay", lambda *a, **k: queued.append(a))

    response = editor_client.post(action_url(review_article, "regenerate"), follow=True)

    assert "This article has no transcript to write a digest from." in response.content.decode()
    assert queued == []


def test_the_french_buttons_come_back_to_the_french_page(editor_client, review_article):
    response = editor_client.post(f"/fr/articles/{review_article.slug}/desk/publish/", follow=True)

    assert response.redirect_chain == [(f"/fr/articles/{review_article.slug}/", 302)]
    assert "Publié\u00a0: les lecteurs le voient dès maintenant." in response.content.decode()


ACTIONS = ["publish", "send_back", "regenerate"]


@pytest.mark.parametrize("action", ACTIONS)
def test_the_buttons_refuse_anyone_but_an_editor(
    client,
    reader,
    staff_without_permission,
    django_user_model,
    review_article,
    action,
    monkeypatch,
):
    queued = []
    monkeypatch.setattr("digests.tasks.make_digests.delay", lambda *a, **k: queued.append(a))
    # Allowed to change articles, but not staff: no desk either.
    not_staff = django_user_model.objects.create_user("changer", "c@example.org", "x-Pa55-word")
    not_staff.user_permissions.add(
        Permission.objects.get(
            codename="change_article", content_type=ContentType.objects.get_for_model(Article)
        )
    )
    url = action_url(review_article, action)

    assert client.post(url).status_code == 403
    for user in (reader, staff_without_permission, not_staff):
        client.force_login(user)
        assert client.post(url).status_code == 403
    review_article.refresh_from_db()
    assert review_article.status == Article.Status.REVIEW
    assert queued == []


@pytest.mark.parametrize("action", ACTIONS)
def test_the_buttons_need_the_csrf_token(editor, review_article, action, monkeypatch):
    queued = []
    monkeypatch.setattr("digests.tasks.make_digests.delay", lambda *a, **k: queued.append(a))
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = action_url(review_article, action)

    assert client.post(url).status_code == 403
    assert client.post(url, {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    review_article.refresh_from_db()
    assert review_article.status == Article.Status.REVIEW
    assert queued == []

    # The control: the token from the page itself goes through.
    token = csrf_token_of(client.get(review_article.get_absolute_url()).content.decode())
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302


@pytest.mark.parametrize("action", ACTIONS)
def test_the_buttons_are_post_only(editor_client, review_article, action):
    assert editor_client.get(action_url(review_article, action)).status_code == 405


def test_a_button_for_an_unknown_article_is_a_404(editor_client):
    response = editor_client.post(
        reverse("article_desk_publish", args=["no-such-article"]), follow=False
    )
    assert response.status_code == 404


# --- The page cache -----------------------------------------------------------------------


def test_staff_pages_are_never_served_from_the_cache_nor_stored_in_it(
    client, editor, staff_without_permission
):
    article = make_article(title="Cached for readers")
    url = article.get_absolute_url()
    anonymous = Client()
    first = anonymous.get(url)
    assert first.status_code == 200 and first.has_header("ETag")  # stored

    editor_page = Client()
    editor_page.force_login(editor)
    response = editor_page.get(url)
    assert DESK in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    # Staff without the permission get a full render too (no desk, nothing stored).
    client.force_login(staff_without_permission)
    assert DESK not in client.get(url).content.decode()

    # Readers keep the anonymous page, with no trace of the desk.
    again = anonymous.get(url).content.decode()
    assert DESK not in again and "/desk/" not in again


def test_publishing_from_the_desk_replaces_the_cached_404_and_lists(editor_client, review_article):
    reader = Client()
    assert reader.get(review_article.get_absolute_url()).status_code == 404
    assert review_article.title not in reader.get("/").content.decode()  # Today, stored

    editor_client.post(action_url(review_article, "publish"))

    assert reader.get(review_article.get_absolute_url()).status_code == 200
    assert review_article.title in reader.get("/").content.decode()


# --- The admin leads here -----------------------------------------------------------------


def test_view_on_site_in_the_admin_leads_to_a_working_page(editor_client, review_article):
    change = editor_client.get(reverse("admin:articles_article_change", args=[review_article.pk]))
    link = re.search(r'href="(/admin/r/\d+/\d+/)"', change.content.decode()).group(1)

    response = editor_client.get(link, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(review_article.get_absolute_url())
    assert DESK in response.content.decode()


def test_the_admin_can_send_articles_back_to_review(editor_client):
    article = make_article()

    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "send_back", "_selected_action": [article.pk], "index": 0},
        follow=True,
    )

    assert "1 article sent back to review." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_editors_download_the_transcript_of_an_unpublished_article(
    editor_client, client, review_article
):
    url = reverse("article_transcript_vtt", args=[review_article.slug])

    response = editor_client.get(url)

    assert response.status_code == 200
    assert response.content.startswith(b"WEBVTT")
    assert "no-store" in response["Cache-Control"]
    assert Client().get(url).status_code == 404


def test_old_admin_addresses_of_moved_models_redirect(client):
    # Bookmarks from before issue 18 (models moved out of the articles app).
    response = client.get("/admin/articles/source/3/change/?_changelist_filters=x")
    assert response.status_code == 301
    assert response["Location"] == "/admin/ingestion/source/3/change/?_changelist_filters=x"
    assert client.get("/admin/articles/digest/")["Location"] == "/admin/digests/digest/"
