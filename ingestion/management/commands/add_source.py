from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from ingestion import services
from ingestion.errors import FeedError
from ingestion.fetch import FetchError
from ingestion.management.base import IngestionCommand, UsageError
from ingestion.models import Source
from topics.models import Topic


class Command(IngestionCommand):
    help = (
        "Add a feed to poll: a podcast, a YouTube channel feed or an RSS/Atom feed. The feed "
        "is fetched and read first; nothing is saved unless it is a feed (--no-check saves "
        "anyway, for a feed that is down today)."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="the feed's http(s) URL")
        parser.add_argument(
            "--kind",
            choices=[k for k, _ in Source.Kind.choices],
            help="what the feed is (default: as the feed says; podcast with --no-check)",
        )
        parser.add_argument(
            "--language",
            choices=["en", "fr"],
            help="the episodes' language (default: the feed's own, else en)",
        )
        parser.add_argument("--topic", help="default topic slug for its episodes")
        parser.add_argument("--name", default="", help="display name (default: the feed's title)")
        parser.add_argument(
            "--no-check",
            action="store_true",
            help="save without fetching the feed first (it is polled later as usual)",
        )

    def handle(self, *args, **options):
        url = options["url"].strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise UsageError(f"{url!r} is not an http(s) URL") from None
        topic = None
        if options["topic"]:
            topic = Topic.objects.filter(slug=options["topic"]).first()
            if topic is None:
                slugs = ", ".join(Topic.objects.values_list("slug", flat=True))
                raise UsageError(f"unknown topic {options['topic']!r} (known: {slugs})")
        if Source.objects.filter(feed_url=url).exists():
            raise UsageError(f"{url} is already a source")
        feed = None
        if not options["no_check"]:
            # Through the same guarded fetcher and parser as a poll: what is refused
            # here would fail every poll, so it is never saved.
            try:
                feed = services.source_feed_check(feed_url=url)
            except (FetchError, FeedError) as exc:
                raise UsageError(f"{url} was not added: {exc}") from None
        language = options["language"] or (feed.language[:2].lower() if feed else "")
        source = services.source_create(
            feed_url=url,
            kind=options["kind"] or (feed.kind if feed else Source.Kind.PODCAST),
            language=language if language in ("en", "fr") else "en",
            name=options["name"] or (feed.title if feed else ""),
            topic=topic,
            site_url=feed.link if feed else "",
        )
        self.stdout.write(f"added source {source.slug}: {source.name} ({source.feed_url})")
        if feed is not None:
            self.stdout.write(
                f"  {len(feed.episodes)} episodes in the feed ({source.kind}, "
                f"{source.language}); the next poll reads them"
            )
        else:
            self.stdout.write("  not checked (--no-check): the next poll reads it")
