from tqdm import tqdm

from articles import services
from articles.management.base import CleanCommand, UsageError
from articles.models import Source


class Command(CleanCommand):
    help = (
        "Poll sources now, synchronously: fetch their feeds, store new episodes, "
        "fetch transcripts and write digests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", help="slug of one source (default: every active one)")
        parser.add_argument(
            "--no-digests", action="store_true", help="store episodes and transcripts only"
        )

    def handle(self, *args, **options):
        sources = Source.objects.filter(active=True)
        if options["source"]:
            sources = Source.objects.filter(slug=options["source"])
            if not sources.exists():
                raise UsageError(f"no source with slug {options['source']!r}")
        failed = 0
        for source in tqdm(
            list(sources), desc="sources", unit="source", disable=not self.stdout.isatty()
        ):
            result = services.source_poll(source=source)
            if result.error:
                failed += 1
                self.stderr.write(f"{source.slug}: {result.error}")
                continue
            new = services.articles_process(
                article_ids=result.new_article_ids, digests=not options["no_digests"]
            )
            self.stdout.write(
                f"{source.slug}: {result.outcome}, {result.seen} seen, "
                f"{len(result.new_article_ids)} new, {new} processed"
            )
        if failed and failed == sources.count():
            raise UsageError("every source failed; see the errors above")
