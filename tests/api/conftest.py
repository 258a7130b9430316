"""Clients and readers for the API tests."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _default_language():
    # ?lang= activates a language in the request's thread: start and end each test in
    # the default one, so that reverse() builds the same URLs in every test.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def reader(db, django_user_model):
    return django_user_model.objects.create_user("reader", "reader@example.org", PASSWORD)


@pytest.fixture
def other_reader(db, django_user_model):
    return django_user_model.objects.create_user("other", "other@example.org", PASSWORD)


@pytest.fixture
def reader_api(reader):
    client = APIClient()
    client.force_authenticate(reader)
    return client
