"""Values every page needs: the navigation topics."""

from django.http import HttpRequest

from topics.models import Topic


def site(request: HttpRequest) -> dict:
    # Lazy: evaluated only by templates that render the navigation.
    return {"nav_topics": Topic.objects.for_nav}
