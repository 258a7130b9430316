"""Issue 18 moved models out of the articles app without moving a byte of data.

A database filled under the old schema (articles 0007: sources, articles, transcripts,
digests with key points, the poll log, search documents, the Editors group with its
permissions, the beat schedule) is migrated to today's; everything is still there,
read through the models' new homes, and the editors keep their permissions.
Runs in a child process on a database of its own: SQLite, or a fresh PostgreSQL
database when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = Path(__file__).with_name("fill_old_schema.py")


def _database_url(tmp_path) -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'old-schema.sqlite3'}", lambda: None
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = f"newsroom_migration_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + "/" + name, drop


@pytest.mark.slow
def test_a_database_filled_under_the_old_schema_keeps_everything(tmp_path):
    url, drop = _database_url(tmp_path)
    try:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "1",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("REDIS_URL", None)
        done = subprocess.run(
            [sys.executable, str(SCRIPT)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        drop()
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["source"] == found["article_source"] == "Old Show"
    assert found["transcript"] == "Hello"
    assert found["digest"] == "It was said."
    assert found["key_points"] == ["A point"]
    assert found["log"] == 1
    assert found["document"] == "Old episode"
    # The content types moved with their models: nothing left behind under articles,
    # and the Editors group holds the same permissions under the new app labels.
    assert found["stale_types"] == []
    for perm in (
        "ingestion.change_source",
        "ingestion.view_ingestionlog",
        "digests.delete_keypoint",
        "digests.change_digest",
        "articles.change_article",
        "ingestion.change_transcript",
    ):
        assert perm in found["editor_perms"]
    assert not [
        p for p in found["editor_perms"] if p.startswith("articles.") and "article" not in p
    ]
    # The periodic tasks follow the code that runs them.
    assert any(t.startswith("articles.tasks.") for t in found["old_beat"])
    assert "ingestion.tasks.poll_due_sources" in found["beat"]
    assert not [t for t in found["beat"] if t.startswith("articles.tasks.")]
