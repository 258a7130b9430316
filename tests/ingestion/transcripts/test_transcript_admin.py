"""Editors: replace a transcript by upload, ask for speech-to-text again, see the origin.

Everything goes through the real admin pages with the test client, logged in as a
superuser; the change form's POST is read off the page the editor would see.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import services as articles_services
from articles.models import Article
from articles.transcript_data import Segment
from ingestion import services as ingestion_services
from ingestion.models import Transcript
from newsroom.celery import app as celery_app
from tests.ingestion.transcripts.admin_form import file_fields, form_data
from tests.ingestion.transcripts.conftest import make_episode, serve_audio

pytestmark = pytest.mark.django_db

FORM_ID = "article_form"

VTT = b"""WEBVTT

00:00:01.000 --> 00:00:04.000
<v Editor>Corrected words from the editor.

00:00:04.000 --> 00:00:08.000
<v Guest>And a second cue with the guest.
"""

SRT = b"""1
00:00:00,500 --> 00:00:03,000
First line of the subtitles.

2
00:00:03,000 --> 00:00:06,250
Second line of the subtitles.
"""


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-123456!")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _eager_tasks(monkeypatch):
    """Tasks run in-process, as on a laptop without a broker, whatever the environment says."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


def with_feed_transcript(**fields) -> Article:
    article = make_episode(**fields)
    ingestion_services.transcript_store(
        article=article,
        origin=Transcript.Origin.FEED,
        segments=[Segment(start=0.0, end=3.0, speaker="", text="The words the feed published.")],
        format="vtt",
        provenance=[{"step": "feed", "outcome": "used", "reason": "vtt from the feed", "at": ""}],
    )
    return article


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def post_change_form(client, article: Article, upload: SimpleUploadedFile):
    page = client.get(change_url(article))
    assert page.status_code == 200
    html = page.content.decode()
    assert "replace_transcript" in file_fields(html, FORM_ID)
    data = form_data(html, FORM_ID)
    data["replace_transcript"] = [upload]
    data["_continue"] = ["Save and continue editing"]
    return client.post(change_url(article), data, follow=True)


def test_the_change_form_is_a_file_upload_form(admin_client):
    article = with_feed_transcript()
    html = admin_client.get(change_url(article)).content.decode()
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize(
    ("name", "content", "content_type", "fmt", "first_text"),
    [
        ("fixed.vtt", VTT, "text/vtt", "vtt", "Corrected words from the editor."),
        ("fixed.srt", SRT, "application/x-subrip", "srt", "First line of the subtitles."),
        # What many browsers send for a subtitle file: the name and content decide.
        ("fixed.srt", SRT, "application/octet-stream", "srt", "First line of the subtitles."),
        ("notes.txt", b"Plain words typed by an editor.", "text/plain", "text", "Plain words"),
    ],
    ids=["vtt", "srt", "srt-as-octet-stream", "text"],
)
def test_uploading_a_file_replaces_the_transcript_as_manual(
    admin_client, django_capture_on_commit_callbacks, name, content, content_type, fmt, first_text
):
    article = with_feed_transcript()

    with django_capture_on_commit_callbacks() as queued:
        response = post_change_form(
            admin_client, article, SimpleUploadedFile(name, content, content_type=content_type)
        )

    assert response.status_code == 200
    assert "Transcript replaced; digests are being rewritten." in response.content.decode()
    transcript = Transcript.objects.get(article=article)
    assert transcript.origin == Transcript.Origin.MANUAL
    assert transcript.format == fmt
    assert transcript.segments[0]["text"].startswith(first_text)
    assert "The words the feed published." not in transcript.text
    assert transcript.provenance[0]["step"] == "manual"
    assert transcript.provenance[0]["reason"] == "uploaded by chief"
    # The digests are rewritten once the change is committed (the page cache queues
    # its own callback too: newsroom/pagecache.py).
    assert len([c for c in queued if c.__module__ != "newsroom.pagecache"]) == 1


def long_vtt(cues: int = 24) -> bytes:
    """A transcript long enough for the extractive summariser (150 words, 8 sentences)."""
    lines = ["WEBVTT", ""]
    for i in range(cues):
        lines += [
            f"00:00:{i * 2:02d}.000 --> 00:00:{i * 2 + 2:02d}.000",
            f"The corrected episode explains point number {i} about open model licences clearly.",
            "",
        ]
    return "\n".join(lines).encode()


def test_the_digests_are_rewritten_from_the_uploaded_transcript(
    admin_client, django_capture_on_commit_callbacks
):
    article = with_feed_transcript()
    with django_capture_on_commit_callbacks(execute=True):
        post_change_form(admin_client, article, SimpleUploadedFile("fixed.vtt", long_vtt()))

    digest = article.digests.get(language="en")
    assert digest.status == "ready", digest.error
    assert "corrected episode" in digest.tldr.lower()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.vtt", b"WEBVTT\n\nthis line is no cue\n"),
        ("broken.srt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00"),
        ("empty.vtt", b""),
    ],
    ids=["vtt-without-cues", "png-named-srt", "empty"],
)
def test_a_broken_file_is_a_form_error_and_the_old_transcript_stays(admin_client, name, content):
    article = with_feed_transcript()

    upload = SimpleUploadedFile(name, content, content_type="text/plain")
    response = post_change_form(admin_client, article, upload)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "replace_transcript" in errors, errors
    assert "Please correct the error below." in response.content.decode()
    transcript = Transcript.objects.get(article=article)
    assert transcript.origin == Transcript.Origin.FEED
    assert transcript.text == "The words the feed published."


def test_speech_to_text_again_replaces_the_transcript_in_process(
    admin_client, media, fake_stt, short_audio
):
    article = with_feed_transcript(audio_url=serve_audio(media, short_audio))

    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "speech_to_text_again", "_selected_action": [article.pk], "index": 0},
        follow=True,
    )

    assert "Speech-to-text queued." in response.content.decode()
    transcript = Transcript.objects.get(article=article)
    assert transcript.origin == Transcript.Origin.STT
    assert [(p["step"], p["outcome"]) for p in transcript.provenance] == [
        ("feed", "skipped"),
        ("captions", "skipped"),
        ("stt", "used"),
    ]
    assert transcript.provenance[0]["reason"] == "not requested"
    assert len(fake_stt.uploads) == 1


def test_speech_to_text_again_says_when_it_is_not_configured(admin_client, settings):
    settings.STT_BASE_URL = ""
    article = with_feed_transcript()

    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "speech_to_text_again", "_selected_action": [article.pk], "index": 0},
        follow=True,
    )

    assert "Speech-to-text is not configured (STT_BASE_URL)." in response.content.decode()
    assert Transcript.objects.get(article=article).origin == Transcript.Origin.FEED


def test_the_origin_is_visible_on_the_change_page_and_filters_the_list(admin_client):
    feed = with_feed_transcript(title="Feed episode")
    manual = with_feed_transcript(title="Edited episode")
    ingestion_services.transcript_store(
        article=manual,
        origin=Transcript.Origin.MANUAL,
        segments=[Segment(start=0.0, end=1.0, speaker="", text="Fixed.")],
        format="srt",
        provenance=[{"step": "manual", "outcome": "used", "reason": "uploaded by chief"}],
    )
    waiting = make_episode(title="Waiting episode")

    page = admin_client.get(change_url(manual)).content.decode()
    assert "Uploaded by an editor" in page
    assert "uploaded by chief" in page

    # The list keeps to short columns (its filter names the origins); the change page
    # and the filter say where each transcript comes from.
    listing = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "transcript__origin__exact=manual" in listing
    assert (
        "Transcript published with the episode"
        in admin_client.get(change_url(feed)).content.decode()
    )
    filtered = admin_client.get(
        reverse("admin:articles_article_changelist"), {"transcript__origin": "manual"}
    ).content.decode()
    assert "Edited episode" in filtered
    assert "Feed episode" not in filtered and "Waiting episode" not in filtered
    assert feed.pk and waiting.pk


def test_speech_to_text_again_failing_keeps_the_old_transcript_and_says_why(
    admin_client, media, fake_stt, short_audio
):
    fake_stt.fail(500)
    article = with_feed_transcript(audio_url=serve_audio(media, short_audio))
    articles_services.article_transition(article=article, to=Article.Status.PUBLISHED)

    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "speech_to_text_again", "_selected_action": [article.pk], "index": 0},
        follow=True,
    )

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.status_code == Article.Reason.TRANSCRIPT_KEPT
    assert article.status_reason.startswith("will retry: ")  # what the attempt said
    assert Transcript.objects.get(article=article).origin == Transcript.Origin.FEED
