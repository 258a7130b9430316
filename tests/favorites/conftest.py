"""Readers and articles for the accounts and favorites tests."""

import pytest
from django.utils import translation

from tests.factories import make_article

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _english():
    # A request to /fr/… leaves French active in this thread; reverse() in the next test
    # would then build /fr/ URLs. Each test starts in English and leaves no language behind.
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher costs ~0.3 s a password by design; these tests check flows, not it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reader(db, django_user_model):
    return django_user_model.objects.create_user("reader", "reader@example.org", PASSWORD)


@pytest.fixture
def other_reader(db, django_user_model):
    return django_user_model.objects.create_user("other", "other@example.org", PASSWORD)


@pytest.fixture
def reader_client(client, reader):
    # force_login: Client.login() calls authenticate() without a request, which the
    # django-axes backend refuses; the sign-in tests go through the real login view.
    client.force_login(reader)
    return client


@pytest.fixture
def article(db):
    return make_article(title="Inference is getting cheaper")
