from tqdm import tqdm

from articles import services
from articles.ingestion.provenance import TransientTranscriptError
from articles.management.base import CleanCommand, UsageError
from articles.models import Article


class Command(CleanCommand):
    help = (
        "Run the transcript chain now (feed transcript, captions, speech-to-text, show "
        "notes) for one article or for every article still waiting for a transcript."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--article", type=int, help="article id")
        target.add_argument(
            "--pending", action="store_true", help="every article that is new or needs a transcript"
        )
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            choices=["feed", "captions", "stt", "description"],
            help="skip a step (repeatable)",
        )

    def handle(self, *args, **options):
        if options["article"]:
            articles = list(Article.objects.filter(pk=options["article"]))
            if not articles:
                raise UsageError(f"no article with id {options['article']}")
        else:
            articles = list(
                Article.objects.filter(
                    status__in=[Article.Status.NEW, Article.Status.NEEDS_TRANSCRIPT]
                )
            )
        found = 0
        for article in tqdm(articles, desc="transcripts", unit="article", disable=None):
            try:
                transcript = services.transcript_fetch(article=article, skip=tuple(options["skip"]))
            except TransientTranscriptError as exc:
                services.article_set_status(
                    article=article,
                    status=Article.Status.NEEDS_TRANSCRIPT,
                    reason=f"will retry: {exc}",
                )
                self.stderr.write(f"{article.pk} {article.slug}: will retry: {exc}")
                continue
            if transcript is None:
                self.stderr.write(f"{article.pk} {article.slug}: {article.status_reason}")
                continue
            found += 1
            self.stdout.write(
                f"{article.pk} {article.slug}: {transcript.get_origin_display()}, "
                f"{transcript.word_count} words"
            )
        self.stdout.write(f"{found} of {len(articles)} articles transcribed")
