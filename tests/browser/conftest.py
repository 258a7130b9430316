"""What the browser tests share."""

import pytest

from topics.defaults import DEFAULT_TOPICS
from topics.models import Topic


@pytest.fixture
def starting_topics(transactional_db):
    """The starting topics, as the data migrations create them. tests/conftest.py
    restores migrated rows after each transactional test; this keeps the tests that ask
    for it independent of that."""
    for item in DEFAULT_TOPICS:
        Topic.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name_en": item["name_en"],
                "name_fr": item["name_fr"],
                "description_en": item["description"],
                "description_fr": item["description_fr"],
                "order": item["order"],
                "in_nav": item["in_nav"],
            },
        )
