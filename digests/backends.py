"""Digest backends and how one is chosen.

`get_summarizer()` returns the backend named in settings (or by the caller); the
LLM backend is imported only when asked for, so that the offline default never
loads an HTTP client.
"""

from __future__ import annotations

from digests.base import SummarizationError, Summarizer
from digests.scoring import default_topic_choices  # noqa: F401 - part of this module's API

BACKENDS = ("extractive", "llm")


def get_summarizer(name: str | None = None) -> Summarizer:
    """The backend called `name`, or settings.SUMMARIZER_BACKEND when no name is given."""
    if name is None:
        from django.conf import settings

        name = getattr(settings, "SUMMARIZER_BACKEND", "extractive") or "extractive"
    if name == "extractive":
        from digests.extractive import ExtractiveSummarizer

        return ExtractiveSummarizer()
    if name == "llm":
        from digests.llm import LLMSummarizer

        return LLMSummarizer()
    raise SummarizationError(f"unknown summariser backend {name!r}; choose one of {BACKENDS}")
