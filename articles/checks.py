"""System checks: tell the operator at start what a configured feature lacks."""

from django.core.checks import Warning, register


@register()
def speech_to_text_needs_ffmpeg(app_configs, **kwargs):
    from ingestion.stt import check_ffmpeg

    problem = check_ffmpeg()
    if problem:
        return [Warning(problem, hint="apt-get install ffmpeg", id="articles.W001")]
    return []


@register()
def digest_settings_are_usable(app_configs, **kwargs):
    """A misconfigured digest backend is refused at start, not at the first episode."""
    from django.conf import settings
    from django.core.checks import Error

    from digests.backends import BACKENDS

    errors = []
    backend = settings.SUMMARIZER_BACKEND
    if backend not in BACKENDS:
        errors.append(
            Error(
                f"SUMMARIZER_BACKEND={backend!r} is not a digest backend",
                hint=f"choose one of {', '.join(BACKENDS)}",
                id="articles.E001",
            )
        )
    if backend == "llm":
        missing = [n for n in ("LLM_BASE_URL", "LLM_MODEL") if not getattr(settings, n, "")]
        if missing:
            errors.append(
                Error(
                    f"SUMMARIZER_BACKEND=llm needs {' and '.join(missing)}",
                    hint="set them to an OpenAI-compatible server and its model, or use "
                    "SUMMARIZER_BACKEND=extractive (offline)",
                    id="articles.E002",
                )
            )
    known = {code for code, _name in settings.LANGUAGES}
    unknown = [code for code in settings.DIGEST_LANGUAGES if code not in known]
    if unknown or not settings.DIGEST_LANGUAGES:
        errors.append(
            Error(
                f"DIGEST_LANGUAGES={','.join(settings.DIGEST_LANGUAGES)!r}: "
                + (f"unknown {', '.join(unknown)}" if unknown else "empty"),
                hint=f"a comma-separated list among {', '.join(sorted(known))}",
                id="articles.E003",
            )
        )
    return errors
