"""The article page: everything a reader sees, in both languages, and its transcript files."""

import importlib.util
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from articles.models import Article
from digests.models import Digest
from ingestion.models import Transcript
from tests.factories import make_article, make_digest, make_source

pytestmark = pytest.mark.django_db

HAS_TRANSCRIPT_WRITERS = importlib.util.find_spec("ingestion.transcripts") is not None


def page(client, article, prefix="", **params):
    # Not get_absolute_url(): after a /fr/ request French stays active in this thread.
    response = client.get(f"{prefix}/articles/{article.slug}/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_article_page_shows_everything_the_reader_needs(client, article):
    article.source.name = "Silicon Weekly"
    article.source.save()
    html = page(client, article)
    assert "<h1" in html and "Open models close the gap" in html
    # Score with its parts on demand.
    assert re.search(r'<details class="score-details">.*7.5<span class="out-of">/10', html, re.S)
    for part in ["Substance", "Novelty", "Clarity", "Relevance"]:
        assert f"<dt>{part}</dt>" in html
    assert 'href="/topics/ai/">AI</a>' in html
    assert "#llm" in html and "#open-source" in html
    assert "Silicon Weekly" in html
    published = article.published_at.isoformat()
    assert f'datetime="{published}"' in html
    assert "0:31:05" in html
    # The player on the enclosure.
    assert f'<audio controls preload="metadata" src="{article.audio_url}"' in html
    # TL;DR, key points (heading + body + a seek link), conclusion.
    assert ">TL;DR</h2>" in html and "A short summary of what was said." in html
    assert ">Key points</h2>" in html
    for n, seconds in [(1, 4), (2, 8), (3, 12)]:
        assert f"<h3>Point {n}</h3>" in html and f"Body of point {n}." in html
        assert f'href="?t={seconds}#player" data-seek="{seconds}' in html
    assert ">Conclusion</h2>" in html and "What it means for readers." in html
    # Full transcript, collapsed, with speakers, timestamps and its origin.
    assert '<details class="transcript" id="transcript">' in html
    assert 'data-start="4.0"' in html and 'data-seek="12.5"' in html and ">0:12</a>" in html
    assert '<strong class="speaker">Host</strong>' in html
    assert '<strong class="speaker">Guest</strong>' in html
    assert "Transcript published with the episode" in html
    assert 'href="/articles/open-models-close-the-gap/transcript.vtt"' in html
    # The original.
    assert 'href="https://example.org/episodes/42"' in html
    assert "This digest is only available" not in html


def test_speaker_is_named_only_when_it_changes(client):
    article = make_article(
        transcript=[
            {"start": 0.0, "end": 2.0, "speaker": "Ana", "text": "First."},
            {"start": 2.0, "end": 4.0, "speaker": "Ana", "text": "Still me."},
            {"start": 4.0, "end": 6.0, "speaker": "Ben", "text": "My turn."},
            {"start": None, "end": None, "speaker": "", "text": "Untimed line."},
        ]
    )
    # Rows a broken parser might leave behind are skipped, not a 500.
    transcript = article.transcript
    transcript.segments = [*transcript.segments, {"bad": "row"}, "not a dict", {"text": ""}]
    transcript.save()
    html = page(client, article)
    assert html.count('<strong class="speaker">Ana</strong>') == 1
    assert html.count('<strong class="speaker">Ben</strong>') == 1
    assert "Untimed line." in html


def test_article_page_in_french(client, article):
    fr = article.digests.get(language="fr")
    fr.tldr = "Un court résumé en français."
    fr.save()
    html = page(client, article, "/fr")
    assert '<html lang="fr">' in html
    assert "Un court résumé en français." in html
    assert "A short summary of what was said." not in html
    assert "7,5" in html and "Points clés" in html and "Transcription complète" in html
    assert 'href="/fr/topics/ai/">IA</a>' in html
    assert article.published_at.strftime("%Y") in html


def test_digest_in_the_other_language_comes_with_a_notice(client):
    english_only = make_article(digest_languages=("en",))
    french_only = make_article(language="fr", digest_languages=("fr",), tldr="Résumé.")
    html = page(client, english_only, "/fr")
    assert "Ce résumé n’existe qu’en anglais." in html
    assert 'lang="en"' in html
    html = page(client, french_only)
    assert "This digest is only available in French." in html
    assert "Résumé." in html
    assert "only available" not in page(client, english_only)


def test_from_show_notes_flag(client):
    article = make_article()
    article.digests.update(from_show_notes=True)
    html = page(client, article)
    assert "From show notes." in html
    assert "From show notes." not in page(client, make_article())


def test_editor_score_is_shown_as_such(client):
    article = make_article(score=6.0)
    article.digests.update(score_override=Decimal("9.0"))
    html = page(client, article)
    assert "9.0<span" in html and "editor's score" in html
    assert "the computed score was 6.0/10" in html
    assert "editor's score" not in page(client, make_article())


def test_article_without_digest_still_shows_transcript_and_player(client):
    article = make_article()
    article.digests.update(status=Digest.Status.FAILED)
    html = page(client, article)
    assert "The digest of this episode is not ready yet." in html
    assert "<audio" in html and "Welcome to the show." in html


def test_youtube_player_is_the_privacy_enhanced_embed(client):
    article = make_article(video_id="dQw4w9WgXcQ", audio_url="")
    html = page(client, article, t="30")
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1' in html
    assert "start=30" in html and "<audio" not in html
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html


def test_youtube_id_from_a_watch_url_and_hostile_ids_are_refused(client):
    watch = make_article(video_url="https://www.youtube.com/watch?v=abcdefghijk", audio_url="")
    assert "youtube-nocookie.com/embed/abcdefghijk?" in page(client, watch)
    hostile = make_article(video_id='x"><script>', audio_url="https://cdn.example.org/a.mp3")
    html = page(client, hostile)
    assert "youtube-nocookie" not in html and "<audio" in html


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/shorts/abcdefghijk",
        "https://www.youtube.com/live/abcdefghijk?si=share",
        "https://www.youtube.com/embed/abcdefghijk",
        "https://youtu.be/abcdefghijk",
    ],
)
def test_every_youtube_url_the_feeds_read_plays_on_the_page(client, url):
    # The page and the feed parser share one parser: a /shorts link found in a feed
    # is embedded, not shown as a dead link.
    video = make_article(video_url=url, audio_url="")
    assert "youtube-nocookie.com/embed/abcdefghijk?" in page(client, video)


def test_direct_video_file_gets_a_video_element(client):
    article = make_article(video_url="https://cdn.example.org/talk.mp4", audio_url="")
    assert '<video controls preload="metadata" src="https://cdn.example.org/talk.mp4"' in page(
        client, article
    )


def test_timestamp_in_the_query_string_starts_the_player_there_without_js(client, article):
    html = page(client, article, t="42")
    assert f'src="{article.audio_url}#t=42"' in html
    for bad in ["abc", "-3", "1e9", "99999999"]:
        assert f'src="{article.audio_url}"' in page(client, article, t=bad)


def test_related_articles_rank_shared_tags_before_recency(client):
    now = timezone.now()
    article = make_article(topic="ai", tags=("gpu", "inference", "openai"))
    close = make_article(
        title="Close match",
        topic="ai",
        tags=("gpu", "inference"),
        published_at=now - timedelta(days=30),
    )
    partial = make_article(
        title="Partial match", topic="ai", tags=("gpu",), published_at=now - timedelta(days=10)
    )
    recent = make_article(title="Recent unrelated", topic="ai", tags=("weather",), published_at=now)
    make_article(title="Other topic", topic="crypto", tags=("gpu", "inference", "openai"))
    make_article(
        title="Draft match",
        topic="ai",
        tags=("gpu", "inference", "openai"),
        status=Article.Status.REVIEW,
    )
    response = client.get(article.get_absolute_url())
    related = response.context["related"]
    assert related == [close, partial, recent]
    html = response.content.decode()
    assert "More from AI" in html
    assert html.index("Close match") < html.index("Partial match") < html.index("Recent unrelated")


def test_related_without_topic_uses_shared_tags(client):
    article = make_article(topic=None, tags=("rust",))
    match = make_article(topic="cloud", tags=("rust",))
    make_article(topic="cloud", tags=("go",))
    response = client.get(article.get_absolute_url())
    assert response.context["related"] == [match]
    assert "Related digests" in response.content.decode()


def test_open_graph_and_twitter_meta(client, article):
    article.image_url = "https://cdn.example.org/cover.jpg"
    article.save()
    html = page(client, article)
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Open models close the gap">' in html
    assert (
        '<meta property="og:url" content="http://testserver/articles/open-models-close-the-gap/">'
        in html
    )
    assert '<meta property="og:description" content="A short summary of what was said.">' in html
    assert '<meta property="og:image" content="https://cdn.example.org/cover.jpg">' in html
    assert f'<meta property="og:audio" content="{article.audio_url}">' in html
    assert '<meta property="article:tag" content="llm">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'alt="Artwork of ' in html
    fr = page(client, article, "/fr")
    assert '<meta property="og:locale" content="fr_FR">' in fr


def test_titles_from_feeds_are_escaped(client):
    article = make_article(title='<script>alert("x")</script> news')
    html = page(client, article)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


# --- transcript files ---------------------------------------------------------------------


@pytest.mark.skipif(not HAS_TRANSCRIPT_WRITERS, reason="ingestion.transcripts not there yet")
@pytest.mark.parametrize(
    ("suffix", "content_type", "marker"),
    [("vtt", "text/vtt", "WEBVTT"), ("srt", "application/x-subrip", "-->")],
)
def test_transcript_files(client, lang, article, suffix, content_type, marker):
    _, prefix = lang
    response = client.get(f"{prefix}{article.get_absolute_url()}transcript.{suffix}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.content.decode()
    assert marker in body and "We shipped the new model." in body


@pytest.mark.parametrize("suffix", ["vtt", "srt"])
def test_transcript_files_404_when_there_is_nothing_to_serve(client, suffix):
    no_transcript = make_article()
    Transcript.objects.filter(article=no_transcript).delete()
    draft = make_article(status=Article.Status.REVIEW)
    for article in (no_transcript, draft):
        assert client.get(f"{article.get_absolute_url()}transcript.{suffix}").status_code == 404
    assert client.get(f"/articles/nope/transcript.{suffix}").status_code == 404


def test_make_digest_helper_still_matches_the_page(client):
    # Guards the factory contract the page relies on: key points come ordered.
    article = make_article(digest_languages=("en",))
    make_digest(article, language="fr", points=5)
    html = page(client, article, "/fr")
    assert html.index("<h3>Point 1</h3>") < html.index("<h3>Point 5</h3>")


def test_source_site_is_linked_when_known(client):
    source = make_source(site_url="https://weekly.example.org/")
    html = page(client, make_article(source=source))
    assert 'href="https://weekly.example.org/"' in html
