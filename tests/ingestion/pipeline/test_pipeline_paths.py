"""One pipeline, two ways to run it (ingestion/pipeline.py): the steps in their order,
run here and now for a command, or as Celery tasks for workers (run eagerly here, in
this process). Both take the same steps and end the
same way; only the bookkeeping of what runs next differs."""

from __future__ import annotations

import pytest

from articles.models import Article
from ingestion import pipeline, tasks
from newsroom.celery import app as celery_app
from testing.http_servers import serve
from tests.factories import make_source
from tests.ingestion.pipeline.feeds import serve_podcast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.SUMMARIZER_BACKEND = "extractive"
    settings.AUTO_PUBLISH_MIN_SCORE = 0
    settings.AUTO_PUBLISH_MIN_GROUNDING = 0


def _outcome(source) -> list[tuple[str, str, int]]:
    return sorted(
        (a.guid, a.status, a.digests.filter(status="ready").count())
        for a in Article.objects.filter(source=source)
    )


def test_the_poll_step_names_the_next_steps_in_order():
    with serve() as server:
        source = make_source(feed_url=serve_podcast(server))
        noted = pipeline.Noted()
        result = pipeline.poll_step(source=source, then=noted)
        assert sorted(noted.transcripts) == sorted(result.new_article_ids)
        assert noted.digests_due == []

        article = Article.objects.get(pk=noted.transcripts[0])
        then = pipeline.Noted()
        transcript = pipeline.transcript_step(article=article, then=then)
    # A transcript found: the digests come next, nothing else.
    assert transcript is not None
    assert then.digests_due == [article.pk] and then.transcripts == []
    # Found again (a task redelivered): kept, and the digests are asked for again
    # only while they are missing.
    again = pipeline.Noted()
    assert pipeline.transcript_step(article=article, then=again) == transcript
    assert again.digests_due == [article.pk]
    pipeline.digests_step(article=article)
    done = pipeline.Noted()
    pipeline.transcript_step(article=article, then=done)
    assert done.digests_due == []


def test_a_command_and_the_workers_end_the_same_way(
    django_capture_on_commit_callbacks, monkeypatch
):
    # The tasks run in-process whatever the broker (the suite's PostgreSQL pass has one,
    # with no worker listening here; tests/integration runs them on real workers).
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    with serve() as server:
        here = make_source(feed_url=serve_podcast(server), slug="here")
        in_process = pipeline.InProcess()
        pipeline.poll_step(source=here, then=in_process)
    with serve() as server:
        there = make_source(feed_url=serve_podcast(server), slug="there")
        # Each next task is enqueued once the transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            tasks.poll_source(there.pk)

    assert in_process.summary.transcripts_found == 2
    assert in_process.summary.digests_written == 2
    assert in_process.summary.published == 2
    assert _outcome(here) == _outcome(there)
    assert {status for _guid, status, _n in _outcome(there)} == {Article.Status.PUBLISHED}
