"""Full-text search, the same tests on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.events import batched
from articles.models import Article
from digests.models import Digest, KeyPoint
from ingestion.models import Source, Transcript
from search.backends import add_snippets, search_articles
from search.index import search_index_update
from search.models import SearchDocument
from tests.factories import make_article, make_digest, make_source

from .conftest import assert_index_in_step, found

pytestmark = pytest.mark.django_db


def talk(*lines: str) -> list[dict]:
    return [
        {"start": 10.0 * i, "end": 10.0 * (i + 1), "speaker": "Host", "text": line}
        for i, line in enumerate(lines)
    ]


def test_stemming_running_finds_runs():
    make_article(title="She runs the platform team")
    make_article(title="Gardening for beginners")
    assert found("running") == ["She runs the platform team"]
    assert found("run") == ["She runs the platform team"]


def test_french_accents_sécurité_and_securite_find_each_other():
    make_article(title="La sécurité des réseaux", language="fr", tldr="Un épisode sur les réseaux.")
    make_article(title="Securite sans accents", language="fr", tldr="Un titre écrit vite.")
    make_article(title="Cooking pasta")
    both = {"La sécurité des réseaux", "Securite sans accents"}
    assert set(found("sécurité")) == both
    assert set(found("securite")) == both
    assert set(found("SÉCURITÉS")) == both


def test_a_french_digest_of_an_english_episode_is_found_in_french():
    article = make_article(title="Zero trust in practice", digest_languages=("en",))
    make_digest(article, language="fr", tldr="Les développeurs parlent de chiffrement.")
    assert found("développeur") == ["Zero trust in practice"]
    assert found("chiffrement") == ["Zero trust in practice"]


def test_quoted_phrase_needs_the_words_together():
    make_article(title="A", transcript=talk("We shipped the new model today."))
    make_article(title="B", transcript=talk("The model is new and we shipped it."))
    assert found('"new model"') == ["A"]
    assert set(found("new model")) == {"A", "B"}


def test_minus_excludes():
    make_article(title="Kubernetes with Docker")
    make_article(title="Kubernetes without containers engines")
    assert found("kubernetes -docker") == ["Kubernetes without containers engines"]
    assert found('kubernetes -"with docker"') == ["Kubernetes without containers engines"]


def test_exclusion_holds_in_both_languages_forms():
    # "running" stems to "run" in English but stays "running" in French: a document
    # with English "runs" must be excluded by "-running" all the same.
    make_article(title="Kubernetes runs everywhere", digest_languages=("en", "fr"))
    make_article(title="Kubernetes at rest")
    assert found("kubernetes -running") == ["Kubernetes at rest"]


def test_or_accepts_either():
    make_article(title="Rust compilers")
    make_article(title="Golang compilers")
    make_article(title="Python compilers")
    assert set(found("rust or golang")) == {"Rust compilers", "Golang compilers"}
    assert set(found("compilers rust OR golang")) == {"Rust compilers", "Golang compilers"}


def test_a_title_match_outranks_a_transcript_only_match():
    for i in range(4):
        make_article(title=f"Filler episode {i}", transcript=talk("Nothing to see here."))
    make_article(
        title="Weekly roundup",
        transcript=talk("Later in the show we mention quantum computing briefly."),
    )
    make_article(title="Quantum computing explained")
    results = list(search_articles(Article.objects.published(), "quantum"))
    assert [a.title for a in results] == ["Quantum computing explained", "Weekly roundup"]
    assert results[0].rank > results[1].rank


def test_tldr_outranks_transcript():
    make_article(title="One", tldr="A deep dive into homomorphic encryption.")
    make_article(title="Two", transcript=talk("Someone said homomorphic once."))
    make_article(title="Three")
    assert found("homomorphic") == ["One", "Two"]


def test_tags_and_source_name_are_searched():
    make_article(title="Episode 12", tags=("webassembly",))
    make_article(title="Episode 13", source=make_source(name="Syntax Error Radio"))
    assert found("webassembly") == ["Episode 12"]
    assert found("syntax radio") == ["Episode 13"]


def test_only_the_given_queryset_is_searched():
    make_article(title="Published fusion", status=Article.Status.PUBLISHED)
    make_article(title="Draft fusion", status=Article.Status.REVIEW)
    assert found("fusion") == ["Published fusion"]
    assert set(found("fusion", Article.objects.all())) == {"Published fusion", "Draft fusion"}


def test_nothing_to_search_for_finds_nothing():
    make_article(title="Anything")
    for query in ["", "-anything", '"', "or", "--"]:
        assert found(query) == []


def test_misspelt_words_fall_back_to_close_matches():
    make_article(title="Kubernetes operators in depth")
    make_article(title="Baking bread")
    assert found("kubernets") == ["Kubernetes operators in depth"]
    assert found("kubernetess operatorz") == ["Kubernetes operators in depth"]


def test_no_fallback_when_exclusions_removed_the_matches():
    make_article(title="Stablecoins in euro")
    make_article(title="A stable release")
    assert found("stablecoins -euro") == []


@pytest.mark.postgres
def test_trigram_fallback_on_postgresql():
    make_article(title="Kubernetes operators in depth")
    make_article(title="Baking bread")
    # A typo in the first letters: only trigram similarity forgives it.
    assert found("kubrenetes operators") == ["Kubernetes operators in depth"]


# --- The index follows the articles -------------------------------------------------


def test_index_follows_a_title_edit():
    article = make_article(title="Old title about lasers")
    article.title = "New title about photonics"
    article.save()
    assert found("photonics") == ["New title about photonics"]
    assert found("lasers") == []
    assert_index_in_step()


def test_index_follows_digest_key_point_transcript_and_tag_edits():
    article = make_article(title="Episode")
    digest = article.digests.get()
    digest.tldr = "All about neuromorphic chips."
    digest.save()
    assert found("neuromorphic") == ["Episode"]

    point = digest.key_points.first()
    point.body = "Memristors store weights."
    point.save()
    assert found("memristors") == ["Episode"]

    transcript = article.transcript
    transcript.text = "We interviewed a spintronics researcher."
    transcript.save()
    assert found("spintronics") == ["Episode"]

    article.tags.add("optics")
    assert found("optics") == ["Episode"]
    article.tags.remove("optics")
    assert found("optics") == []
    assert_index_in_step()


def test_index_follows_deletions():
    keep = make_article(title="Keeper about graphene")
    gone = make_article(title="Goner about graphene")
    second = make_digest(keep, language="fr", tldr="Le graphène supraconducteur.")
    assert set(found("graphene")) == {"Keeper about graphene", "Goner about graphene"}

    gone.delete()
    assert found("graphene") == ["Keeper about graphene"]
    assert not SearchDocument.objects.filter(pk=gone.pk).exists()

    assert found("supraconducteur") == ["Keeper about graphene"]
    second.delete()
    assert found("supraconducteur") == []
    KeyPoint.objects.filter(digest__article=keep).first().delete()
    Transcript.objects.filter(article=keep).delete()
    assert_index_in_step()


def test_deleting_a_source_takes_its_documents():
    source = make_source()
    make_article(title="Alpha about lidar", source=source)
    make_article(title="Beta about lidar", source=source)
    make_article(title="Gamma about lidar")
    source.delete()
    assert found("lidar") == ["Gamma about lidar"]
    assert_index_in_step()


def test_renaming_a_source_reindexes_its_articles():
    source = make_source(name="Old Radio")
    make_article(title="Show", source=source)
    source.name = "Brand New Podcast"
    source.save()
    assert found("brand podcast") == ["Show"]
    # A poll saves the source without touching its name: no re-indexing needed.
    Source.objects.filter(pk=source.pk).update(name="Renamed Quietly")
    source.refresh_from_db()
    source.save(update_fields=["last_error"])
    assert found("quietly") == []


def test_update_bypasses_signals_so_the_service_is_called():
    article = make_article(title="Before the update")
    Article.objects.filter(pk=article.pk).update(title="After the microcode update")
    assert found("microcode") == []  # what the service exists for ...
    search_index_update(article_ids=[article.pk])
    assert found("microcode") == ["After the microcode update"]  # ... and what it does
    assert_index_in_step()


def test_a_deferred_block_indexes_once_at_the_end_including_bulk_writes():
    article = make_article(title="Digest rewrite", digest_languages=("en",))
    with batched():
        digest, _ = Digest.objects.update_or_create(
            article=article, language="en", defaults={"tldr": "Rewritten."}
        )
        digest.key_points.all().delete()
        # bulk_create sends no signal: the block's flush reads the final state anyway.
        KeyPoint.objects.bulk_create(
            [KeyPoint(digest=digest, order=0, heading="Photolithography", body="EUV.")]
        )
        assert found("photolithography") == []
    assert found("photolithography") == ["Digest rewrite"]
    assert_index_in_step()


def test_a_deferred_block_that_fails_indexes_nothing():
    article = make_article(title="Stays")
    with pytest.raises(RuntimeError), batched():
        article.title = "Changed holography"
        article.save()
        raise RuntimeError
    # The failed block's update was not flushed (its transaction would be rolled back).
    assert found("holography") == []


def test_reindex_rebuilds_everything():
    make_article(title="Indexed about magnonics")
    make_article(title="Also about magnonics", language="fr")
    # Data written without signals (e.g. loaddata) is not indexed ...
    SearchDocument.objects.all().delete()
    assert found("magnonics") == []
    # ... until reindex.
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert "indexed 2 article(s)" in out.getvalue()
    assert set(found("magnonics")) == {"Indexed about magnonics", "Also about magnonics"}
    call_command("reindex", stdout=out)  # twice: idempotent
    assert len(found("magnonics")) == 2
    assert_index_in_step()


def test_long_transcripts_are_cut():
    from search.models import MAX_BODY_CHARS

    article = make_article(title="Marathon", transcript=talk("word " * 60_000, "zeptosecond"))
    document = SearchDocument.objects.get(pk=article.pk)
    assert len(document.body) == MAX_BODY_CHARS
    assert found("zeptosecond") == []


# --- Snippets ---------------------------------------------------------------------


def test_snippets_mark_the_matched_words_and_escape_the_rest():
    article = make_article(
        title="Escaping", tldr="Beware <script>alert(1)</script> and data exfiltration."
    )
    results = list(search_articles(Article.objects.published(), "exfiltration"))
    add_snippets(results, "exfiltration", language="en")
    snippet = results[0].snippet
    assert "<mark>exfiltration</mark>" in snippet
    # SQLite shows the markup as text; PostgreSQL's ts_headline drops tags. Never as HTML.
    assert "<script" not in snippet and "alert(1)" in snippet
    assert results[0].pk == article.pk


def test_snippets_prefer_the_readers_language_then_the_transcript():
    article = make_article(
        title="Bilingual",
        tldr="The English summary mentions photonics.",
        digest_languages=("en",),
        transcript=talk("Only the transcript says metamaterials."),
    )
    make_digest(article, language="fr", tldr="Le résumé français parle de photonics aussi.")
    page = list(search_articles(Article.objects.published(), "photonics"))
    add_snippets(page, "photonics", language="fr")
    assert "français" in page[0].snippet and "<mark>photonics</mark>" in page[0].snippet
    page = list(search_articles(Article.objects.published(), "metamaterials"))
    add_snippets(page, "metamaterials", language="en")
    assert "<mark>metamaterials</mark>" in page[0].snippet


# --- Whatever the query -------------------------------------------------------------

HOSTILE = [
    '"',
    '"""',
    "-",
    "or",
    "OR OR",
    "- - -",
    "(",
    ")",
    "*",
    "NEAR(a b)",
    "a:b",
    "^a",
    "title:x",
    "' OR 1=1 --",
    "'; DROP TABLE articles_article; --",
    "\\",
    "%",
    "_",
    "&&||!!<->",
    "\x00",
    "\u202e\u200b",
    "日本語",
    "🤖🚀",
    "x" * 5000,
    "a " * 2500,
    '"' * 5000,
    "é" * 5000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_fail(query):
    make_article(title="Anything at all")
    results = list(search_articles(Article.objects.published(), query))
    add_snippets(results, query, language="en")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=200))
def test_any_query_runs(query):
    if not Article.objects.exists():
        make_article(title="Something about anything")
    results = list(search_articles(Article.objects.published(), query))
    add_snippets(results, query, language="fr")


def test_reindex_one_article_and_refuse_unknown_slugs():
    article = make_article(title="Before")
    Article.objects.filter(pk=article.pk).update(title="After the spectroscopy")
    out = io.StringIO()
    call_command("reindex", "--article", article.slug, stdout=out)
    assert "re-indexed 1 article(s)" in out.getvalue()
    assert found("spectroscopy") == ["After the spectroscopy"]
    with pytest.raises(SystemExit):
        call_command("reindex", "--article", "no-such-slug", stderr=io.StringIO())


def test_a_match_deep_in_a_long_transcript_is_highlighted():
    make_article(
        title="Long talk",
        transcript=talk("Filler words here. " * 8000, "Then we finally discuss metamaterials."),
    )
    page = list(search_articles(Article.objects.published(), "metamaterial"))
    add_snippets(page, "metamaterial", language="en")
    assert "<mark>metamaterials</mark>" in page[0].snippet
