"""Commands print English even when an earlier request left French active in the thread."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from ingestion.models import Transcript
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_transcribe_prints_english_after_a_french_request(client):
    article = make_article()
    Transcript.objects.filter(article=article).delete()
    Transcript.objects.create(article=article, origin=Transcript.Origin.FEED)
    client.get("/fr/")  # activates French in this thread, as the locale middleware does
    translation.activate("fr")
    out = io.StringIO()
    call_command("export_opml", stdout=out)  # any command: the language is reset inside
    assert translation.get_language() == "fr"  # and restored afterwards
    from newsroom.commands import CleanCommand

    seen = []

    class Probe(CleanCommand):
        def handle(self, *args, **options):
            seen.append(str(Transcript.Origin.STT.label))

    Probe().execute(
        no_color=True,
        force_color=False,
        skip_checks=True,
        stdout=out,
        stderr=io.StringIO(),
        traceback=False,
        verbosity=1,
        settings=None,
        pythonpath=None,
    )
    assert [str(x) for x in seen] == ["Speech-to-text"]
    translation.deactivate()
