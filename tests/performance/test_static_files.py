"""Static files in production mode: hashed names, compressed copies, a year of cache."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic as production runs it (DEBUG off: the compressed manifest storage)."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path, json.loads((tmp_path / "staticfiles.json").read_text())["paths"]


def test_settings_choose_the_compressed_manifest_storage_when_debug_is_off():
    from django.conf import settings

    # The test run has DEBUG on at import (the default): the choice is made there.
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    assert backend in {PRODUCTION_STORAGE, "django.contrib.staticfiles.storage.StaticFilesStorage"}
    source = (settings.BASE_DIR / "newsroom" / "settings.py").read_text()
    assert PRODUCTION_STORAGE in source
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_files_get_hashed_names_and_compressed_copies(collected):
    root, paths = collected
    hashed = paths["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    assert (root / hashed).exists()
    assert (root / f"{hashed}.gz").exists()


def test_pages_link_the_hashed_names(collected):
    _, paths = collected
    page = Client().get("/")
    assert f"/static/{paths['css/site.css']}".encode() in page.content
    assert b'href="/static/css/site.css"' not in page.content


def test_hashed_files_are_served_compressed_and_cached_for_a_year(collected):
    _, paths = collected
    client = Client()  # a new client: WhiteNoise reads STATIC_ROOT when it starts
    response = client.get(f"/static/{paths['css/site.css']}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    cache_control = response["Cache-Control"]
    assert "max-age=315360000" in cache_control and "immutable" in cache_control
    # The unhashed name still answers, but briefly cached: it changes with each release.
    plain = client.get("/static/css/site.css")
    assert plain.status_code == 200
    assert "immutable" not in plain.get("Cache-Control", "")
