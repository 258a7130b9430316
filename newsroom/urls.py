"""Root URLconf.

Reader pages are under i18n_patterns: English at /, French at /fr/. The admin, the
API, feeds' machine endpoints and the health check are language-neutral.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.templatetags.static import static as static_url
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from articles.sitemaps import SITEMAPS
from newsroom import health


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page links: send them to
    the SVG. Not permanent: in production its address carries a hash of its content."""
    return HttpResponseRedirect(static_url("img/favicon.svg"))


# Issue 18 moved these models out of the articles app, and the admin's addresses
# with them: an editor's bookmark of the old address still lands on the page.
MOVED_ADMIN = {
    "source": "ingestion",
    "transcript": "ingestion",
    "ingestionlog": "ingestion",
    "digest": "digests",
    "keypoint": "digests",
}


def moved_admin_page(request: HttpRequest, model: str, rest: str) -> HttpResponse:
    query = request.META.get("QUERY_STRING", "")
    target = f"/admin/{MOVED_ADMIN[model]}/{model}/{rest}" + (f"?{query}" if query else "")
    return HttpResponsePermanentRedirect(target)


# The admin says whose it is, not "Django administration".
admin.site.site_header = admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    re_path(
        r"^admin/articles/(?P<model>source|transcript|ingestionlog|digest|keypoint)/(?P<rest>.*)$",
        moved_admin_page,
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="healthz"),
    path("api/favorites/", include("favorites.api_urls")),
    path("api/", include("api.urls")),
    # One sitemap for both languages (it lists each page's /fr/ alternate itself): an
    # index of its sections, the articles' in pages, as no sitemap file may list more
    # than 50,000 addresses.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]

urlpatterns += i18n_patterns(
    path("", include("articles.urls")),
    path("", include("desk.urls")),
    path("archives/", include("archives.urls")),
    path("", include("favorites.urls")),
    path("accounts/", include("favorites.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("search/", include("search.urls")),
    prefix_default_language=False,
)

if settings.BENCH_HELLO:
    from newsroom.pagecache import hello

    urlpatterns.append(path("bench/hello", hello))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
