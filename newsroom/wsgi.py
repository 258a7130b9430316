"""WSGI entry point (gunicorn newsroom.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# What is loaded now (Django, the apps and their models) lives as long as the process.
# Frozen, it is left out of the garbage collector's full passes, which otherwise
# re-examined all of it every few dozen requests: 80 ms stalls that made most of the
# search page's slowest 1% (docs/performance.md).
gc.collect()
gc.freeze()
