"""Signed-in clients and articles for the accounts and favorites tests; readers come
from tests/readers.py."""

import pytest

from tests.factories import make_article
from tests.readers import PASSWORD, _fast_password_hashing, other_reader, reader  # noqa: F401


@pytest.fixture
def reader_client(client, reader):  # noqa: F811 (the fixture imported above)
    # force_login: Client.login() calls authenticate() without a request, which the
    # django-axes backend refuses; the sign-in tests go through the real login view.
    client.force_login(reader)
    return client


@pytest.fixture
def article(db):
    return make_article(title="Inference is getting cheaper")
