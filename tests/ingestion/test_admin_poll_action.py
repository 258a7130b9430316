"""The sources admin's "Poll the selected sources now" queues the poll on the workers:
no feed is fetched inside the editor's request (issue 18, point 2)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import Article
from testing.http_servers import serve
from tests.factories import make_source
from tests.ingestion.pipeline.feeds import podcast_feed

pytestmark = pytest.mark.django_db


def test_poll_now_queues_the_poll_and_fetches_nothing_in_the_request(
    client, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from newsroom.celery import app

    # The worker's turn runs in-process, whatever the broker (Redis in the CI pass).
    monkeypatch.setattr(app.conf, "task_always_eager", True)
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    admin_user = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(admin_user)
    with serve() as server:
        server.routes["/feed.xml"] = podcast_feed(
            server.url("").rstrip("/"), 2, with_transcripts=False
        )
        source = make_source(feed_url=server.url("/feed.xml"))
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post(
                reverse("admin:ingestion_source_changelist"),
                {"action": "poll_now", "_selected_action": [source.pk]},
                follow=True,
            )
            assert response.status_code == 200
            assert server.requests == []  # nothing fetched while the editor waited
        assert "1 source queued for polling" in response.content.decode()
        assert len(queued) == 1
        # The worker's turn: the same task the schedule runs.
        queued[0]()
        assert server.hits("/feed.xml") == 1
    assert Article.objects.filter(source=source).count() == 2
