"""Searching articles: one entry point, one implementation per database.

    results = search_articles(Article.objects.published(), request.GET["q"])
    page = results[:20]
    add_snippets(page, request.GET["q"], language="fr")

`search_articles()` filters any Article queryset to its newest matches (a window of
`SEARCH_WINDOW`) and annotates each with `rank` (higher is better), ordered by it; a
query with nothing to search for gives an empty queryset. When nothing matches, a
fallback forgives misspellings (PostgreSQL: trigram similarity of titles; SQLite: the
words' first letters as prefixes). `add_snippets()` then gives each article of a
page `snippet`, safe HTML with the matched words in <mark>: it runs on the page only,
because building a snippet reads and re-parses the document's text, which costs too
much per match.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import (
    Cast,
    Coalesce,
    Greatest,
    Least,
    Lower,
    NullIf,
    StrIndex,
    Substr,
)
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.analysis import stem
from search.index import PG_CONFIGS
from search.models import SearchDocument, SearchIndexEntry
from search.query import ParsedQuery, parse

# Highlight markers: private-use characters, which index.py strips from indexed text,
# so that a snippet can be escaped as a whole and the markers then turned into <mark>.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}(.*?){STOP}", re.S)
SNIPPET_WORDS = 28
PLAIN_SNIPPET_CHARS = 220
# PostgreSQL's ts_headline parses the text it is given again for each article shown:
# of a transcript it is given this much, around the first place a query word appears
# (a snippet shows 28 words; parsing 6,000 characters cost 2 ms an article).
PG_HEADLINE_WINDOW = 1_500
FTS_COLUMNS = ["title", "summary_en", "summary_fr", "keywords", "body"]
# PostgreSQL checks a phrase in at most this many windows of the newest documents that
# have its words (each check reads a document's whole tsvector: 40 µs).
PHRASE_CHECKS = 2
PLANNER_METHODS = frozenset({"seqscan", "indexscan", "bitmapscan"})
# Three snippets per row (see _columns), for the rows of one page (a JSON array of ids).
FTS_SNIPPETS = (
    "SELECT rowid, "
    "snippet(articles_search_fts, %s, %s, %s, ' … ', %s), "
    "snippet(articles_search_fts, %s, %s, %s, ' … ', %s), "
    "snippet(articles_search_fts, %s, %s, %s, ' … ', %s) "
    "FROM articles_search_fts WHERE articles_search_fts MATCH %s "
    "AND rowid IN (SELECT value FROM json_each(%s))"
)


@dataclass(frozen=True, slots=True)
class Window:
    """What a backend found for a query: the ids of the newest matches (at most the
    window's size), whether more articles match (`more`), and whether, with phrases
    on PostgreSQL, older articles with the words were left unchecked (`unchecked`)."""

    ids: list[int]
    more: bool = False
    unchecked: bool = False


def search_articles(
    queryset: QuerySet, query: str | ParsedQuery, *, all_published: bool = False
) -> QuerySet:
    """`queryset` narrowed to its matches for `query`, with `rank`, best first.

    Relevance is ranked over a window, not over every match: the newest
    `SEARCH_WINDOW` matches (300 by default). A common word matches most of a large
    archive, and ranking all of it for each page would cost seconds (it did: see
    docs/performance.md); a news reader wants the best of the recent coverage, and
    older matches stay reachable by narrowing the search or filtering by date. The
    returned queryset says `window_full` (True when more matched than the window
    holds), `window_unchecked` (True when a phrase was looked for in the newest
    articles with its words only, see PostgresBackend) and `matched` (how many it
    holds, None when unknown) until it is cloned, so read them at once.

    `all_published`: `queryset` is exactly the published articles, so the window can
    be picked from the index alone (PostgreSQL), without reading any article.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse(query)
    limit = max(1, settings.SEARCH_WINDOW)
    window = Window([])
    backend = _backend()
    if parsed:
        window = backend.newest_matches(queryset, parsed, limit=limit, everything=all_published)
    ids = window.ids
    if ids:
        results = backend.ranked(queryset.filter(pk__in=ids), parsed)
    elif parsed and not backend.indexed(ParsedQuery(parsed.groups)):
        # Misspellings are forgiven when the wanted words are in no document at all:
        # not when exclusions or filters removed what they found.
        results = backend.fallback(queryset, parsed)
    else:
        results = None
    if results is None:
        results = queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    results = results.order_by("-rank", "-published_at", "-id")
    results.window_full = window.more
    results.window_unchecked = window.unchecked
    # How many articles the results hold, when known without counting them.
    results.matched = len(ids) if ids else None
    return results


def add_snippets(articles: Sequence, query: str | ParsedQuery, *, language: str) -> None:
    """Give each article of `articles` (a page of results) a `snippet` (safe HTML),
    taken preferably from its digest in `language`, else its other digest or its
    transcript: the first of these that contains a matched word."""
    articles = list(articles)
    parsed = query if isinstance(query, ParsedQuery) else parse(query)
    raw = (
        _backend().snippets([a.pk for a in articles], parsed, language=language)
        if (parsed and articles)
        else {}
    )
    for article in articles:
        article.snippet = render_snippet(raw.get(article.pk, ""))


def render_snippet(text: str) -> SafeString:
    """Escape everything, then turn the markers into <mark>; stray markers are dropped."""
    html = _MARKED.sub(r"<mark>\1</mark>", str(escape(" ".join(text.split()))))
    return mark_safe(html.replace(START, "").replace(STOP, ""))


def _plain(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= PLAIN_SNIPPET_CHARS:
        return text
    return text[:PLAIN_SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def _pick(candidates: list[str], fallback: str) -> str:
    for text in candidates:
        if text and START in text:
            return text
    return _plain(fallback)


def _columns(language: str) -> list[str]:
    """Where a snippet is looked for, in order: the reader's digest, the other, the talk."""
    language = language if language in PG_CONFIGS else "en"
    other = "fr" if language == "en" else "en"
    return [f"summary_{language}", f"summary_{other}", "body"]


def _newest_ids(documents: QuerySet, count: int) -> list[int]:
    newest = documents.order_by("-published_at", "-article_id")
    return list(newest.values_list("article_id", flat=True)[:count])


@contextmanager
def _planner_without(*methods: str):
    """Run the enclosed queries with PostgreSQL's planner barred from `methods`
    ("seqscan", "bitmapscan", ...), in a savepoint that reverts the settings on error."""
    unknown = set(methods) - PLANNER_METHODS
    if unknown:  # the names go into SQL: only known ones
        raise ValueError(f"not a planner method: {sorted(unknown)}")
    with transaction.atomic(), connection.cursor() as cursor:
        for method in methods:
            cursor.execute(f"SET LOCAL enable_{method} = off")
        yield
        for method in methods:
            cursor.execute(f"RESET enable_{method}")


def _backend():
    return PostgresBackend if connection.vendor == "postgresql" else SQLiteBackend


def _double(rank):
    """PostgreSQL's ranks are `real`, read back rounded to it: a page's cursor holding
    that rounded rank then compared greater than the rank itself, and the next page
    began with an article already shown. In double precision the two are one number."""
    return Cast(rank, output_field=FloatField())


class PostgresBackend:
    @classmethod
    def indexed(cls, parsed: ParsedQuery) -> bool:
        """Whether any document has the query's words, asked of the GIN index alone.

        A plain exists() asks the planner for a first row, and it then prefers to read
        the table until a match turns up, unpacking every transcript's tsvector: the
        whole table when there is none, which is exactly when the answer matters (a
        misspelt word). Only the index answers "none" cheaply, so only it may be used.
        Word order is left out for the same reason (checking a phrase reads each
        document), and because a phrase whose words all exist is not a misspelling.
        """
        documents = SearchDocument.objects.filter(vector=cls.loose_tsquery(parsed))
        with _planner_without("seqscan", "indexscan"):
            return documents.exists()

    @staticmethod
    def tsquery(parsed: ParsedQuery) -> SearchQuery:
        # Each language's configuration parses the whole query, and a document matches
        # under either: its English and French parts were stemmed each in its own way.
        text = parsed.websearch_text()
        query = None
        for config in PG_CONFIGS.values():
            one = SearchQuery(text, config=config, search_type="websearch")
            query = one if query is None else query | one
        # An excluded word is excluded in every language's form: "-running" must drop
        # a document with English "runs" even when the French reading would keep it.
        for atom in parsed.excluded:
            for config in PG_CONFIGS.values():
                query &= ~SearchQuery(atom.websearch_text, config=config, search_type="websearch")
        return query

    @staticmethod
    def loose_tsquery(parsed: ParsedQuery) -> SearchQuery:
        """The query with its phrases' words required but not their order.

        GIN answers this one from the index alone; a phrase (or an excluded phrase)
        makes PostgreSQL re-read every candidate's whole tsvector to check word
        positions, seconds when the words are common. It matches at least what the
        full query matches: each word in either language, and only one-word exclusions.
        """

        def atom(words):
            forms = [
                SearchQuery(" ".join(words), config=config, search_type="plain")
                for config in PG_CONFIGS.values()
            ]
            return reduce(operator.or_, forms)

        query = reduce(
            operator.and_,
            (reduce(operator.or_, (atom(one.words) for one in group)) for group in parsed.groups),
        )
        for one in parsed.excluded:
            if len(one.words) == 1:
                for config in PG_CONFIGS.values():
                    query &= ~SearchQuery(one.words[0], config=config, search_type="plain")
        return query

    @classmethod
    def newest_matches(
        cls, queryset: QuerySet, parsed: ParsedQuery, *, limit: int, everything: bool
    ) -> Window:
        """The newest `limit` articles of `queryset` that match.

        Asked of SearchDocument, whose rows are narrow (migration 0006): the GIN index
        gives the matches, and only their small rows are read to sort them by date.
        `everything`: `queryset` is every published article, which the documents' own
        copy of the publication says without reading the articles.

        A query with phrases is answered in bounded steps: the newest documents with
        all the words (from the index alone, at most PHRASE_CHECKS windows of them),
        then the phrases checked in those, a window at a time, newest first, until the
        window is full. Older documents with the words are then left unchecked, and
        the result says so.

        Sequential scans are ruled out: the planner prices `@@` as if it were cheap,
        but on a table scan it unpacks each transcript's tsvector from TOAST storage
        (seconds for a common word), while the index answers without them.
        """
        documents = SearchDocument.objects.all()
        if everything:
            documents = documents.filter(public=True, published_at__lte=timezone.now())
        else:
            documents = documents.filter(article__in=queryset.order_by().values("pk"))
        full = cls.tsquery(parsed)
        if not parsed.has_phrase:
            with _planner_without("seqscan"):
                ids = _newest_ids(documents.filter(vector=full), limit + 1)
            return Window(ids[:limit], more=len(ids) > limit)
        budget = limit * PHRASE_CHECKS
        with _planner_without("seqscan"):
            candidates = _newest_ids(documents.filter(vector=cls.loose_tsquery(parsed)), budget + 1)
        unchecked = len(candidates) > budget
        ids: list[int] = []
        for start in range(0, min(budget, len(candidates)), limit):
            # Each of these documents is read once, from its primary key: a bitmap of
            # the phrase's words would read every document that has them.
            batch = SearchDocument.objects.filter(
                article_id__in=candidates[start : start + limit], vector=full
            )
            with _planner_without("seqscan", "bitmapscan"):
                ids += _newest_ids(batch, limit + 1 - len(ids))
            if len(ids) > limit:
                return Window(ids[:limit], more=True)
        return Window(ids, unchecked=unchecked)

    @classmethod
    def ranked(cls, queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
        # The rank reads the small vector of the title, digests and keywords: a match in
        # the transcript alone ranks below them all, newest first.
        rank = SearchRank(F("search_document__rank_vector"), cls.tsquery(parsed))
        return queryset.annotate(rank=_double(rank))

    @staticmethod
    def fallback(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet | None:
        text = parsed.fallback_text()
        if not text:
            return None
        # `title %> text` is what the trigram GIN index answers (word_similarity > 0.6).
        similar = TrigramWordSimilar(F("search_document__title"), Value(text))
        return queryset.filter(similar).annotate(
            rank=_double(TrigramWordSimilarity(Value(text), "search_document__title"))
        )

    @classmethod
    def snippets(cls, ids: list[int], parsed: ParsedQuery, *, language: str) -> dict[int, str]:
        query = cls.tsquery(parsed)
        config = PG_CONFIGS.get(language, PG_CONFIGS["en"])
        options = {
            "start_sel": START,
            "stop_sel": STOP,
            "max_words": SNIPPET_WORDS,
            "min_words": SNIPPET_WORDS // 2,
            "max_fragments": 2,
            "fragment_delimiter": " … ",
        }
        summary, other, body = _columns(language)

        def headline(expression):
            return SearchHeadline(expression, query, config=config, **options)

        rows = (
            SearchDocument.objects.filter(pk__in=ids)
            .annotate(first=headline(F(summary)))
            .values_list("pk", "first", summary, other)
        )
        found = {pk: [first] for pk, first, _s, _o in rows}
        plain = {pk: s or o for pk, _f, s, o in rows}
        # Each further text is parsed again only where the ones before show no matched
        # word: the other language's digest, then the transcript, which costs the most.
        for expression in (F(other), _window(body, parsed)):
            unmarked = [pk for pk, texts in found.items() if not any(START in t for t in texts)]
            if not unmarked:
                break
            for pk, text in (
                SearchDocument.objects.filter(pk__in=unmarked)
                .annotate(text=headline(expression))
                .values_list("pk", "text")
            ):
                found[pk].append(text)
        return {pk: _pick(texts, plain[pk]) for pk, texts in found.items()}


def _window(field: str, parsed: ParsedQuery):
    """The part of `field` around the first occurrence of a query word or of its stem
    (a plain substring search, far cheaper than parsing the whole transcript)."""
    terms = {
        variant
        for group in parsed.groups
        for atom in group
        for word in atom.words[:1]
        for variant in (word.casefold(), *(stem(word, lang) for lang in PG_CONFIGS))
        if len(variant) >= 3
    }
    positions = [NullIf(StrIndex(Lower(field), Value(term)), 0) for term in sorted(terms)[:8]]
    if not positions:
        return Substr(field, 1, PG_HEADLINE_WINDOW)
    first = positions[0] if len(positions) == 1 else Least(*positions)
    start = Greatest(Coalesce(first, 1) - PG_HEADLINE_WINDOW // 3, 1)
    return Substr(field, start, PG_HEADLINE_WINDOW)


class SQLiteBackend:
    @staticmethod
    def indexed(parsed: ParsedQuery) -> bool:
        """Whether any document matches (FTS5 answers MATCH from its index)."""
        return SearchIndexEntry.objects.filter(match=parsed.fts5_expression()).exists()

    @staticmethod
    def newest_matches(
        queryset: QuerySet, parsed: ParsedQuery, *, limit: int, everything: bool
    ) -> Window:
        """The newest `limit` articles of `queryset` that match (SQLite reads the
        articles' own dates: its index keeps no copy of them; and FTS5 checks phrases
        from its index, so none is left unchecked)."""
        matching = queryset.filter(search_document__fts__match=parsed.fts5_expression())
        newest = matching.order_by("-published_at", "-id").values_list("pk", flat=True)
        ids = list(dict.fromkeys(newest[: limit + 1]))
        return Window(ids[:limit], more=len(ids) > limit)

    @staticmethod
    def ranked(queryset: QuerySet, parsed: ParsedQuery, *, fallback: bool = False) -> QuerySet:
        # FTS5 ranks with bm25 (the table's `rank` column, weighted by the migration):
        # lower is better, so it is negated to read like PostgreSQL's rank.
        return queryset.filter(
            search_document__fts__match=parsed.fts5_expression(fallback=fallback)
        ).annotate(rank=F("search_document__fts__rank") * Value(-1.0, output_field=FloatField()))

    @classmethod
    def fallback(cls, queryset: QuerySet, parsed: ParsedQuery) -> QuerySet | None:
        if parsed.fts5_expression(fallback=True) == parsed.fts5_expression():
            return None
        return cls.ranked(queryset, parsed, fallback=True)

    @staticmethod
    def snippets(ids: list[int], parsed: ParsedQuery, *, language: str) -> dict[int, str]:
        columns = _columns(language)
        found: dict[int, list[str]] = {}
        # The rows a fallback found match only the fallback's expression.
        for expression in dict.fromkeys(
            [parsed.fts5_expression(), parsed.fts5_expression(fallback=True)]
        ):
            wanted = [pk for pk in ids if pk not in found]
            if not wanted:
                break
            params = []
            for name in columns:
                params += [FTS_COLUMNS.index(name), START, STOP, SNIPPET_WORDS]
            params += [expression, json.dumps(wanted)]
            with connection.cursor() as cursor:
                cursor.execute(FTS_SNIPPETS, params)
                for pk, *texts in cursor.fetchall():
                    found[pk] = texts
        plain = {
            pk: first or second
            for pk, first, second in SearchDocument.objects.filter(pk__in=ids).values_list(
                "pk", *columns[:2]
            )
        }
        return {pk: _pick(found.get(pk, []), plain.get(pk, "")) for pk in ids}
