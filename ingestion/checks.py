"""System checks of ingestion: tell the operator at start what a configured feature lacks."""

from django.core.checks import Warning, register


@register()
def speech_to_text_needs_ffmpeg(app_configs, **kwargs):
    from ingestion.stt import check_ffmpeg

    problem = check_ffmpeg()
    if problem:
        return [Warning(problem, hint="apt-get install ffmpeg", id="ingestion.W001")]
    return []
