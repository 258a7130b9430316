"""Values every page needs: the navigation topics, the site's name, the search box."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest

from topics.models import Topic

# The name the site signs with (settings.SITE_NAME), kept here under its old name too.
SITE_NAME = settings.SITE_NAME


def site(request: HttpRequest) -> dict:
    return {
        # Lazy: evaluated only by templates that render the navigation.
        "nav_topics": Topic.objects.for_nav,
        # Not "site_name": Django's auth views put their own (the host name) under that key.
        "brand_name": SITE_NAME,
        "search_query": _search_query(request),
    }


def _search_query(request: HttpRequest) -> str:
    """What the header's search box shows: the page's ?q=.

    Read here rather than as request.GET.q in the template: a query string with too
    many parameters raises on every read of request.GET, and the 400 page that
    reports it renders the same header, which would turn the 400 into a 500.
    """
    try:
        return request.GET.get("q", "")
    except SuspiciousOperation:
        return ""
