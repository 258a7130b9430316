"""Digest backends and how one is chosen.

`get_summarizer()` returns the backend named in settings (or by the caller); the
LLM backend is imported only when asked for, so that the offline default never
loads an HTTP client.
"""

from __future__ import annotations

from digests.base import SummarizationError, Summarizer, TopicChoice

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


def default_topic_choices(language: str = "en") -> list[TopicChoice]:
    """The starting topics (topics/defaults.py) as choices, named in `language`."""
    from topics.defaults import DEFAULT_TOPICS

    key = "name_fr" if language == "fr" else "name_en"
    return [
        TopicChoice(slug=t["slug"], name=t.get(key) or t["name_en"], keywords=tuple(t["keywords"]))
        for t in DEFAULT_TOPICS
    ]
