from articles import services
from articles.management.base import CleanCommand, UsageError
from articles.models import Source
from topics.models import Topic


class Command(CleanCommand):
    help = "Add a feed to poll: a podcast, a YouTube channel feed or an RSS/Atom feed."

    def add_arguments(self, parser):
        parser.add_argument("url", help="the feed's http(s) URL")
        parser.add_argument(
            "--kind", choices=[k for k, _ in Source.Kind.choices], default="podcast"
        )
        parser.add_argument("--language", choices=["en", "fr"], default="en")
        parser.add_argument("--topic", help="default topic slug for its episodes")
        parser.add_argument("--name", default="", help="display name (default: the feed's title)")

    def handle(self, *args, **options):
        topic = None
        if options["topic"]:
            topic = Topic.objects.filter(slug=options["topic"]).first()
            if topic is None:
                slugs = ", ".join(Topic.objects.values_list("slug", flat=True))
                raise UsageError(f"unknown topic {options['topic']!r} (known: {slugs})")
        if Source.objects.filter(feed_url=options["url"]).exists():
            raise UsageError(f"{options['url']} is already a source")
        source = services.source_create(
            feed_url=options["url"],
            kind=options["kind"],
            language=options["language"],
            name=options["name"],
            topic=topic,
        )
        self.stdout.write(f"added source {source.slug} ({source.feed_url})")
