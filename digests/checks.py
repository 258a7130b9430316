"""System checks of the digest settings: a misconfiguration is refused at start."""

from django.core.checks import register


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
                id="digests.E001",
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
                    id="digests.E002",
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
                id="digests.E003",
            )
        )
    return errors
