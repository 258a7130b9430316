"""A real Celery worker and beat, on Redis and PostgreSQL, poll a feed served on 127.0.0.1.

New episodes appear exactly once after several polls and a worker killed with
SIGKILL and started again.
"""

from __future__ import annotations

import pytest

from articles.models import Article
from testing.http_servers import serve
from testing.services import start_beat, start_worker, wait_until
from tests.ingestion.pipeline.feeds import podcast_feed, serve_podcast
from tests.integration.workers import (
    due_source,
    flush,
    pipeline_counts,
    poll_every_two_seconds,
    private_redis_url,
    worker_env,
)

pytestmark = [
    pytest.mark.celery,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_worker_and_beat_ingest_each_episode_exactly_once_across_a_worker_kill(tmp_path, worker_id):
    redis_url = private_redis_url(worker_id)
    flush(redis_url)
    poll_every_two_seconds()
    env = worker_env(redis_url)
    with serve() as server:
        base = server.url("").rstrip("/")
        source = due_source(serve_podcast(server, 2, transcripts=3, minutes=3))
        worker = start_worker(env, tmp_path / "worker1.log")
        beat = start_beat(env, tmp_path / "beat.log", tmp_path / "beat-schedule")
        processes = [worker, beat]
        try:
            wait_until(
                lambda: pipeline_counts(source)["digests"] == 2,
                timeout=90,
                what="two episodes digested",
                logs=processes,
            )
            # The feed gains an episode; it must appear once, whatever happens to workers.
            server.routes["/feed.xml"] = podcast_feed(base, 3)
            worker.kill()
            polls_before = pipeline_counts(source)["polls"]
            worker = start_worker(env, tmp_path / "worker2.log", name="w2")
            processes[0] = worker
            wait_until(
                lambda: pipeline_counts(source)["digests"] == 3,
                timeout=90,
                what="the third episode digested after the restart",
                logs=processes,
            )
            wait_until(
                lambda: pipeline_counts(source)["polls"] >= polls_before + 2,
                timeout=60,
                what="two more polls",
                logs=processes,
            )
        finally:
            for process in processes:
                process.kill()
            flush(redis_url)

    counts = pipeline_counts(source)
    assert counts["articles"] == 3
    assert counts["transcripts"] == 3
    assert counts["digests"] == 3
    guids = list(Article.objects.filter(source=source).values_list("guid", flat=True))
    assert sorted(guids) == ["test-episode-1", "test-episode-2", "test-episode-3"]
