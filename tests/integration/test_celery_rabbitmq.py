"""RabbitMQ as the broker: the pipeline runs end to end through it, stage by stage.

Real workers and beat with CELERY_BROKER_URL=amqp://… (RABBITMQ_URL: the machine's
RabbitMQ), Redis kept as the cache, PostgreSQL as the database, a feed served on
127.0.0.1. Two workers on different queues, as in production, so that the routing of
each stage to its queue goes through RabbitMQ's exchange too. Without RABBITMQ_URL
the test is skipped: a laptop needs no RabbitMQ (.ci/run sets it).
"""

from __future__ import annotations

import os

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
    purge_queues,
    worker_env,
)

RABBITMQ_URL = os.environ.get("RABBITMQ_URL", "")

pytestmark = [
    pytest.mark.rabbitmq,
    pytest.mark.celery,
    pytest.mark.slow,
    pytest.mark.skipif(
        not RABBITMQ_URL,
        reason="RABBITMQ_URL is not set (e.g. amqp://guest:guest@127.0.0.1:5672//); "
        ".ci/run sets it and starts RabbitMQ",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def rabbitmq():
    purge_queues(RABBITMQ_URL)
    yield RABBITMQ_URL
    purge_queues(RABBITMQ_URL)


def test_a_poll_through_rabbitmq_ends_with_digested_articles(tmp_path, worker_id, rabbitmq):
    redis_url = private_redis_url(worker_id)  # the cache only
    flush(redis_url)
    poll_every_two_seconds()
    env = worker_env(redis_url, CELERY_BROKER_URL=rabbitmq)
    with serve() as server:
        source = due_source(serve_podcast(server, 2, minutes=3))
        polling = start_worker(env, tmp_path / "polling.log", name="poll", queues="polling,default")
        stages = start_worker(
            env, tmp_path / "stages.log", name="stages", queues="transcripts,digests"
        )
        beat = start_beat(env, tmp_path / "beat.log", tmp_path / "beat-schedule")
        processes = [polling, stages, beat]
        try:
            wait_until(
                lambda: pipeline_counts(source)["digests"] == 2,
                timeout=120,
                what="both episodes polled, transcribed and digested through RabbitMQ",
                logs=processes,
            )
        finally:
            for process in processes:
                process.kill()
            flush(redis_url)
    assert "amqp://" in polling.output()  # the banner names the transport it connected to
    # "Task <name>[<id>] received": each worker ran its own stages only.
    assert "ingestion.tasks.poll_source[" in polling.output()
    assert "digests.tasks.make_digests[" not in polling.output()
    assert "digests.tasks.make_digests[" in stages.output()
    assert "ingestion.tasks.poll_source[" not in stages.output()
    counts = pipeline_counts(source)
    assert counts["articles"] == 2 and counts["transcripts"] == 2 and counts["digests"] == 2


def test_healthz_checks_rabbitmq_when_it_is_the_broker(client, settings, rabbitmq):
    settings.CELERY_BROKER_URL = rabbitmq
    assert client.get("/healthz").json()["checks"]["broker"] == "ok"
    # Nothing listens on port 1: a broker that is down is reported, the site stays up.
    settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:1//"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"].startswith("error")
