"""Fixtures for the page-cache tests."""

import pytest
from django.utils import translation

PASSWORD = "a-long-enough-password-42"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    # The cache is what these tests are about, whatever the environment says.
    settings.PAGE_CACHE = True
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
