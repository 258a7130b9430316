"""Commands: one `error: …` line and exit 2 on unusable input, never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env={**__import__("os").environ, "DATABASE_URL": "sqlite:///:memory:"},
    )


@pytest.mark.parametrize(
    "args",
    [
        ("ingest", "/no/such/feed.xml", "--source", "nope"),
        ("add_source", "ftp://example.org/feed", "--kind", "podcast"),
        ("add_source", "https://example.org/feed", "--topic", "not-a-topic"),
        ("import_opml", "/no/such/file.opml"),
        ("transcribe", "--article", "999999"),
        ("summarize", "--article", "999999"),
        ("poll", "--source", "missing"),
    ],
)
def test_unusable_input_exits_2_with_one_error_line(args):
    done = run("migrate", "-v", "0") if False else None  # noqa: F841 - in-memory DB per process
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys, django;"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE','newsroom.settings');"
            "django.setup();"
            "from django.core.management import call_command, execute_from_command_line;"
            "call_command('migrate', verbosity=0);"
            f"execute_from_command_line(['manage.py', *{list(args)!r}])",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**__import__("os").environ, "DATABASE_URL": "sqlite:///:memory:"},
    )
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_every_command_has_help():
    for command in (
        "add_source",
        "poll",
        "ingest",
        "import_opml",
        "export_opml",
        "transcribe",
        "summarize",
        "load_demo",
    ):
        done = run(command, "--help")
        assert done.returncode == 0, done.stderr
        assert "usage:" in done.stdout


@pytest.mark.django_db
def test_create_demo_admin_prints_the_address_make_run_serves(settings):
    import io
    import re

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.DEBUG = True
    out = io.StringIO()
    call_command("create_demo_admin", "--site", "http://127.0.0.1:8123/", stdout=out)
    printed = out.getvalue()
    assert "Admin: http://127.0.0.1:8123/admin/" in printed
    password = re.search(r"password: (\S+)", printed).group(1)
    user = get_user_model().objects.get(username="admin")
    assert user.is_staff and user.is_superuser and user.check_password(password)
