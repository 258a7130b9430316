"""Reading queries and turning text into terms: pure functions, no database."""

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import fold, stem, stems, words
from search.query import MAX_ATOMS, Atom, parse


def test_words_are_stemmed_per_language_after_folding_accents():
    assert stem("running", "en") == stem("runs", "en") == "run"
    assert stem("sécurité", "fr") == stem("securite", "fr") == stem("Sécurités", "fr")
    assert stems("Les développeurs", "fr") == stems("les developpeur", "fr")
    assert fold("Éléphant ÇA") == "elephant ca"


def test_words_are_cut_as_fts5_cuts_them():
    assert words("e-mail, don't; C++ 3.14 l'été") == [
        "e",
        "mail",
        "don",
        "t",
        "C",
        "3",
        "14",
        "l",
        "été",
    ]


def test_plain_words_are_all_required():
    query = parse("rust  compiler")
    assert query.groups == ((Atom(("rust",)),), (Atom(("compiler",)),))
    assert query.websearch_text() == '"rust" "compiler"'


def test_quotes_make_a_phrase_and_an_unclosed_quote_runs_to_the_end():
    assert parse('"large language model" ai').groups == (
        (Atom(("large", "language", "model")),),
        (Atom(("ai",)),),
    )
    assert parse('"open source').groups == ((Atom(("open", "source")),),)


def test_minus_excludes_a_word_or_a_phrase():
    query = parse('bitcoin -etf -"spot price"')
    assert query.groups == ((Atom(("bitcoin",)),),)
    assert query.excluded == (Atom(("etf",)), Atom(("spot", "price")))


def test_or_joins_two_alternatives():
    query = parse("rust OR go compiler")
    assert query.groups == ((Atom(("rust",)), Atom(("go",))), (Atom(("compiler",)),))
    assert query.websearch_text() == '"rust" or "go" "compiler"'


@pytest.mark.parametrize(
    "text", ["", "   ", '"', '""', "-", "--", "or", "OR or", "- or -", "!!! ??? &&", "-etf"]
)
def test_nothing_to_search_for(text):
    assert not parse(text)


def test_hyphenated_words_are_phrases():
    assert parse("e-mail").groups == ((Atom(("e", "mail")),),)


def test_long_queries_are_cut_not_refused():
    query = parse("word " * 2000)
    assert len(query.groups) == MAX_ATOMS


def test_sql_is_just_words():
    query = parse("'; DROP TABLE articles_article; --")
    assert query.websearch_text() == '"DROP" "TABLE" "articles article"'


def test_fts5_expression_accepts_the_stems_of_either_language():
    query = parse('running "new model" -docker')
    assert query.fts5_expression() == (
        '(("run" OR "running")) AND ("new model") NOT (("docker" OR "dock"))'
    )


def test_fts5_fallback_forgives_a_typo_after_the_first_letters():
    assert parse("kubernets or sécurité").fts5_expression(fallback=True) == (
        '("kube" * OR "secu" *)'
    )


_FTS = sqlite3.connect(":memory:")
_FTS.execute("CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize='unicode61 remove_diacritics 2')")
_FTS.execute("INSERT INTO t VALUES ('run fast', 'securit')")


@settings(max_examples=400, deadline=None)
@given(
    st.text(max_size=300)
    | st.lists(
        st.sampled_from(
            [
                '"',
                "-",
                "or",
                "OR",
                " ",
                "a",
                "é",
                "*",
                "(",
                ")",
                ":",
                "^",
                "NEAR",
                "AND",
                "NOT",
                "'",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_any_text_parses_to_a_valid_fts5_expression(text):
    query = parse(text)
    if not query:
        return
    for expression in (query.fts5_expression(), query.fts5_expression(fallback=True)):
        _FTS.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    assert "\x00" not in query.websearch_text()
