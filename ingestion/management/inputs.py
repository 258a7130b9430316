"""What the commands read: a local file, an http(s) URL or stdin, under one size cap.

Local paths are fine here: an operator typed them. URLs go through the guarded
fetcher, which refuses internal addresses and bounds size and time. Every cap applies
the same way whatever the input is: a file too big to fetch is too big to read.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from newsroom.commands import UsageError


def read_input(source: str, *, max_bytes: int) -> tuple[bytes, str, str]:
    """(bytes, url, content type) from a local path, an http(s) URL, or '-' for stdin.

    Local paths are fine here: an operator typed them. URLs go through the fetcher,
    which refuses internal addresses and bounds size and time.
    """
    if source == "-":
        return _bounded(sys.stdin.buffer.read(max_bytes + 1), max_bytes, "stdin"), "", ""
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        # Imported here so that local files work wherever the fetcher cannot be loaded.
        from ingestion.fetch import fetch_url

        result = fetch_url(source, max_bytes=max_bytes)
        return result.content, result.url, result.headers.get("content-type", "")
    if len(scheme) > 1 and not Path(source).exists():  # one letter is a Windows drive
        raise UsageError(f"cannot read {source!r}: give a local path or an http(s) URL")
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"no such file: {source}")
    with path.open("rb") as handle:
        return _bounded(handle.read(max_bytes + 1), max_bytes, source), "", ""


def _bounded(data: bytes, max_bytes: int, name: str) -> bytes:
    if len(data) > max_bytes:
        raise UsageError(f"{name} is larger than {max_bytes} bytes")
    return data
