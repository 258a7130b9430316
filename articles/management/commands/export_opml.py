import sys

from articles import services
from articles.management.base import CleanCommand
from articles.models import Source


class Command(CleanCommand):
    help = "Print every source as OPML 2.0 (to import into another feed reader)."

    def handle(self, *args, **options):
        sys.stdout.buffer.write(services.sources_export_opml(sources=Source.objects.all()))
