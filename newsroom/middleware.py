"""Security headers Django does not set by itself."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def _policy(*, styles: str, images: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            # Scripts only from our own origin, everywhere (site, admin, API pages): an
            # injected <script> in a feed title could not run even if escaping failed.
            "script-src 'self'",
            f"style-src {styles}",
            f"img-src {images}",
            # Episodes play from the site itself or over HTTPS; a plain-HTTP enclosure
            # is linked, not played in the page (mixed content, and readable in transit).
            "media-src 'self' https:",
            "frame-src https://www.youtube-nocookie.com https://www.youtube.com",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# The reader's pages: no inline script or style anywhere in our templates.
CONTENT_SECURITY_POLICY = _policy(styles="'self'", images="'self' https: data:")
# Django's admin and the browsable API and Swagger pages run no inline script either
# (the docs use drf-spectacular's split view), but their templates carry inline
# style attributes, and the admin's widgets draw with data: images.
TOOL_SECURITY_POLICY = _policy(styles="'self' 'unsafe-inline'", images="'self' data:")
_TOOL_PREFIXES = ("/admin/", "/api/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        tool = request.path.startswith(_TOOL_PREFIXES)
        response.headers.setdefault(
            "Content-Security-Policy", TOOL_SECURITY_POLICY if tool else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        # A page rendered for a signed-in reader (their name in the header, their
        # stars, a form with their CSRF token) must never sit in a shared cache, whatever
        # the view said; "no-store" already says more.
        # Without a session cookie nobody is signed in, and asking request.user would
        # load the session and add "Vary: Cookie" to every anonymous page.
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and "no-store" not in response.get("Cache-Control", "")
        ):
            patch_cache_control(response, private=True)
        return response
