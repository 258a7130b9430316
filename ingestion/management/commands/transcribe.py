"""Run the transcript chain now, for one article or for every one still waiting.

Exit status: 0 when every article got a transcript (or none was waiting), 1 when
some are still without one (each is listed on stderr with the reason, and left
visibly in "needs transcript"), 2 for unusable input.
"""

from __future__ import annotations

import sys

from tqdm import tqdm

from articles.models import Article
from articles.states import log_message
from ingestion import pipeline
from ingestion.management.base import IngestionCommand, UsageError
from ingestion.provenance import TransientTranscriptError
from ingestion.stt import check_ffmpeg


class Command(IngestionCommand):
    help = (
        "Run the transcript chain now (feed transcript, captions, speech-to-text, show "
        "notes) for one article or for every article still waiting for a transcript. "
        "Exits 1 when some article is left without a transcript."
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
        if options["article"] is not None:
            articles = list(Article.objects.filter(pk=options["article"]))
            if not articles:
                raise UsageError(f"no article with id {options['article']}")
        else:
            articles = list(
                Article.objects.filter(
                    status__in=[Article.Status.NEW, Article.Status.NEEDS_TRANSCRIPT]
                ).order_by("published_at", "pk")
            )
        problem = check_ffmpeg()
        if problem and "stt" not in options["skip"]:
            self.stderr.write(f"warning: {problem}")
        found = 0
        # The bar goes to the command's stderr (a terminal shows it, a log file or a
        # pipe does not: tqdm's disable=None), the per-article lines to stdout.
        bar = tqdm(
            articles, desc="transcripts", unit="article", disable=None, file=self.stderr._out
        )
        for article in bar:
            try:
                # The pipeline's transcript step alone: the digests it would start are
                # noted, not written (`manage.py summarize` writes them).
                transcript = pipeline.transcript_step(
                    article=article, then=pipeline.Noted(), skip=tuple(options["skip"]), force=True
                )
            except TransientTranscriptError as exc:
                # transcript_fetch has recorded "will retry: …" on the article.
                bar.write(f"{article.pk} {article.slug}: will retry: {exc}", file=self.stderr._out)
                continue
            if transcript is None:
                bar.write(
                    f"{article.pk} {article.slug}: "
                    f"{log_message(article.status_code, article.status_reason)}",
                    file=self.stderr._out,
                )
                continue
            found += 1
            bar.write(
                f"{article.pk} {article.slug}: {transcript.get_origin_display()}, "
                f"{transcript.word_count} words",
                file=self.stdout._out,
            )
        self.stdout.write(f"{found} of {len(articles)} articles transcribed")
        if found < len(articles):
            sys.exit(1)
