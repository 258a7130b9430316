"""Editors, readers and an article waiting for review, for the editor's desk tests."""

import pytest
from django.contrib.auth.models import Permission

from articles.models import Article
from digests import services
from tests.factories import make_article
from tests.readers import PASSWORD, _fast_password_hashing, reader  # noqa: F401


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    # On, as in production: the desk must neither come from the cache nor go into it.
    settings.PAGE_CACHE = True


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reader_client(client, reader):  # noqa: F811 (the fixture imported above)
    client.force_login(reader)
    return client


@pytest.fixture
def staff_without_permission(db, django_user_model):
    """Staff who may look at articles in the admin but not change them."""
    user = django_user_model.objects.create_user("viewer", "viewer@example.org", PASSWORD)
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


# Long enough for the extractive summariser (the regenerate button writes digests anew).
SENTENCES = [
    "Quantum computers make mistakes far more often than the chips in our laptops do.",
    "Error correction spreads one logical qubit across many physical qubits on the chip.",
    "The surface code arranges those qubits on a grid and checks their parity in rounds.",
    "Each round of checks reveals where an error probably happened without reading the data.",
    "A decoder running on ordinary hardware then guesses the most likely correction to apply.",
    "The decoder has to keep up with the machine, or the backlog of checks grows without end.",
    "Last year a team showed that adding qubits to the code finally lowered the error rate.",
    "That result matters because it means bigger codes now help rather than hurt the machine.",
    "Below the threshold, every step up in code distance halves the logical error rate again.",
    "The cost is scale, since a useful logical qubit may need a thousand physical qubits.",
    "Engineers are now working on faster decoders built into chips placed next to the fridge.",
    "Other groups bet on qubits that resist errors by design, such as cat qubits in cavities.",
    "Those designs need fewer physical qubits for each logical one, which changes the sums.",
    "Nobody expects a machine that breaks today's encryption before the next decade at least.",
    "Still, the guests agreed that the field has crossed a line that seemed far away in 2019.",
]


@pytest.fixture
def review_article(db):
    """Below the publish rule's score: the rule itself puts it in review, with its reason."""
    article = make_article(
        title="Quantum error correction, explained slowly",
        slug="quantum-error-correction",
        status=Article.Status.DIGESTED,
        score=4.0,
        digest_languages=("en", "fr"),
        transcript=[
            {"start": 6.0 * i, "end": 6.0 * (i + 1), "speaker": "Host", "text": text}
            for i, text in enumerate(SENTENCES)
        ],
    )
    assert services.article_apply_publish_rule(article=article) == Article.Status.REVIEW
    article.refresh_from_db()
    return article
