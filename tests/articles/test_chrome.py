"""The page frame, in both languages: every section in the navigation (wrapping on
phones, never scrolled out of sight), the theme toggle named after what it does, the
favicon, card summaries cut between words, labelled search filters and distinct search
landmarks, and the 404 and 500 pages with DEBUG off (the 500 without a database)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from articles.templatetags.article_tags import clip
from tests.articles.conftest import assert_no_inline_code
from tests.factories import make_article

STATIC = Path(settings.BASE_DIR) / "static"
CSS = (STATIC / "css" / "site.css").read_text()
JS = (STATIC / "js" / "site.js").read_text()

SECTIONS = {
    "en": ["Today", "Topics", "Videos", "Crypto", "Archives", "Favorites"],
    "fr": ["Aujourd’hui", "Thèmes", "Vidéos", "Crypto", "Archives", "Favoris"],
}


# --- the navigation -------------------------------------------------------------------------


def nav_items(html: str) -> list[str]:
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", nav)]


@pytest.mark.django_db
def test_the_navigation_lists_every_section(client, lang):
    code, prefix = lang
    html = client.get(f"{prefix}/").content.decode()
    assert nav_items(html) == SECTIONS[code]


def test_the_navigation_wraps_rather_than_scrolls():
    rule = re.search(r"\.site-nav ul \{(.*?)\}", CSS, re.S).group(1)
    assert "flex-wrap: wrap" in rule
    assert "overflow-x" not in rule
    link = re.search(r"\.site-nav a \{(.*?)\}", CSS, re.S).group(1)
    assert "white-space: nowrap" in link  # an item wraps whole, never in the middle


# --- the theme toggle ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "dark", "light"),
    [("", "Dark mode", "Light mode"), ("/fr", "Mode sombre", "Mode clair")],
)
def test_the_theme_toggle_carries_both_names_in_the_pages_language(client, prefix, dark, light):
    html = client.get(f"{prefix}/").content.decode()
    button = re.search(r"<button[^>]*data-theme-toggle[^>]*>.*?</button>", html, re.S).group(0)
    assert f'data-label-dark="{dark}"' in button
    assert f'data-label-light="{light}"' in button
    # Without JavaScript it stays hidden; with it, the label starts as the light page's.
    assert " hidden>" in button and f"<span data-theme-label>{dark}</span>" in button
    assert "aria-pressed" not in button  # a button that renames itself is not a toggle too


def test_the_script_names_the_action_and_remembers_the_choice():
    assert "data-label-light" in JS and "data-label-dark" in JS
    assert "save(THEME_KEY, next)" in JS and "load(THEME_KEY)" in JS
    assert ".textContent =" in JS


# --- the favicon ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_favicon_is_linked_and_favicon_ico_leads_to_it(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    for method in (client.get, client.head):
        response = method("/favicon.ico")
        assert response.status_code == 302
        assert response["Location"] == "/static/img/favicon.svg"
        assert "max-age=86400" in response["Cache-Control"]
    svg = (STATIC / "img" / "favicon.svg").read_text()
    assert svg.lstrip().startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert client.post("/favicon.ico").status_code == 405


# --- summaries cut between words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("Phone chips can now run large models locally", 20, "Phone chips can now…"),
        ("Phone chips can now run large models locally", 14, "Phone chips…"),
        ("Phone chips can now run", 23, "Phone chips can now run"),
        ("Short", 260, "Short"),
        ("Supercalifragilistic words", 10, "Supercali…"),
        ("Prices fell, then rose again", 14, "Prices fell…"),
        ("Les puces des téléphones font désormais tourner", 25, "Les puces des téléphones…"),
        ("l’accès aux puces reste décisif", 12, "l’accès aux…"),
        # French sets a no-break space before ; : ! ? — the mark never dangles alone.
        ("Les leaders\u00a0; la suite arrive", 16, "Les leaders…"),
        ("Une question\u00a0? Oui", 15, "Une question…"),
        ("", 10, ""),
    ],
)
def test_clip_cuts_at_a_word_boundary(text, length, expected):
    assert clip(text, length) == expected
    assert len(clip(text, length)) <= length


def test_clip_never_cuts_inside_a_word():
    text = ("Phone chips can now run models that needed a data centre two years ago, " * 8).strip()
    words = set(text.replace(",", "").split())
    for length in range(len("Phone") + 2, len(text)):
        clipped = clip(text, length)
        assert len(clipped) <= length
        assert clipped.endswith("…")
        assert clipped[:-1].split()[-1].rstrip(",") in words, (length, clipped)


LONG_EN = (
    "Phone chips can now run language models that needed a rack of servers two years "
    "ago, and the makers of those chips say the next generation will double that again "
    "while drawing less power than a single camera module does today, which changes "
    "what apps can promise"
)
LONG_FR = (
    "Les puces des téléphones font désormais tourner des modèles de langage qui "
    "demandaient une baie de serveurs il y a deux ans, et leurs fabricants promettent "
    "que la prochaine génération doublera encore la mise en consommant moins qu’un "
    "module photo, ce qui change ce que les applications peuvent promettre"
)


@pytest.mark.django_db
def test_card_summaries_end_on_a_word_boundary(client):
    article = make_article(title="Chips everywhere", tldr=LONG_EN, digest_languages=("en", "fr"))
    french = article.digests.get(language="fr")
    french.tldr = LONG_FR
    french.save()
    for prefix, long_text in (("", LONG_EN), ("/fr", LONG_FR)):
        # (A search with words shows the matching passage instead of the summary.)
        for page in (f"{prefix}/", f"{prefix}/search/?topic=ai", f"{prefix}/topics/ai/"):
            html = client.get(page).content.decode()
            summaries = re.findall(r'<p class="tldr"[^>]*>(.*?)</p>', html, re.S)
            assert summaries, page
            for summary in summaries:
                summary = summary.replace("&#x27;", "'").replace("&rsquo;", "’")
                assert summary.endswith("…"), (page, summary)
                kept = summary[:-1]
                assert long_text.startswith(kept), (page, summary)
                # The next character of the full text starts a new word.
                assert long_text[len(kept)] in " ,", (page, summary)


# --- search: labelled filters, distinct landmarks ------------------------------------------------


class _Controls(HTMLParser):
    """Form controls and what names them: <label for>, aria-label(ledby); and the
    search landmarks with their names."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.labels: set[str] = set()
        self.search_landmarks: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
        }:
            self.controls.append(attrs)
        if attrs.get("role") == "search":
            self.search_landmarks.append(attrs.get("aria-label") or attrs.get("aria-labelledby"))

    def unlabelled(self) -> list[dict]:
        return [
            c
            for c in self.controls
            if c.get("id") not in self.labels
            and not c.get("aria-label")
            and not c.get("aria-labelledby")
        ]


def controls_of(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    return parser


@pytest.mark.django_db
def test_search_date_inputs_have_labels_of_their_own(client, lang):
    code, prefix = lang
    make_article(title="Chips everywhere")
    for query in ("", "?q=chips", "?q=chips&published_after=2024-01-01&published_before=bad"):
        html = client.get(f"{prefix}/search/{query}").content.decode()
        found = controls_of(html)
        names = {c.get("name") for c in found.controls}
        assert {"published_after", "published_before"} <= names
        assert found.unlabelled() == [], found.unlabelled()
    label = {"en": ("from", "to"), "fr": ("du", "au")}[code]
    assert f'<label for="id_published_0">{label[0]}</label>' in html
    assert f'<label for="id_published_1">{label[1]}</label>' in html
    # The values typed are kept, and a bad one is marked.
    assert 'value="2024-01-01"' in html and 'aria-invalid="true"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/search/?q=chips", "/fr/search/?q=chips", "/no-such-page/"])
def test_each_search_landmark_has_a_distinct_name(client, path):
    html = client.get(path).content.decode()
    names = controls_of(html).search_landmarks
    assert len(names) == 2
    assert len(set(names)) == 2, names


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/topics/", "/archives/", "/accounts/login/"])
def test_every_control_on_reader_pages_is_labelled(client, path):
    make_article(title="Chips everywhere")
    assert controls_of(client.get(path).content.decode()).unlabelled() == []


# --- error pages with DEBUG off ------------------------------------------------------------------


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.articles.error_urls"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/no-such-page/", "en", "This page does not exist"),
        ("/fr/no-such-page/", "fr", "Cette page n’existe pas"),
        ("/articles/no-such-article/", "en", "This page does not exist"),
    ],
)
def test_404_with_debug_off_is_the_sites_page(production, client, path, lang, heading):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html and heading in html
    assert '<nav class="site-nav"' in html and "/static/css/site.css" in html
    assert "Traceback" not in html and "urlpatterns" not in html
    assert_no_inline_code(response.content)


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/boom/", "en", "Something went wrong on our side"),
        ("/fr/boom/", "fr", "Un problème est survenu"),
        ("/database-down/", "en", "Something went wrong on our side"),
    ],
)
def test_500_with_debug_off_needs_no_database(production, path, lang, heading):
    # No django_db mark: any query, by the view or by the error page, raises. The page
    # must still come out, in the site's style and the reader's language.
    client = Client(raise_request_exception=False)
    response = client.get(path)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html and heading in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<link rel="icon" href="/static/img/favicon.svg"' in html
    assert "something broke" not in html and "Traceback" not in html
    assert_no_inline_code(response.content)


def test_500_template_stays_standalone():
    template = (Path(settings.BASE_DIR) / "templates" / "500.html").read_text()
    # Nothing that needs a request, a context processor or the database.
    assert "{% extends" not in template and "{% include" not in template
    assert "{% url" not in template and "brand_name" not in template
    assert "user" not in template and "nav_topics" not in template
