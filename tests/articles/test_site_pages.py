"""Reader pages in both languages: navigation, lists, empty states and bad input."""

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.views.defaults import server_error

from articles.models import Article
from ingestion.models import Source
from tests.articles.conftest import assert_no_inline_code
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


def get(client, prefix, path, **params):
    return client.get(prefix + path, params)


# --- every page, both languages --------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/topics/",
        "/topics/ai/",
        "/topics/crypto/",
        "/videos/",
        "/archives/",
        "/archives/2024/",
        "/archives/2024/3/",
        "/archives/2024/03/",
        "/archives/2024/3/15/",
        "/articles/open-models-close-the-gap/",
    ],
)
def test_every_page_renders_in_both_languages(client, lang, article, past_day, path):
    code, prefix = lang
    make_article(topic="crypto", published_at=past_day)
    response = get(client, prefix, path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    assert 'rel="stylesheet"' in html and "/static/css/site.css" in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert html.count("<h1") == 1
    assert_no_inline_code(response.content)


def test_navigation_has_every_section(client, article):
    html = client.get("/").content.decode()
    for url in ["/", "/topics/", "/videos/", "/topics/crypto/", "/archives/", "/favorites/"]:
        assert f'href="{url}"' in html
    assert f'action="{reverse("search")}"' in html and 'name="q"' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'name="next" value="/"' in html
    assert 'href="/accounts/login/?next=/"' in html
    assert 'aria-current="page">Today<' in html


def test_navigation_in_french_keeps_french_urls(client, article):
    html = client.get("/fr/").content.decode()
    for url in ["/fr/", "/fr/topics/", "/fr/videos/", "/fr/topics/crypto/", "/fr/archives/"]:
        assert f'href="{url}"' in html
    assert "Aujourd’hui" in html or "Aujourd'hui" in html
    assert "Vidéos" in html and "Archives" in html and "Favoris" in html


def test_topics_flagged_for_navigation_appear_in_it(client, article):
    from topics.models import Topic

    Topic.objects.filter(slug="security").update(in_nav=True)
    html = client.get("/").content.decode()
    assert 'href="/topics/security/"' in html
    assert 'href="/topics/ai/"' not in html.split("</nav>")[0]


def test_signed_in_reader_gets_a_sign_out_form(client, django_user_model, article):
    client.force_login(django_user_model.objects.create_user("r", password="x-long-pass-1"))
    html = client.get("/").content.decode()
    assert f'action="{reverse("logout")}" method="post"' in html
    assert "Sign out" in html
    assert "/accounts/login/" not in html


def switch_language(client, path, language):
    """Submit the page's own language form, as a reader pressing EN or FR does."""
    html = client.get(path).content.decode()
    forms = re.findall(r'<form class="language-form".*?</form>', html, re.S)
    form = next(f for f in forms if f'name="language" value="{language}"' in f)
    next_url = re.search(r'name="next" value="([^"]*)"', form).group(1).replace("&amp;", "&")
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/articles/open-models-close-the-gap/", "fr", "/fr/articles/open-models-close-the-gap/"),
        ("/fr/articles/open-models-close-the-gap/", "en", "/articles/open-models-close-the-gap/"),
        ("/topics/ai/?page=1", "fr", "/fr/topics/ai/?page=1"),
        ("/fr/archives/2024/3/", "en", "/archives/2024/3/"),
        ("/fr/", "en", "/"),
        ("/", "fr", "/fr/"),
    ],
)
def test_language_switch_keeps_the_reader_on_the_same_page(
    client, article, past_day, path, language, expected
):
    make_article(published_at=past_day)
    response = switch_language(client, path, language)
    assert response.status_code == 302
    assert response.url == expected
    page = client.get(response.url)
    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.content.decode()


def test_hreflang_alternates_point_at_both_languages(client, article):
    html = client.get("/fr/topics/").content.decode()
    assert 'hreflang="en" href="http://testserver/topics/"' in html
    assert 'hreflang="fr" href="http://testserver/fr/topics/"' in html


# --- Today -------------------------------------------------------------------------


def test_today_lists_todays_digests_best_score_first(client):
    now = timezone.now()
    make_article(title="Middling", score=5.0, published_at=now)
    make_article(title="Best", score=9.1, published_at=now)
    make_article(title="Unscored", score=None, published_at=now)
    make_article(title="Draft", score=9.9, status=Article.Status.REVIEW, published_at=now)
    make_article(title="Tomorrow", score=9.9, published_at=now + timedelta(hours=30))
    html = client.get("/").content.decode()
    assert html.index("Best") < html.index("Middling") < html.index("Unscored")
    assert "Draft" not in html and "Tomorrow" not in html
    assert "Nothing has been published yet today" not in html


def test_today_falls_back_to_the_latest_day_and_says_which(client, lang, past_day):
    code, prefix = lang
    make_article(title="Older news", published_at=past_day - timedelta(days=2))
    make_article(title="Last news", published_at=past_day)
    html = get(client, prefix, "/").content.decode()
    # The latest day leads; the note says which day it is, above the content, never
    # instead of it; the earlier day of the same week follows under its own heading.
    lead = html.index('class="front-lead"')
    assert lead < html.index("Last news") < html.index("Older news")
    if code == "en":
        note = "Nothing has been published yet today: the latest digests, from"
        assert note in html and "March 15, 2024" in html
    else:
        assert "Rien n’a encore été publié aujourd’hui" in html and "15 mars 2024" in html
    assert html.index("aujourd" if code == "fr" else "Nothing has") < lead


def test_today_empty_state(client, lang):
    code, prefix = lang
    response = get(client, prefix, "/")
    assert response.status_code == 200
    message = "No digest has been published yet" if code == "en" else "Aucun résumé"
    assert message in response.content.decode()


def test_cards_show_what_readers_scan_for(client, lang):
    code, prefix = lang
    source = make_source(name="Silicon Weekly")
    make_article(
        source=source,
        title="Chips and more chips",
        topic="hardware",
        score=8.4,
        duration_seconds=4739,
        tldr="First line of the summary.\nSecond line that cards leave out.",
    )
    # The day's best digest leads the page with its whole TL;DR; the others are cards.
    make_article(title="The lead story", score=9.6)
    html = get(client, prefix, "/").content.decode()
    assert html.index("The lead story") < html.index("Chips and more chips")
    assert ("8.4" if code == "en" else "8,4") in html
    assert ("Hardware" if code == "en" else "Matériel") in html
    assert "Silicon Weekly" in html
    assert "1:18:59" in html
    assert "First line of the summary." in html
    assert "Second line that cards leave out." not in html


# --- Topics, Videos, Crypto ----------------------------------------------------------


def test_topic_list_shows_every_topic_with_its_count(client, lang):
    code, prefix = lang
    make_article(topic="crypto")
    make_article(topic="crypto")
    make_article(topic="crypto", status=Article.Status.REVIEW)
    html = get(client, prefix, "/topics/").content.decode()
    assert ("2 digests" if code == "en" else "2 résumés") in html
    assert ("0 digests" if code == "en" else "0 résumé") in html
    assert ("Security" if code == "en" else "Sécurité") in html


def test_topic_page_lists_only_its_published_articles(client):
    make_article(title="About bitcoin", topic="crypto")
    make_article(title="About models", topic="ai")
    html = client.get("/topics/crypto/").content.decode()
    assert "About bitcoin" in html and "About models" not in html
    assert 'href="/topics/crypto/feed.rss"' in html


def test_topic_page_empty_state(client, lang):
    code, prefix = lang
    response = get(client, prefix, "/topics/science/")
    assert response.status_code == 200
    assert ("No digest about Science" if code == "en" else "Aucun résumé") in (
        response.content.decode()
    )


def test_videos_lists_video_sources_and_video_articles_only(client):
    channel = make_source(kind=Source.Kind.YOUTUBE)
    make_article(source=channel, title="A channel video", video_id="dQw4w9WgXcQ")
    make_article(title="A file video", video_url="https://cdn.example.org/talk.mp4")
    make_article(title="Just audio")
    # A podcast episode that names its YouTube video: a video, as its page says.
    make_article(title="A podcast's video", video_id="aqz-KE-bpKQ")
    html = client.get("/videos/").content.decode()
    assert "A channel video" in html and "A file video" in html
    assert "A podcast's video" in html.replace("&#x27;", "'")
    assert "Just audio" not in html
    # The search filter agrees, both ways.
    video = client.get("/search/", {"kind": "video"}).context["articles"]
    assert {a.title for a in video} == {"A channel video", "A file video", "A podcast's video"}
    audio = client.get("/search/", {"kind": "audio"}).context["articles"]
    assert [a.title for a in audio] == ["Just audio"]


def test_videos_empty_state(client, lang):
    code, prefix = lang
    html = get(client, prefix, "/videos/").content.decode()
    assert ("No video" if code == "en" else "Aucune vidéo") in html


# --- Archives ---------------------------------------------------------------------------


def test_archives_list_periods_and_articles(client, past_day):
    make_article(title="March story", published_at=past_day)
    make_article(title="April story", published_at=past_day + timedelta(days=20))
    index = client.get("/archives/").content.decode()
    assert 'href="/archives/2024/"' in index and "April story" in index
    year = client.get("/archives/2024/").content.decode()
    assert 'href="/archives/2024/3/"' in year and 'href="/archives/2024/4/"' in year
    assert "March story" in year and "April story" in year
    month = client.get("/archives/2024/3/").content.decode()
    assert "March story" in month and "April story" not in month
    assert 'href="/archives/2024/3/15/"' in month
    assert 'href="/archives/2024/4/"' in month  # next month that has articles
    day = client.get("/archives/2024/3/15/").content.decode()
    assert "March story" in day


def test_archive_month_in_french_names_the_month(client, past_day):
    make_article(published_at=past_day)
    html = client.get("/fr/archives/2024/3/").content.decode()
    assert "Mars 2024" in html


def test_archive_index_empty_state(client, lang):
    code, prefix = lang
    response = get(client, prefix, "/archives/")
    assert response.status_code == 200
    assert ("Nothing has been published yet" if code == "en" else "Rien") in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "path",
    [
        "/archives/2023/",  # a year with nothing in it
        "/archives/2024/2/",
        "/archives/2024/3/16/",
        "/archives/0/",
        "/archives/0/1/",
        "/archives/2024/13/",
        "/archives/2024/0/",
        "/archives/2024/3/32/",
        "/archives/2024/2/30/",
        "/archives/99999/",
        "/archives/9999/12/",
        "/archives/9999/12/31/",
        "/archives/2024/99999999999999999999/",
        "/archives/abc/",
    ],
)
def test_archive_empty_or_impossible_periods_are_404(client, lang, past_day, path):
    _, prefix = lang
    make_article(published_at=past_day)
    assert get(client, prefix, path).status_code == 404


def test_archives_hide_drafts_and_future_articles(client, past_day):
    make_article(published_at=past_day, status=Article.Status.REVIEW)
    make_article(published_at=timezone.now() + timedelta(days=400))
    assert client.get("/archives/2024/").status_code == 404
    future = timezone.now() + timedelta(days=400)
    assert client.get(f"/archives/{future.year}/").status_code == 404


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/videos/", "/topics/ai/", "/archives/", "/archives/2024/"])
@pytest.mark.parametrize("page", ["abc", "999999", "0", "-1", "1.5", "9" * 40])
def test_bad_page_numbers_are_404_never_500(client, past_day, path, page):
    make_article(published_at=past_day, video_url="https://cdn.example.org/v.mp4")
    assert client.get(path, {"page": page}).status_code == 404


@pytest.mark.parametrize("page", ["abc", "999999", "last", "9" * 40])
def test_the_front_page_has_no_pages_and_ignores_a_page_number(client, past_day, page):
    make_article(title="Still here", published_at=past_day)
    response = client.get("/", {"page": page})
    assert response.status_code == 200
    assert "Still here" in response.content.decode()


@pytest.mark.parametrize("path", ["/videos/", "/topics/ai/", "/archives/", "/archives/2024/"])
def test_page_last_is_the_last_page(client, past_day, path):
    for i in range(23):
        make_article(
            published_at=past_day + timedelta(minutes=i), video_url="https://cdn.example.org/v.mp4"
        )
    response = client.get(path, {"page": "last"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert len(response.context["articles"]) == 3
    assert 'rel="prev" href="/' in response.content.decode()


def test_pagination_links_keep_other_parameters(client, past_day):
    for i in range(21):
        make_article(published_at=past_day + timedelta(minutes=i))
    html = client.get("/archives/2024/", {"page": "1"}).content.decode()
    assert 'rel="next" href="?page=2"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/topics/no-such-topic/",
        "/topics/no-such-topic/feed.rss",
        "/articles/no-such-article/",
        "/articles/no-such-article/transcript.vtt",
        "/no-such-page/",
        "/fr/no-such-page/",
    ],
)
def test_unknown_things_are_404_in_the_sites_style(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "/static/css/site.css" in html and '<main id="main"' in html
    lang = "fr" if path.startswith("/fr/") else "en"
    assert ("This page does not exist" if lang == "en" else "Cette page n’existe pas") in html
    assert_no_inline_code(response.content)


def test_unpublished_articles_are_404(client):
    draft = make_article(status=Article.Status.REVIEW)
    future = make_article(published_at=timezone.now() + timedelta(days=1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(future.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("code", ["en", "fr"])
def test_500_page_is_standalone_and_in_the_sites_style(code):
    request = RequestFactory().get("/")
    with translation.override(code):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "/static/css/site.css" in html and f'lang="{code}"' in html
    expected = "Something went wrong" if code == "en" else "Un problème est survenu"
    assert expected in html
    assert_no_inline_code(response.content)


# The front page reads no parameter at all, so it never parses them: not listed here.
@pytest.mark.parametrize("path", ["/topics/ai/", "/archives/2024/", "/videos/"])
def test_too_many_query_parameters_is_a_400_in_the_sites_style(client, past_day, path):
    make_article(published_at=past_day)
    query = "&".join(f"p{i}=1" for i in range(1200))  # above DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "/static/css/site.css" in html and "This request could not be understood" in html
