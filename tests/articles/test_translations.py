"""The French catalogue is complete and the French pages carry no English interface text.

The catalogue is read by hand (no polib): entries are separated by blank lines, flags
sit in `#,` comments, and obsolete entries (`#~`) are not used by gettext at all.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_article

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"

KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')
CONTINUATION = re.compile(r'^(".*")\s*$')
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdfr]|%[sdfr]|\{[a-z0-9_]*\}")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def translations(self) -> dict[str, str]:
        return {k: v for k, v in self.fields.items() if k.startswith("msgstr")}


def _unquote(literal: str) -> str:
    # A .po string is a C string literal; Python's reading of it is the same for the
    # escapes gettext writes (\" \\ \n \t).
    return ast.literal_eval(literal)


def parse_po(text: str) -> list[Entry]:
    entries: list[Entry] = []
    current: Entry | None = None
    key = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            current, key = None, None
            continue
        if line.startswith("#~"):  # obsolete: gettext ignores it
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := KEYWORD.match(line):
            key = match.group(1)
            current.fields[key] = _unquote(match.group(2))
        elif (match := CONTINUATION.match(line)) and key:
            current.fields[key] += _unquote(match.group(1))
        else:
            raise AssertionError(f"{PO.name}:{number}: cannot read {raw!r}")
    return [entry for entry in entries if "msgid" in entry.fields]


ENTRIES = parse_po(PO.read_text(encoding="utf-8"))
MESSAGES = [entry for entry in ENTRIES if entry.msgid]


def test_the_catalogue_was_read():
    assert len(MESSAGES) > 300
    header = next(entry for entry in ENTRIES if not entry.msgid)
    assert "nplurals=2; plural=(n > 1);" in header.fields["msgstr"]
    assert "fuzzy" not in header.flags


def test_every_message_is_translated():
    empty = [
        f"line {entry.line}: {entry.msgid!r} ({name})"
        for entry in MESSAGES
        for name, value in entry.translations.items()
        if not value.strip()
    ]
    assert not empty, "untranslated:\n" + "\n".join(empty)


def test_no_message_is_fuzzy():
    # gettext skips fuzzy entries: the page would show the English text.
    fuzzy = [f"line {entry.line}: {entry.msgid!r}" for entry in MESSAGES if "fuzzy" in entry.flags]
    assert not fuzzy, "fuzzy:\n" + "\n".join(fuzzy)


def test_plural_messages_have_both_forms():
    for entry in MESSAGES:
        if "msgid_plural" in entry.fields:
            assert set(entry.translations) == {"msgstr[0]", "msgstr[1]"}, entry.msgid


def test_translations_keep_placeholders_and_tags():
    tag = re.compile(r"</?[a-z]+")
    for entry in MESSAGES:
        for name, value in entry.translations.items():
            source = entry.fields["msgid_plural"] if name == "msgstr[1]" else entry.msgid
            if "python-format" in entry.flags or "python-brace-format" in entry.flags:
                assert sorted(PLACEHOLDER.findall(value)) == sorted(PLACEHOLDER.findall(source)), (
                    f"line {entry.line}: {entry.msgid!r}"
                )
            assert sorted(tag.findall(value)) == sorted(tag.findall(source)), (
                f"line {entry.line}: {entry.msgid!r}"
            )


def test_french_punctuation_keeps_its_no_break_space():
    # French sets a space before : ; ? ! » and after «; a no-break one, or the mark
    # can wrap onto a line of its own.
    loose = re.compile(r" [:;?!»]|« ")
    bad = [
        f"line {entry.line}: {value!r}"
        for entry in MESSAGES
        for value in entry.translations.values()
        if loose.search(value)
    ]
    assert not bad, "use U+00A0:\n" + "\n".join(bad)


# --- the French pages --------------------------------------------------------------

# Interface strings in English that must not be left on a French page (matched as whole
# words, case-sensitively, in the text and in the attributes a reader or a screen reader
# is given).
ENGLISH = [
    "Sign in",
    "Sign up",
    "Sign out",
    "Search",
    "Favorites",
    "Password",
    "Username",
    "Filters",
    "Apply",
    "Clear filters",
    "Today",
    "Topics",
    "Dark mode",
    "Skip to content",
    "Remove",
    "Private feed",
    "Create an account",
    "Forgot your password",
    "digests",
]
ENGLISH_RE = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")
READABLE_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "value", "content"}


class _ReaderText(HTMLParser):
    """The words a reader sees or hears: text outside <script>/<style>, and the
    attributes in READABLE_ATTRIBUTES (but not hidden inputs' values, nor URLs)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style"}:
            self._skip += 1
        if tag == "input" and attrs.get("type") == "hidden":
            return
        if tag == "meta" and attrs.get("name") not in {"description"}:
            return
        for name in READABLE_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_left(html: str) -> list[str]:
    parser = _ReaderText()
    parser.feed(html)
    return sorted({match.group(0) for match in ENGLISH_RE.finditer("\n".join(parser.parts))})


@pytest.fixture
def french_articles(db):
    # Titles, summaries and sources are content, not interface: keep them free of the
    # listed words so that any match is the interface's.
    return [
        make_article(
            title=f"Modèles ouverts {n}",
            slug=f"modeles-ouverts-{n}",
            language="fr",
            digest_languages=("en", "fr"),
            tldr="Les modèles ouverts rattrapent leur retard.",
            tags=("ia",),
        )
        for n in range(2)
    ]


@pytest.fixture
def french_reader(db, django_user_model):
    return django_user_model.objects.create_user("lecteur", "lecteur@example.org", "x-Pa55-word")


def _french_page(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, path
    html = response.content.decode()
    assert '<html lang="fr">' in html, path
    return html


@pytest.mark.parametrize(
    "path",
    ["/fr/", "/fr/search/", "/fr/search/?q=x", "/fr/search/?q=ouverts", "/fr/accounts/login/"]
    + ["/fr/accounts/signup/", "/fr/accounts/signup/sent/", "/fr/accounts/password_reset/"],
)
def test_french_pages_have_no_english_interface_text(client, french_articles, path):
    assert english_left(_french_page(client, path)) == []


def test_french_search_results_are_french(client, french_articles):
    html = _french_page(client, "/fr/search/?q=ouverts")
    assert "2 résumés correspondent à «\u00a0ouverts\u00a0»." in html
    assert "<mark>" in html


def test_french_favorites_have_no_english_interface_text(client, french_articles, french_reader):
    from favorites.models import Favorite

    for article in french_articles:
        Favorite.objects.create(user=french_reader, article=article)
    client.force_login(french_reader, backend="django.contrib.auth.backends.ModelBackend")
    html = _french_page(client, "/fr/favorites/")
    assert "Vos favoris" in html and "Retirer" in html
    assert english_left(html) == []


@pytest.mark.parametrize(
    "path", ["/fr/", "/fr/accounts/", "/fr/accounts/delete/", "/fr/accounts/password_change/"]
)
def test_french_account_pages_have_no_english_interface_text(client, french_reader, path):
    client.force_login(french_reader, backend="django.contrib.auth.backends.ModelBackend")
    html = _french_page(client, path)
    assert english_left(html) == []


def test_french_topics_and_tags_are_french(client, french_articles):
    from taggit.models import Tag

    from topics.models import TagLabel

    html = _french_page(client, "/fr/topics/")
    assert "Apprentissage automatique, modèles de langage" in html
    assert "Machine learning" not in html
    TagLabel.objects.create(tag=Tag.objects.get(name="ia"), name_fr="intelligence artificielle")
    html = _french_page(client, f"/fr/articles/{french_articles[0].slug}/")
    assert "#intelligence artificielle" in html


def test_the_check_finds_english(client, french_articles):
    # The same page in English trips the check: it is not vacuous.
    response = client.get("/accounts/login/")
    assert {"Sign in", "Password", "Username"} <= set(english_left(response.content.decode()))
