from pathlib import Path

from articles import services
from articles.management.base import CleanCommand, UsageError
from articles.models import Source


class Command(CleanCommand):
    help = (
        "Ingest one feed now from a local file or a URL into a source. Local files are "
        "allowed here because an operator typed them; a Source's URL never reads files."
    )

    def add_arguments(self, parser):
        parser.add_argument("path_or_url")
        parser.add_argument("--source", required=True, help="slug of the source to fill")
        parser.add_argument("--no-digests", action="store_true")

    def handle(self, *args, **options):
        source = Source.objects.filter(slug=options["source"]).first()
        if source is None:
            raise UsageError(f"no source with slug {options['source']!r}")
        target = options["path_or_url"]
        if target.startswith(("http://", "https://")):
            from django.conf import settings

            from articles.ingestion.fetch import fetch_url

            data = fetch_url(target, max_bytes=settings.FETCH_MAX_FEED_BYTES).content
        else:
            path = Path(target)
            if not path.is_file():
                raise UsageError(f"{target}: no such file")
            data = path.read_bytes()
        result = services.source_poll(source=source, data=data)
        if result.error:
            raise UsageError(result.error)
        processed = services.articles_process(
            article_ids=result.new_article_ids, digests=not options["no_digests"]
        )
        self.stdout.write(f"{source.slug}: {result.describe()}; {processed.describe()}")
