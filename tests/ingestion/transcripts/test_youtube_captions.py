"""Published YouTube captions through youtube-transcript-api, against a local fake YouTube.

The library does its real work (watch page, player API, timedtext XML) over real
HTTP; only the base URL is ours (settings.YOUTUBE_BASE_URL), and the no_network
fixture makes sure nothing reaches the internet.
"""

from __future__ import annotations

import pytest

from articles.models import Article
from ingestion import services
from ingestion.captions import GuardedSession, fetch_captions
from ingestion.models import Transcript
from ingestion.provenance import EpisodeInfo, TransientTranscriptError
from tests.ingestion.transcripts.conftest import SHOW_NOTES, make_episode
from tests.ingestion.transcripts.fake_youtube import FakeYouTube, Track

pytestmark = pytest.mark.django_db

FRENCH_AND_ENGLISH = [Track("fr"), Track("en"), Track("en", generated=True)]


@pytest.fixture(autouse=True)
def _captions_on(settings):
    settings.YOUTUBE_CAPTIONS = True


def captions_for(settings, tracks: list[Track], *, language: str, **fake_options):
    """Run the captions step for a video in `language`; (result, provenance, fake)."""
    with FakeYouTube(tracks, **fake_options) as fake:
        settings.YOUTUBE_BASE_URL = fake.base_url
        episode = EpisodeInfo(
            title="t", language=language, transcript_links=[], video_id="dQw4w9WgXcQ"
        )
        provenance: list[dict] = []
        result = fetch_captions(episode, provenance)
    return result, provenance, fake


def test_manual_captions_in_the_episodes_language_are_chosen(settings):
    result, provenance, fake = captions_for(settings, FRENCH_AND_ENGLISH, language="en")

    assert result.origin == "captions"
    assert result.language == "en"
    assert [s.text for s in result.segments] == [
        "Hello",
        "from the manual en track",
        "Q&A at the end",
    ]
    assert provenance[-1]["reason"] == "manual captions in en"
    # The library's own requests, in order, all to the local server.
    methods = [method for method, _path in fake.requests]
    assert methods == ["GET", "POST", "GET"]
    assert fake.requests[0][1] == "/watch?v=dQw4w9WgXcQ"
    assert fake.requests[1][1] == "/youtubei/v1/player?key=k"
    assert fake.caption_downloads == ["/api/timedtext?v=dQw4w9WgXcQ&lang=en"]


def test_segments_keep_the_captions_timing(settings):
    result, _, _ = captions_for(settings, FRENCH_AND_ENGLISH, language="en")

    assert [(s.start, s.end) for s in result.segments] == [(0.5, 2.6), (2.6, 5.6), (6.0, 7.5)]
    assert all(s.speaker == "" for s in result.segments)


def test_a_french_episode_gets_the_french_track(settings):
    result, provenance, _ = captions_for(settings, FRENCH_AND_ENGLISH, language="fr")

    assert result.language == "fr"
    assert result.segments[1].text == "from the manual fr track"
    assert provenance[-1]["reason"] == "manual captions in fr"


def test_the_episodes_language_comes_before_manual_captions_in_another(settings):
    # Generated English beats manual French for an English episode: a transcript in
    # the wrong language would make a digest of a translation.
    tracks = [Track("fr"), Track("en", generated=True, youtube_url=True)]
    result, provenance, fake = captions_for(settings, tracks, language="en")

    assert result.segments[1].text == "from the generated en track"
    assert provenance[-1]["reason"] == "auto-generated captions in en"
    # The track's baseUrl named https://www.youtube.com; it was fetched from the fake.
    assert fake.caption_downloads == ["/api/timedtext?v=dQw4w9WgXcQ&lang=en&kind=asr"]


def test_manual_captions_come_before_generated_ones_when_neither_is_in_the_language(settings):
    tracks = [Track("de", generated=True), Track("es")]
    result, provenance, _ = captions_for(settings, tracks, language="en")

    assert result.language == "es"
    assert provenance[-1]["reason"] == "manual captions in es"


def test_disabled_captions_fail_the_step_with_a_reason_and_the_chain_goes_on(settings):
    with FakeYouTube(captions_disabled=True) as fake:
        settings.YOUTUBE_BASE_URL = fake.base_url
        article = make_episode(video_id="dQw4w9WgXcQ", description_html=SHOW_NOTES)
        transcript = services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.DESCRIPTION
    captions = next(p for p in transcript.provenance if p["step"] == "captions")
    assert captions["outcome"] == "failed"
    assert captions["reason"] == "TranscriptsDisabled: Subtitles are disabled for this video"


def test_a_video_with_no_tracks_at_all_says_so(settings):
    result, provenance, _ = captions_for(settings, [], language="en")

    assert result is None
    assert provenance[-1]["outcome"] == "failed"
    assert provenance[-1]["reason"] == "the video has no captions"


def test_captions_chosen_by_the_chain_are_stored_with_their_origin(settings):
    with FakeYouTube(FRENCH_AND_ENGLISH) as fake:
        settings.YOUTUBE_BASE_URL = fake.base_url
        article = make_episode(video_id="dQw4w9WgXcQ", language="fr")
        transcript = services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.CAPTIONS
    assert transcript.format == "captions" and transcript.language == "fr"
    assert transcript.segments[0] == {"start": 0.5, "end": 2.6, "speaker": "", "text": "Hello"}
    article.refresh_from_db()
    assert article.status == Article.Status.TRANSCRIBED


def test_youtube_unreachable_is_left_for_a_retry(settings):
    with FakeYouTube() as fake:
        closed = fake.base_url  # the server stops at the end of this block
    settings.YOUTUBE_BASE_URL = closed
    article = make_episode(video_id="dQw4w9WgXcQ", description_html=SHOW_NOTES)

    with pytest.raises(TransientTranscriptError, match="captions"):
        services.transcript_fetch(article=article)

    article.refresh_from_db()
    assert article.status == Article.Status.NEEDS_TRANSCRIPT
    assert article.status_code == Article.Reason.RETRY_LATER
    assert article.status_reason.startswith("captions:")
    assert not Transcript.objects.filter(article=article).exists()


def test_the_session_refuses_internal_addresses_it_was_not_allowed(settings):
    settings.FETCH_ALLOW_HOSTS = []
    with FakeYouTube(FRENCH_AND_ENGLISH) as fake:
        settings.YOUTUBE_BASE_URL = fake.base_url
        episode = EpisodeInfo(title="t", language="en", transcript_links=[], video_id="x")
        provenance: list[dict] = []
        assert fetch_captions(episode, provenance) is None
    assert "refused: 127.0.0.1 is a loopback address" in provenance[-1]["reason"]
    assert fake.requests == []


def test_only_youtube_itself_is_rewritten_to_the_base_url(settings):
    session = GuardedSession(base_url="http://127.0.0.1:9")
    rewritten = []

    class Stop(Exception):
        pass

    def no_send(request, **kwargs):
        rewritten.append(request.url)  # the URL the request would go to
        raise Stop

    session.send = no_send
    for url in ("https://www.youtube.com/watch?v=1", "https://www.youtube.com.example.net/x"):
        with pytest.raises(Stop):
            session.get(url)
    assert rewritten == ["http://127.0.0.1:9/watch?v=1", "https://www.youtube.com.example.net/x"]
