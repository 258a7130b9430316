from django.conf import settings

from ingestion import pipeline
from ingestion.management.base import IngestionCommand, UsageError
from ingestion.management.inputs import read_input
from ingestion.models import Source


class Command(IngestionCommand):
    help = (
        "Ingest one feed now from a local file or a URL into a source. Local files are "
        "allowed here because an operator typed them; a Source's URL never reads files."
    )

    def add_arguments(self, parser):
        parser.add_argument("path_or_url", help="a feed file, an http(s) URL, or '-' for stdin")
        parser.add_argument("--source", required=True, help="slug of the source to fill")
        parser.add_argument("--no-digests", action="store_true")

    def handle(self, *args, **options):
        source = Source.objects.filter(slug=options["source"]).first()
        if source is None:
            raise UsageError(f"no source with slug {options['source']!r}")
        # The same cap as a poll's fetch, for a URL, a local file or stdin alike.
        data, _url, _type = read_input(
            options["path_or_url"], max_bytes=settings.FETCH_MAX_FEED_BYTES
        )
        here = pipeline.InProcess(write_digests=not options["no_digests"])
        result = pipeline.poll_step(source=source, data=data, then=here)
        if result.error:
            raise UsageError(result.error)
        if result.warning:
            self.stderr.write(f"warning: {result.warning}")
        self.stdout.write(f"{source.slug}: {result.describe()}; {here.summary.describe()}")
