"""Clients for the API tests; readers come from tests/readers.py."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.readers import _fast_password_hashing, other_reader, reader  # noqa: F401


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def reader_api(reader):  # noqa: F811 (the fixture imported above)
    client = APIClient()
    client.force_authenticate(reader)
    return client
