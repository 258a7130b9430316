"""Scale-out by queues: polling, transcripts and digests each have their own queue, so
a worker dedicated to one stage never runs another and a backlog in one stage never
delays the others. Real workers on Redis and PostgreSQL, a feed served on 127.0.0.1."""

from __future__ import annotations

import time

import pytest

from testing.http_servers import serve
from testing.services import start_beat, start_worker, wait_until
from tests.ingestion.pipeline.feeds import serve_podcast
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


def test_workers_on_separate_queues_complete_the_pipeline_together(tmp_path, worker_id):
    redis_url = private_redis_url(worker_id)
    flush(redis_url)
    poll_every_two_seconds()
    env = worker_env(redis_url)
    with serve() as server:
        source = due_source(serve_podcast(server, 2, minutes=3))
        polling = start_worker(env, tmp_path / "polling.log", name="poll", queues="polling,default")
        beat = start_beat(env, tmp_path / "beat.log", tmp_path / "beat-schedule")
        processes = [polling, beat]
        try:
            wait_until(
                lambda: (
                    pipeline_counts(source)["articles"] == 2
                    and pipeline_counts(source)["polls"] >= 2
                ),
                timeout=90,
                what="the polling worker to store both episodes",
                logs=processes,
            )
            # The polling worker leaves transcripts and digests to their own queues.
            time.sleep(3)
            assert pipeline_counts(source)["transcripts"] == 0
            assert pipeline_counts(source)["digests"] == 0
            stages = start_worker(
                env, tmp_path / "stages.log", name="stages", queues="transcripts,digests"
            )
            processes.append(stages)
            wait_until(
                lambda: pipeline_counts(source)["digests"] == 2,
                timeout=90,
                what="the stages worker to fetch transcripts and write digests",
                logs=processes,
            )
        finally:
            for process in processes:
                process.kill()
            flush(redis_url)
    # "Task <name>[<id>] received" in a worker's log: what it actually ran (its banner
    # lists every registered task without an id).
    assert "ingestion.tasks.poll_source[" in polling.output()
    assert "digests.tasks.make_digests[" not in polling.output()
    assert "ingestion.tasks.fetch_transcript[" not in polling.output()
    assert "digests.tasks.make_digests[" in stages.output()
    assert "ingestion.tasks.poll_source[" not in stages.output()
    assert pipeline_counts(source) | {"polls": 0} == {
        "articles": 2,
        "polls": 0,
        "transcripts": 2,
        "digests": 2,
    }
