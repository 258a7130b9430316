"""The base of ingestion's commands: an unreadable feed or transcript and a failed fetch
are the input's fault, said in one `error: ...` line (newsroom/commands.py)."""

from __future__ import annotations

from ingestion.errors import ParseError
from ingestion.fetch import FetchError
from newsroom.commands import CleanCommand, UsageError


class IngestionCommand(CleanCommand):
    expected_errors = (UsageError, ParseError, FetchError)


__all__ = ["IngestionCommand", "UsageError"]
