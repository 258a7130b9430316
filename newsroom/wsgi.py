"""WSGI entry point (gunicorn newsroom.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# What is loaded now (Django, the apps, every view module through the URLconf) lives as
# long as the process. Frozen, it is left out of the garbage collector's full passes,
# which otherwise re-examined all of it every few dozen requests: 80 ms stalls that
# made most of the search page's slowest 1% (docs/performance.md).
get_resolver().url_patterns  # noqa: B018 (imports every view module now)
gc.collect()
gc.freeze()
