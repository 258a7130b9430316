from tqdm import tqdm

from articles.models import Article
from digests.models import Digest
from ingestion import pipeline
from ingestion.management.base import IngestionCommand, UsageError


class Command(IngestionCommand):
    help = "Write digests for stored articles (one article, or every one that has none yet)."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--article", type=int, help="article id (its digests are rewritten)")
        target.add_argument(
            "--pending",
            action="store_true",
            help="every transcribed article without a ready digest",
        )
        parser.add_argument("--backend", choices=["extractive", "llm"])

    def handle(self, *args, **options):
        if options["article"]:
            articles = list(Article.objects.filter(pk=options["article"]))
            if not articles:
                raise UsageError(f"no article with id {options['article']}")
        else:
            articles = list(
                Article.objects.filter(transcript__isnull=False)
                .exclude(digests__status=Digest.Status.READY)
                .exclude(status=Article.Status.HIDDEN)
            )
        for article in tqdm(articles, desc="digests", unit="article", disable=None):
            digests = pipeline.digests_step(article=article, backend=options["backend"], force=True)
            states = (
                ", ".join(
                    f"{d.language} {d.status}" + (f" ({d.error})" if d.error else "")
                    for d in digests
                )
                or "no digest"
            )
            article.refresh_from_db(fields=["status"])
            self.stdout.write(f"{article.pk} {article.slug}: {states} -> {article.status}")
