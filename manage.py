#!/usr/bin/env python
"""Django's command-line utility for newsroom."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # manage.py is the developer's and operator's tool: development settings unless the
    # environment says DEBUG=0, as production's does. What serves the site (gunicorn
    # through wsgi.py) and the Celery workers default to off, so a forgotten DEBUG=0
    # there refuses to start without a SECRET_KEY.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
