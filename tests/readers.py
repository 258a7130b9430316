"""Readers with a known password, for the API, security and favorites tests.

Their conftests import these fixtures; `_fast_password_hashing` is autouse there.
"""

from __future__ import annotations

import pytest

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher costs a noticeable fraction of a second per sign-in by design;
    # these tests check who gets in, not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reader(db, django_user_model):
    return django_user_model.objects.create_user("reader", "reader@example.org", PASSWORD)


@pytest.fixture
def other_reader(db, django_user_model):
    return django_user_model.objects.create_user("other", "other@example.org", PASSWORD)
