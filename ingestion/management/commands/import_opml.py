from pathlib import Path

from ingestion import services
from ingestion.management.base import IngestionCommand, UsageError
from ingestion.opml import check_opml_size


class Command(IngestionCommand):
    help = "Add the feeds listed in an OPML file (the format feed readers exchange) as sources."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", default="podcast", choices=["podcast", "youtube", "rss"])
        parser.add_argument("--language", default="en", choices=["en", "fr"])

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        check_opml_size(path.stat().st_size)  # before reading it into memory
        created, skipped = services.sources_import_opml(
            data=path.read_bytes(), kind=options["kind"], language=options["language"]
        )
        for line in skipped:
            self.stderr.write(f"skipped {line}")
        self.stdout.write(f"{len(created)} sources added, {len(skipped)} skipped")
