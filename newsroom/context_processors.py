"""Values every page needs: the navigation topics and the site's name."""

from django.http import HttpRequest

from topics.models import Topic

SITE_NAME = "newsroom"


def site(request: HttpRequest) -> dict:
    return {
        # Lazy: evaluated only by templates that render the navigation.
        "nav_topics": Topic.objects.for_nav,
        "site_name": SITE_NAME,
    }
