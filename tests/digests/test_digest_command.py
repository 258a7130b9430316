"""`manage.py digest`: a digest from a file or stdin, printed, with nothing stored.

The command runs in-process (call_command) with stdin replaced, except one test
that runs the real `manage.py digest - --json` the way scripts and benchmarks do.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from digests.base import SCORE_PARTS

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "summarization"
EN_FIXTURE = FIXTURES / "crypto_podcast_en.txt"
FR_FIXTURE = FIXTURES / "tech_podcast_fr.txt"

KEYS = {
    "language",
    "tldr",
    "key_points",
    "conclusion",
    "score",
    "score_parts",
    "topic",
    "tags",
    "backend",
    "model",
}


def stdin_turns(path: Path) -> str:
    """The fixture as plain `Speaker: text` lines, without its time markers."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line.split("] ", 1)[1] for line in lines if line.strip())


def run(monkeypatch, capsys, *args: str, stdin: str | bytes = "") -> tuple[int, str, str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = 0
    try:
        call_command("digest", *args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_digest_shape(digest: dict) -> None:
    assert set(digest) == KEYS
    assert 5 <= len(digest["key_points"]) <= 10
    for point in digest["key_points"]:
        assert set(point) == {"heading", "body", "start", "quote"}
        assert point["heading"] and point["body"] and len(point["quote"].split()) >= 6
    assert set(digest["score_parts"]) == set(SCORE_PARTS)
    assert 0 <= digest["score"] <= 10
    assert digest["backend"] == "extractive"


def test_a_file_gives_json_with_seconds_and_the_detected_language(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, str(EN_FIXTURE), "--json", "--backend", "extractive")
    assert code == 0, err
    digest = json.loads(out)
    assert_digest_shape(digest)
    assert digest["language"] == "en"
    assert digest["topic"] == "crypto"
    starts = [p["start"] for p in digest["key_points"]]
    assert all(isinstance(s, float) for s in starts) and starts == sorted(starts)


def test_stdin_speaker_lines_give_a_digest_without_times(monkeypatch, capsys):
    code, out, err = run(
        monkeypatch, capsys, "-", "--json", "--backend", "extractive", stdin=stdin_turns(EN_FIXTURE)
    )
    assert code == 0, err
    digest = json.loads(out)
    assert_digest_shape(digest)
    assert all(p["start"] is None for p in digest["key_points"])
    source = stdin_turns(EN_FIXTURE)
    assert all(p["quote"] in source for p in digest["key_points"])


def test_french_is_detected_and_written_in_french(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, str(FR_FIXTURE), "--json", "--backend", "extractive")
    assert code == 0, err
    digest = json.loads(out)
    assert digest["language"] == "fr"
    assert "é" in digest["tldr"] or "è" in digest["tldr"]  # printed as text, not \u escapes


def test_plain_output_is_readable(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, str(EN_FIXTURE), "--backend", "extractive")
    assert code == 0, err
    assert out.startswith("TL;DR")
    assert "Key points" in out and "Conclusion" in out and "/10" in out


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["-"], "", "empty"),
        (["-"], "   \n\n", "empty"),
        (["-"], "Host: Hello and welcome.\nGuest: Thanks!", "too short"),
        (["does-not-exist.txt"], "", "no such file"),
        (["-", "--language", "fr"], None, "own language only"),
    ],
)
def test_bad_input_exits_2_with_one_error_line(monkeypatch, capsys, args, stdin, message):
    data = stdin_turns(EN_FIXTURE) if stdin is None else stdin
    code, out, err = run(
        monkeypatch, capsys, *args, "--json", "--backend", "extractive", stdin=data
    )
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], err
    assert "Traceback" not in err


def test_the_real_command_reads_stdin(tmp_path):
    """What a script runs: `manage.py digest - --json` with the turns piped in."""
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "digest",
            "-",
            "--json",
            "--backend",
            "extractive",
        ],
        input=stdin_turns(EN_FIXTURE).encode(),
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert_digest_shape(json.loads(proc.stdout))
    empty = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "digest", "-", "--json"],
        input=b"",
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert empty.returncode == 2
    assert empty.stderr.decode().strip().startswith("error: ")
    assert len(empty.stderr.decode().strip().splitlines()) == 1
