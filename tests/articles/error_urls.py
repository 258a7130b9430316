"""The site's URLconf plus two views that fail, for the 500 tests (tests/articles/test_chrome.py).

Imported only by the URL resolver, during a request: importing newsroom.urls earlier (at
collection, while DEBUG is still on) would add its DEBUG-only routes for the whole run.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("something broke")


def database_down(request):
    from topics.models import Topic

    return Topic.objects.count()  # outside a django_db test: database access raises


urlpatterns = [
    *i18n_patterns(
        path("boom/", boom),
        path("database-down/", database_down),
        prefix_default_language=False,
    ),
    *site_urlpatterns,
]
