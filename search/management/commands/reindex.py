"""manage.py reindex: rebuild the search index from the articles, with a progress bar."""

from tqdm import tqdm

from articles.models import Article
from newsroom.commands import CleanCommand, UsageError
from search.index import BATCH_SIZE, reindex, search_index_update


class Command(CleanCommand):
    help = (
        "Rebuild the search index (PostgreSQL tsvectors or SQLite FTS5) from the articles. "
        "Searches keep working meanwhile; run it after loading data without signals "
        "(loaddata, raw SQL) or after changing how documents are built."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article",
            action="append",
            metavar="SLUG",
            help="re-index only this article (repeatable)",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise UsageError("--batch-size must be at least 1")
        if options["article"]:
            ids = list(
                Article.objects.filter(slug__in=options["article"]).values_list("pk", flat=True)
            )
            if len(ids) != len(set(options["article"])):
                raise UsageError("no article with one of these slugs")
            search_index_update(article_ids=ids)
            self.stdout.write(f"re-indexed {len(ids)} article(s)")
            return
        with tqdm(
            total=Article.objects.count(),
            desc="reindex",
            unit="article",
            disable=not self.stdout.isatty(),
        ) as bar:
            done = reindex(batch_size=options["batch_size"], progress=bar.update)
        self.stdout.write(f"indexed {done} article(s)")
