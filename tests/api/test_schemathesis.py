"""Property-based run of the whole API against its own OpenAPI schema: whatever
parameters the schema allows, no operation answers with a server error, and the
successful answers have the documented shape."""

from __future__ import annotations

import base64
import types

import hypothesis_jsonschema._from_schema as jsonschema_strategies
import pytest
import schemathesis
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.internal.conjecture import utils as conjecture_utils
from rest_framework.throttling import AnonRateThrottle
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.generation import GenerationConfig

from favorites.models import Favorite
from newsroom.wsgi import application
from tests.factories import make_article, make_digest
from tests.readers import PASSWORD

EXAMPLES_PER_OPERATION = 25
GENERATION = GenerationConfig(with_security_parameters=False)
_END = object()


class _LegacyMany:
    """hypothesis-jsonschema 0.23 (the latest) drives Hypothesis' internal many() with
    more()/reject(); recent Hypothesis releases replaced those with iteration inside a
    with-block. This adapter speaks the old protocol over the new one."""

    def __init__(self, data, min_size, max_size, average_size, **kwargs):
        self._many = conjecture_utils.many(data, min_size, max_size, average_size, **kwargs)
        self._many.__enter__()
        self._elements = iter(self._many)
        self._open = True

    def more(self) -> bool:
        if self._open and next(self._elements, _END) is not _END:
            return True
        if self._open:
            self._open = False
            self._many.__exit__(None, None, None)
        return False

    def reject(self, why=None) -> None:
        self._many.reject(why)


@pytest.fixture(autouse=True)
def _hypothesis_jsonschema_compatible(monkeypatch):
    if not hasattr(conjecture_utils.many, "more"):
        monkeypatch.setattr(jsonschema_strategies, "cu", types.SimpleNamespace(many=_LegacyMany))


@pytest.fixture
def wsgi_in_test_transaction():
    # The WSGI handler closes "old" database connections at each request, which would
    # end the test's transaction; Django's own test client disconnects it the same way.
    request_started.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
def test_no_operation_fails_whatever_the_input(wsgi_in_test_transaction, reader, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1000000/minute"})
    article = make_article(title="Quantum sensors", digest_languages=("en",))
    make_digest(article, language="fr", tldr="Capteurs quantiques.")
    make_article(title="Rust compilers", score=None)
    Favorite.objects.create(user=reader, article=article)

    schema = schemathesis.from_wsgi(
        "/api/schema/?format=json", wsgi_in_test_transaction, generation_config=GENERATION
    )
    basic = base64.b64encode(f"reader:{PASSWORD}".encode()).decode()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        # Credentials come from the test (a real reader, or none), not from the generator.
        @given(case=operation.as_strategy(generation_config=GENERATION))
        def check(case):
            # Half the cases signed in (Basic), half anonymous.
            headers = {"Authorization": f"Basic {basic}"} if hash(repr(case)) % 2 else {}
            response = case.call(headers=headers)
            case.validate_response(
                response, checks=(not_a_server_error, response_schema_conformance)
            )

        check()
