import logging
import sys

from tqdm import tqdm

from ingestion import pipeline
from ingestion import services as ingestion_services
from ingestion.management.base import IngestionCommand, UsageError
from ingestion.models import Source


class Command(IngestionCommand):
    help = (
        "Poll sources now, synchronously: fetch their feeds, store new episodes, fetch "
        "transcripts and write digests. One line per source; a failed source goes to "
        "stderr. Exit 0 when every source was polled, 1 when some failed, 2 on bad "
        "arguments."
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
        # This command reports each failure itself, once; the services' log lines (for
        # workers) would print it a second time on the console.
        services_log = logging.getLogger(ingestion_services.__name__)
        level = services_log.level
        services_log.setLevel(logging.ERROR)
        try:
            for source in tqdm(
                list(sources), desc="sources", unit="source", disable=not self.stdout.isatty()
            ):
                here = pipeline.InProcess(write_digests=not options["no_digests"])
                result = pipeline.poll_step(source=source, then=here)
                if result.error:
                    failed += 1
                    self.stderr.write(f"{source.slug}: {result.describe()}")
                    continue
                if result.warning:
                    self.stderr.write(f"warning: {source.slug}: {result.warning}")
                self.stdout.write(f"{source.slug}: {result.describe()}; {here.summary.describe()}")
        finally:
            services_log.setLevel(level)
        if failed:
            self.stderr.write(f"{failed} of {len(sources)} sources failed")
            sys.exit(1)
