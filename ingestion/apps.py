"""Sources, polling, feed and transcript parsing, captions, speech-to-text."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestionConfig(AppConfig):
    name = "ingestion"
    verbose_name = _("Ingestion")

    def ready(self) -> None:
        from ingestion import checks  # noqa: F401 - registers the system checks
