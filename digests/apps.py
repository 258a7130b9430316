"""Digests and key points: the backends that write them, grounding, scoring."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = _("Digests")

    def ready(self) -> None:
        from digests import checks  # noqa: F401 - registers the system checks
