"""The article's lifecycle (articles/states.py): the moves the table has are made, the
others refused; retries select by reason code; old rows get their codes."""

from __future__ import annotations

import importlib
from itertools import count
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from articles import services as articles_services
from articles import states
from articles.models import Article
from articles.states import InvalidTransition, Reason, Status
from ingestion import tasks as ingestion_tasks
from tests.factories import make_source

pytestmark = pytest.mark.django_db

_n = count()


def article(status: str, **fields) -> Article:
    n = next(_n)
    fields = {"title": f"A {n}", **fields}
    return Article.objects.create(
        source=make_source(), guid=f"g{n}", slug=f"a-{n}", status=status, **fields
    )


@pytest.mark.parametrize(("to", "reason"), list(states.TRANSITIONS), ids=str)
def test_every_move_in_the_table_is_made(to, reason):
    for current in states.TRANSITIONS[(to, reason)]:
        moved = article(current)
        articles_services.article_transition(
            article=moved, to=to, reason=reason, detail="HTTP 503 from cdn.example.org"
        )
        stored = Article.objects.get(pk=moved.pk)
        assert (stored.status, stored.status_code, stored.status_reason) == (
            to,
            reason,
            "HTTP 503 from cdn.example.org",
        ), f"{current} -> {to} ({reason})"


@pytest.mark.parametrize(
    ("current", "to", "reason"),
    [
        # The publish rule never undoes what an editor published or hid.
        (Status.PUBLISHED, Status.REVIEW, Reason.PUBLISH_RULE),
        (Status.HIDDEN, Status.FAILED, Reason.DIGEST_FAILED),
        (Status.PUBLISHED, Status.TRANSCRIBED, Reason.LLM_BUDGET),
        # NEW is only a beginning; DIGESTED is never entered.
        (Status.REVIEW, Status.NEW, Reason.NONE),
        (Status.TRANSCRIBED, Status.DIGESTED, Reason.NONE),
        # A reason that does not go with the status.
        (Status.PUBLISHED, Status.HIDDEN, Reason.RETRY_LATER),
    ],
)
def test_a_move_outside_the_table_is_refused_and_nothing_is_written(current, to, reason):
    stuck = article(current, status_code=Reason.SENT_BACK_BY_EDITOR, status_reason="as before")

    with pytest.raises(InvalidTransition, match=f"from '{current}' to '{to}'"):
        articles_services.article_transition(article=stuck, to=to, reason=reason)

    stored = Article.objects.get(pk=stuck.pk)
    assert (stored.status, stored.status_code, stored.status_reason) == (
        current,
        Reason.SENT_BACK_BY_EDITOR,
        "as before",
    )


def test_editors_actions_go_through_the_table():
    chosen = [article(Status.NEW), article(Status.FAILED), article(Status.PUBLISHED)]
    ids = [a.pk for a in chosen]

    assert articles_services.articles_unpublish(article_ids=ids) == 3
    assert set(Article.objects.filter(pk__in=ids).values_list("status", "status_code")) == {
        (Status.HIDDEN, Reason.UNPUBLISHED_BY_EDITOR)
    }
    assert articles_services.articles_send_back(article_ids=ids) == 3
    assert set(Article.objects.filter(pk__in=ids).values_list("status", "status_code")) == {
        (Status.REVIEW, Reason.SENT_BACK_BY_EDITOR)
    }
    assert articles_services.articles_publish(article_ids=ids) == 3
    assert set(Article.objects.filter(pk__in=ids).values_list("status", "status_code")) == {
        (Status.PUBLISHED, Reason.NONE)
    }


def test_a_note_keeps_the_status_and_a_move_cannot_pass_for_one():
    kept = article(Status.PUBLISHED)
    articles_services.article_note(
        article=kept, reason=Reason.TRANSCRIPT_KEPT, detail="will retry: stt: timed out"
    )
    kept.refresh_from_db()
    assert (kept.status, kept.status_code) == (Status.PUBLISHED, Reason.TRANSCRIPT_KEPT)
    with pytest.raises(InvalidTransition):
        articles_services.article_note(article=kept, reason=Reason.RETRY_LATER)


def test_the_hourly_retry_selects_by_code_not_by_words(monkeypatch):
    retry = article(Status.NEEDS_TRANSCRIPT, status_code=Reason.RETRY_LATER, status_reason="503")
    budget = article(Status.NEEDS_TRANSCRIPT, status_code=Reason.BUDGET, status_reason="spent")
    # Words that once meant "retry", under a code that does not.
    article(
        Status.NEEDS_TRANSCRIPT,
        status_code=Reason.NO_TRANSCRIPT,
        status_reason="will retry: feed: this is only what the chain said",
    )
    article(Status.NEEDS_TRANSCRIPT, status_code=Reason.TRANSCRIPT_FAILED, status_reason="waiting:")
    article(Status.PUBLISHED, status_code=Reason.TRANSCRIPT_KEPT, status_reason="will retry: x")
    queued = []
    monkeypatch.setattr(ingestion_tasks.fetch_transcript, "delay", queued.append)

    assert ingestion_tasks.retry_waiting_transcripts() == 2
    assert sorted(queued) == sorted([retry.pk, budget.pk])


# The data migration, on the words the services recorded before the codes.
migration = importlib.import_module("articles.migrations.0010_status_code")

OLD_ROWS = [
    # (status, old message, code, detail)
    ("hidden", "unpublished by an editor", "unpublished_by_editor", ""),
    ("review", "sent back to review by an editor", "sent_back_by_editor", ""),
    ("needs_transcript", "will retry: feed: HTTP 503", "retry_later", "feed: HTTP 503"),
    ("needs_transcript", "waiting: budget spent (9 of 10)", "budget", "budget spent (9 of 10)"),
    ("needs_transcript", "feed: no link; stt: off", "no_transcript", "feed: no link; stt: off"),
    ("needs_transcript", "no transcript to summarise", "no_transcript_to_summarise", ""),
    (
        "published",
        "transcript kept; the new attempt failed: will retry: stt: timed out",
        "transcript_kept",
        "will retry: stt: timed out",
    ),
    ("transcribed", "en: LLM budget spent", "llm_budget", "en: LLM budget spent"),
    ("failed", "no digest", "no_digest", ""),
    ("failed", "en: too short", "digest_failed", "en: too short"),
    ("review", "score 4.0 below 5.5", "publish_rule", "score 4.0 below 5.5"),
    ("published", "", "", ""),
]


@pytest.mark.parametrize(("status", "message", "code", "detail"), OLD_ROWS)
def test_the_migration_maps_old_messages_to_codes(status, message, code, detail):
    assert migration.code_and_detail(status, message) == (code, detail)


def test_the_migration_fills_codes_on_stored_rows_and_goes_back():
    rows = [article(status, status_reason=message) for status, message, _, _ in OLD_ROWS]
    schema_editor = SimpleNamespace(connection=connection)

    migration.fill_codes(apps, schema_editor)

    stored = [Article.objects.get(pk=r.pk) for r in rows]
    assert [(a.status_code, a.status_reason) for a in stored] == [
        (code, detail) for _, _, code, detail in OLD_ROWS
    ]
    # Unapplied, the words come back as they were.
    migration.fill_messages(apps, schema_editor)
    assert [Article.objects.get(pk=r.pk).status_reason for r in rows] == [
        m for _, m, _, _ in OLD_ROWS
    ]


def test_the_admin_lists_articles_by_reason(admin_client):
    article(Status.NEEDS_TRANSCRIPT, status_code=Reason.RETRY_LATER, title="Waits for a retry")
    article(Status.NEEDS_TRANSCRIPT, status_code=Reason.NO_TRANSCRIPT, title="Has no transcript")

    page = admin_client.get("/admin/articles/article/?status_code__exact=retry_later")

    html = page.content.decode()
    assert "Transcript failed for now, will be retried" in html  # the filter's choice
    assert "Waits for a retry" in html
    assert "Has no transcript" not in html
