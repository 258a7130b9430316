"""An episode whose task the broker lost is taken up again by the next poll of its source.

The rows a poll writes are durable; the tasks it enqueues live in Redis, which can
forget them (a restart without persistence) or refuse them (down at that moment).
tasks.poll_source re-enqueues the work of episodes that made no progress for a whole
visibility_timeout. test_worker_faults.py shows it with a real Redis restart; this
is the same rule in one process, fast, on every database.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services as articles_services
from articles.models import Article
from digests import services as digests_services
from digests.models import Digest
from ingestion import services as ingestion_services
from ingestion import tasks
from ingestion.models import Transcript
from newsroom.celery import app
from testing.http_servers import Response, serve
from tests.factories import make_source
from tests.ingestion.pipeline.feeds import podcast_feed, transcript_vtt

pytestmark = pytest.mark.django_db

VISIBILITY = 2 * 60 * 60


@pytest.fixture(autouse=True)
def _in_process(settings, monkeypatch):
    # Tasks run here, in order, whatever broker the test settings name.
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.SUMMARIZER_BACKEND = "extractive"
    settings.DIGEST_LANGUAGES = ["en"]
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": VISIBILITY}
    settings.AUTO_PUBLISH_MIN_SCORE = 0
    settings.AUTO_PUBLISH_MIN_GROUNDING = 0


def test_next_poll_resumes_episodes_whose_tasks_were_lost(
    django_capture_on_commit_callbacks,
):
    with serve() as server:
        base = server.url("").rstrip("/")
        server.routes["/feed.xml"] = podcast_feed(base, 4)
        for n in (1, 2, 3, 4):
            server.routes[f"/t/{n}.vtt"] = Response(
                body=transcript_vtt(3).encode(), content_type="text/vtt"
            )
        source = make_source(feed_url=server.url("/feed.xml"))
        # A poll whose tasks never ran: the rows exist, nothing else happened.
        ingestion_services.source_poll(source=source)
        by_guid = {a.guid: a for a in Article.objects.filter(source=source)}
        long_ago = timezone.now() - timedelta(seconds=VISIBILITY + 60)
        # Episode 1 lost its transcript task long ago.
        Article.objects.filter(pk=by_guid["test-episode-1"].pk).update(created_at=long_ago)
        # Episode 2 was just found: its task may well still be queued, so it is left alone.
        # Episode 3 got its transcript long ago, then lost its digest task.
        ingestion_services.transcript_fetch(article=by_guid["test-episode-3"])
        Transcript.objects.filter(article=by_guid["test-episode-3"]).update(updated_at=long_ago)
        # Episode 4's digest was written, then the worker died before the publish rule.
        fourth = by_guid["test-episode-4"]
        ingestion_services.transcript_fetch(article=fourth)
        digests_services.digest_make(article=fourth)
        articles_services.article_transition(article=fourth, to=Article.Status.TRANSCRIBED)
        Transcript.objects.filter(article=fourth).update(updated_at=long_ago)

        with django_capture_on_commit_callbacks(execute=True):
            tasks.poll_source(source.pk)

    def state(guid: str) -> tuple[str, int, int]:
        article = Article.objects.get(source=source, guid=guid)
        return (
            article.status,
            Transcript.objects.filter(article=article).count(),
            Digest.objects.filter(article=article, status="ready").count(),
        )

    assert state("test-episode-1")[1:] == (1, 1)
    assert state("test-episode-2") == (Article.Status.NEW, 0, 0)
    assert state("test-episode-3")[1:] == (1, 1)
    assert state("test-episode-4") == (Article.Status.PUBLISHED, 1, 1)
    assert state("test-episode-1")[0] == state("test-episode-3")[0] == Article.Status.PUBLISHED
    assert Article.objects.filter(source=source).count() == 4
