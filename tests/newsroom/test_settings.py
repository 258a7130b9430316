"""Settings fail loudly in production when a secret is missing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Python with `args`, in a fresh process, without this run's SECRET_KEY and DEBUG."""
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _import_settings(**env):
    return _run("-c", "import newsroom.settings as s; print(s.DEBUG, s.SECRET_KEY[:4])", **env)


def test_production_without_secret_key_refuses_to_start():
    done = _import_settings(DEBUG="0")
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


def test_production_with_secret_key_starts():
    done = _import_settings(DEBUG="0", SECRET_KEY="a-real-secret-from-the-environment")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "a-re"]


def test_development_has_a_default_key():
    done = _import_settings(DEBUG="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "True"


def _manage_check(**env):
    return _run("manage.py", "check", **{"DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:", **env})


def test_an_unknown_digest_backend_is_refused_at_start():
    done = _manage_check(SUMMARIZER_BACKEND="gpt")
    assert done.returncode != 0
    assert "digests.E001" in done.stderr and "'gpt' is not a digest backend" in done.stderr


def test_the_llm_backend_without_a_server_is_refused_at_start():
    done = _manage_check(SUMMARIZER_BACKEND="llm", LLM_BASE_URL="", LLM_MODEL="")
    assert done.returncode != 0
    assert "digests.E002" in done.stderr and "LLM_BASE_URL and LLM_MODEL" in done.stderr


def test_unknown_digest_languages_are_refused_at_start():
    done = _manage_check(DIGEST_LANGUAGES="en,de")
    assert done.returncode != 0
    assert "digests.E003" in done.stderr and "unknown de" in done.stderr


def test_the_default_configuration_passes_its_checks():
    done = _manage_check(SUMMARIZER_BACKEND="extractive", DIGEST_LANGUAGES="en,fr")
    assert done.returncode == 0, done.stderr


def test_debug_is_off_unless_asked():
    # A forgotten DEBUG=0 must not skip the SECRET_KEY refusal: off is the default.
    done = _import_settings()
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr
    done = _import_settings(SECRET_KEY="a-real-secret-from-the-environment")
    assert done.stdout.split()[0] == "False"


def test_what_serves_the_site_refuses_without_a_key_while_manage_py_develops():
    served = _run("-c", "import newsroom.wsgi")
    assert served.returncode != 0 and "SECRET_KEY must be set" in served.stderr
    command = _run("manage.py", "check", DATABASE_URL="sqlite:///:memory:")
    assert command.returncode == 0, command.stderr
