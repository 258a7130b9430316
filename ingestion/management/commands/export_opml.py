import sys

from ingestion import services
from ingestion.management.base import IngestionCommand
from ingestion.models import Source


class Command(IngestionCommand):
    help = "Print every source as OPML 2.0 (to import into another feed reader)."

    def handle(self, *args, **options):
        sys.stdout.buffer.write(services.sources_export_opml(sources=Source.objects.all()))
