"""A base for our commands: unusable input ends in one `error: …` line and exit 2.

Django's CommandError prints "CommandError: …" and exits 1; operators and scripts
(corpus-check among them) expect the Unix convention instead, and never a traceback.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation


class UsageError(Exception):
    """Input the command cannot use; the message is shown as is."""


class CleanCommand(BaseCommand):
    # Expected failures of the input or of the outside world; anything else is a bug
    # and keeps its traceback. An app's commands add their own (ingestion: the
    # unreadable feed, the failed fetch).
    expected_errors: tuple[type[BaseException], ...] = (UsageError,)

    def execute(self, *args, **options):
        try:
            # Operators read English, whatever language an earlier request in this
            # thread left active (a command run from a test or a shell, say).
            with translation.override(settings.LANGUAGE_CODE):
                return super().execute(*args, **options)
        except (*self.expected_errors, OSError, ValueError) as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            sys.stderr.write(f"error: {message}\n")
            sys.exit(2)
