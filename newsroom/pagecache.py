"""A page cache that never serves stale content, or anyone else's, to a reader.

What is cached
    The reader pages the apps register (register_pages: CACHEABLE_URL_NAMES), as an
    anonymous reader sees them,
    in the Django cache (Redis in production), keyed by scheme, host, language and
    path with its query string. Only an anonymous render of these pages is stored
    (a search's, only once the same query is asked again: SECOND_ASK_URL_NAMES).
    A reader's own pages (PRIVATE_URL_NAMES: /favorites/) are stored too, for that
    reader alone (see PRIVATE_URL_NAMES).

What is never stored
    Anything personal. A page carries two things that differ between readers:
    - CSRF tokens (the language switch and the stars are POST forms). A page to be
      stored is rendered with a placeholder for its tokens, and each response gets a
      fresh token of its own reader's secret (`get_token`), exactly as a render would.
    - The reader's identity: the stars (saved or not, "sign in" hint) and the account
      corner (sign in / sign out). Their places in the body are remembered as slots.

Signed-in readers
    get the same stored body with the slots filled for them: the account corner is
    rendered from `includes/account.html` with the reader's own request, and each star
    is the "saved" or "not saved" version of `favorites/_star.html` as a signed-in
    reader sees it; which stars are saved costs one query. Slots are only trusted
    after two checks when the anonymous page is stored: each slot's template, rendered
    for that anonymous request, must reproduce the very text found in the page; and a
    star rendered for two different (made-up) signed-in readers must come out the
    same, i.e. show nothing of who reads it. If either fails (a template changed, a
    star rendered with other context), signed-in readers get a full render instead.

Staff
    get every page rendered for them, never a stored one, and their renders are never
    stored: an editor's article page carries the editor's desk (desk/desk.py), a
    banner and buttons for any article, published or not.

Freshness
    One version number covers every page. It is bumped when anything a page shows
    changes: articles, transcripts, digests, key points, tags and their French labels,
    topics, sources: the apps' content events (articles/events.py) call
    `pages_changed()` and `reader_changed()` (subscribed in articles/cached_pages.py);
    this module imports no app, which register what it must know of them. It is
    bumped at once and again after the transaction commits, so a render that read the
    database before the commit can never outlive it. Entries expire by themselves at
    the next local midnight (Today changes its day), at the next scheduled
    publication, and after PAGE_CACHE_TIMEOUT seconds at most.

Conditional GET
    Cached pages and feeds get a weak ETag (the stored body, plus the reader's CSRF
    secret and, when signed in, their identity and saved stars) and anonymous ones a
    Last-Modified (when the page was stored); a matching request gets a 304.

A cache that is not shared between processes (local memory) cannot see bumps made
by other processes, so settings turn this off by default when DEBUG is off and there
is no Redis (see PAGE_CACHE in settings.py).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# Reader pages whose content is the same for every anonymous reader of a URL (search
# results from their second ask: SECOND_ASK_URL_NAMES). Not favorites or accounts
# (personal), not the admin or the API.
# Filled by the apps (register_pages), each for the pages it owns: the cache knows
# URL names, never the apps' views or models.
CACHEABLE_URL_NAMES: set[str] = set()
# Pages stored only when asked for a second time (within PAGE_CACHE_TIMEOUT): most
# searches are asked once, and storing a page costs a fifth of rendering it; nor can
# a stream of made-up queries fill the cache with pages nobody reads.
SECOND_ASK_URL_NAMES: set[str] = set()
# A reader's own pages (their favorites), cached for that reader alone: keyed by their
# id, invalidated by their own version (bumped when their favorites, feed token or
# account change) as well as the pages' version, and kept briefly because they show
# times relative to now ("saved 3 minutes ago").
PRIVATE_URL_NAMES: set[str] = set()


def register_pages(*url_names: str, second_ask: bool = False, private: bool = False) -> None:
    """Let the cache keep these pages (by URL name): as an anonymous reader sees them,
    or, `private`, for each signed-in reader alone; `second_ask`, only from the second
    time the same page is asked for."""
    if private:
        PRIVATE_URL_NAMES.update(url_names)
        return
    CACHEABLE_URL_NAMES.update(url_names)
    if second_ask:
        SECOND_ASK_URL_NAMES.update(url_names)


PRIVATE_TIMEOUT = 60
VERSION_KEY = "pagecache:version"
READER_VERSION_KEY = "pagecache:reader:{}"
DUE_KEY = "pagecache:due"
ENTRY_PREFIX = "pagecache:"
# Longer query strings are not worth a cache entry (and would let anyone fill the cache).
MAX_QUERY_STRING = 200
ACCOUNT_TEMPLATE = "includes/account.html"


# --- What the apps tell the page cache ------------------------------------------------
# This module imports no app: the apps register what it needs to know of them.


class Star:
    """A personal part of a page that depends on the reader only through "saved or not"
    (registered by the app that owns it: favorites/apps.py).

    template: rendered with `item` in its context (an instance of `model`).
    model: the objects in a view's context that carry one.
    stand_in(obj): a copy holding only what the star shows (what the cache keeps).
    saved_ids(user, pks): which of those the reader has saved (one query).
    """

    def __init__(self, *, template: str, model: type, context_name: str, stand_in, saved_ids):
        self.template, self.model, self.context_name = template, model, context_name
        self.stand_in, self.saved_ids = stand_in, saved_ids


_star: Star | None = None
_next_publication = None


def register_star(star: Star) -> None:
    global _star
    _star = star


def register_schedule(next_publication) -> None:
    """`next_publication()`: when the next scheduled item appears (a datetime or None)."""
    global _next_publication
    _next_publication = next_publication


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE", True)


def page_timeout() -> int:
    return getattr(settings, "PAGE_CACHE_TIMEOUT", 600)


# --- Invalidation ---------------------------------------------------------------------


def _fresh_version() -> int:
    # Time-based, so a version key lost (evicted, Redis restarted) never comes back
    # with a value that entries stored before the loss still carry.
    return time.time_ns() // 1000


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet, or the cache is unreachable (fails open)
        cache.set(VERSION_KEY, _fresh_version(), None)


def current_version(found: int | None = None) -> int:
    """The version pages are stored under now (`found`: as just read from the cache),
    started if there is none: what else is cached until the pages change (a fragment
    of one) can be stored under it too."""
    version = cache.get(VERSION_KEY) if found is None else found
    if version is None:
        version = _fresh_version()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def _refresh_due() -> None:
    """Remember when the next scheduled article appears, so that pages stored before
    then expire then (a publication that no write announces)."""
    due = _next_publication() if _next_publication is not None else None
    cache.set(DUE_KEY, due.timestamp() if due else 0, None)


def _after_commit() -> None:
    _bump()
    _refresh_due()


def pages_changed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Every cached page is stale from now on. Called by the subscriptions to the
    content events (articles/cached_pages.py), not by code that writes."""
    _bump()
    connection = connections[using]
    if not connection.in_atomic_block:
        _refresh_due()
        return
    # Once more after the commit: a page rendered from the rows as they were before it
    # may have been stored under the version bumped above. Once per transaction.
    if not any(entry[1] is _after_commit for entry in connection.run_on_commit):
        transaction.on_commit(_after_commit, using=using)


def _bump_reader(user_id) -> None:
    key = READER_VERSION_KEY.format(user_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _fresh_version(), None)


def reader_changed(user_id, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """The reader's own pages are stale: their favorites, feed or account changed.
    Bumped at once and after the commit, as pages_changed() does."""
    _bump_reader(user_id)
    if connections[using].in_atomic_block:
        transaction.on_commit(lambda: _bump_reader(user_id), using=using)


# --- Entries ----------------------------------------------------------------------------


def _key(request: HttpRequest, kind: str) -> str:
    raw = "|".join(
        [request.scheme, request.get_host(), get_language() or "", request.get_full_path()]
    )
    return f"{ENTRY_PREFIX}{kind}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def _expires_in(due: float | None) -> int:
    """Seconds an entry stored now may live (see Freshness in the module docstring)."""
    now = timezone.localtime()
    midnight = timezone.make_aware(
        datetime.combine(now.date() + timedelta(days=1), datetime.min.time()),
        now.tzinfo,
    )
    limits = [page_timeout(), (midnight - now).total_seconds()]
    if due:
        limits.append(due - time.time())
    return max(1, int(min(limits)))


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:20]


class _Entry:
    """What the middleware stores for one URL: the anonymous page and, when the
    self-check passed, the same page cut into slots for signed-in readers."""

    __slots__ = (
        "version", "stored_at", "etag", "headers", "pieces", "parts", "star_pks", "placeholder",
        "owner",
    )  # fmt: skip

    def __init__(
        self, version, stored_at, etag, headers, pieces, parts=None, star_pks=(), placeholder="",
        owner=None,
    ):  # fmt: skip
        self.version, self.stored_at, self.etag, self.headers = version, stored_at, etag, headers
        # Anonymous: the body as bytes, cut where the CSRF token goes.
        self.pieces = pieces
        # Signed in: str pieces and slots ("account",) or ("star", pk, slug, title),
        # with `placeholder` where the CSRF token goes.
        self.parts = parts
        self.star_pks = star_pks
        self.placeholder = placeholder
        # The reader a private page belongs to (None: a page for everyone).
        self.owner = owner

    def __getstate__(self):
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)


def _new_placeholder() -> str:
    # Random per entry: no article text can contain it by accident.
    return f"\x00csrf-{secrets.token_hex(8)}\x00"


# --- Rendering the personal parts ---------------------------------------------------------


_PROBE_SLUG = "pagecache-probe-slug"


def _star_stand_in_probe():
    class _Probe:
        pk, slug, title = 0, _PROBE_SLUG, ""

    return _star.stand_in(_Probe())


class _Renderer:
    """Renders the personal templates of one page for one request, as the page's own
    render would (a RequestContext, the CSRF token as `placeholder`), with the context
    processors run once rather than once per star."""

    def __init__(self, request: HttpRequest, placeholder: str, **extra):
        from django.template import RequestContext

        self.context = RequestContext(request)
        # Pushed after the processors' slot, so that it wins over them (as a view's
        # context does): the token stays a placeholder.
        self.context.push(csrf_token=placeholder, **extra)
        self._binding = None

    def __call__(self, template_name: str, **context) -> str:
        template = get_template(template_name).template
        if self._binding is None:
            self._binding = self.context.bind_template(template)
            self._binding.__enter__()
        with self.context.push(**context):
            return template.render(self.context)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._binding is not None:
            self._binding.__exit__(*exc)


def _context_articles(response) -> list:
    """Articles the view put in its context (the cards and the article itself), read
    from what is already loaded: never a query."""
    from django.core.paginator import Page
    from django.db.models import QuerySet

    found, seen = [], set()
    if _star is None:
        return found

    def visit(value, depth=0):
        if isinstance(value, _star.model):
            if value.pk not in seen:
                seen.add(value.pk)
                found.append(value)
        elif depth > 1:
            return
        elif isinstance(value, Page):
            visit(value.object_list, depth + 1)
        elif isinstance(value, QuerySet):
            if value._result_cache is not None:
                for item in value._result_cache:
                    visit(item, depth + 1)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item, depth + 1)

    for value in (getattr(response, "context_data", None) or {}).values():
        visit(value)
    return found


def _probe_readers():
    """Two signed-in readers who are nobody: a star rendered for each must come out the
    same, or the star depends on who reads it and is rendered per request instead."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return [
        User(pk=-1, username="pagecache-probe-one", email="one@probe.invalid"),
        User(pk=-2, username="pagecache-probe-two", email="two@probe.invalid"),
    ]


class _AsReader:
    """The request as `user` would make it, for the length of a `with` block."""

    def __init__(self, request: HttpRequest, user):
        self.request, self.user = request, user

    def __enter__(self):
        self.saved = self.request.__dict__.get("user")
        self.request.user = self.user
        return self.request

    def __exit__(self, *exc):
        self.request.user = self.saved


def _signed_in_stars(request, placeholder: str, stand_ins: list) -> list[tuple[str, str]] | None:
    """(not saved, saved) for each article, as any signed-in reader sees them; None if
    the star shows something of the reader beyond "signed in" and "saved"."""
    probes = _probe_readers()
    variants = []
    for index, article in enumerate(stand_ins):
        readers = probes if index == 0 else probes[:1]  # one check per page is enough
        rendered = set()
        for reader in readers:
            with _AsReader(request, reader):
                with _Renderer(request, placeholder, favorite_ids=frozenset()) as render:
                    unsaved = render(_star.template, **{_star.context_name: article})
                with _Renderer(request, placeholder, favorite_ids=frozenset([article.pk])) as r:
                    saved = r(_star.template, **{_star.context_name: article})
            rendered.add((unsaved, saved))
        if len(rendered) != 1:
            return None
        variants.append(rendered.pop())
    return variants


def _personal_parts(request, body: str, placeholder: str, response) -> tuple[list, list] | None:
    """Cut the anonymous body into text and slots, or None if any slot fails the check."""
    try:
        get_template(ACCOUNT_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    stand_ins = []
    with _Renderer(request, placeholder, favorite_ids=frozenset()) as render:
        account = render(ACCOUNT_TEMPLATE)
        if body.count(account) != 1:
            return None
        slots: list[tuple[str, object]] = [(account, "account")]
        probe = None
        if _star is not None:
            try:
                probe = render(_star.template, **{_star.context_name: _star_stand_in_probe()})
            except (TemplateDoesNotExist, NoReverseMatch):
                probe = None
        if probe is not None:
            # What every star begins with (up to its article's slug): a star left in the
            # body after the slots below are cut out is one the check could not explain.
            star_marker = probe[: probe.index(_PROBE_SLUG)]
            for article in _context_articles(response):
                stand_in = _star.stand_in(article)
                html = render(_star.template, **{_star.context_name: stand_in})
                if html in body:
                    slots.append((html, len(stand_ins)))
                    stand_ins.append(stand_in)
    variants = _signed_in_stars(request, placeholder, stand_ins)
    if variants is None:
        return None
    # Cut the body at every slot, left to right.
    spans = []
    for html, slot in slots:
        start = body.find(html)
        while start != -1:
            spans.append((start, start + len(html), slot))
            start = body.find(html, start + len(html))
    spans.sort()
    parts, position = [], 0
    for start, end, slot in spans:
        if start < position:
            return None  # overlapping matches: do not guess
        if slot == "account":
            parts += [body[position:start], ("account",)]
        else:
            unsaved, saved = variants[slot]
            parts += [body[position:start], ("star", stand_ins[slot].pk, unsaved, saved)]
        position = end
    parts.append(body[position:])
    if probe is not None and any(
        isinstance(p, str) and star_marker in p for p in parts
    ):  # a star that no slot explains
        return None
    return parts, [article.pk for article in stand_ins]


def _fill(request: HttpRequest, entry: _Entry) -> tuple[str, str]:
    """The signed-in page: the stored text with the reader's own account corner and
    stars (one query for which are saved), CSRF placeholders still inside; and a
    digest of what in it is the reader's own (for the ETag)."""
    saved = frozenset(_star.saved_ids(request.user, entry.star_pks)) if _star else frozenset()
    with _Renderer(request, entry.placeholder) as render:
        account = render(ACCOUNT_TEMPLATE)
    out = []
    for part in entry.parts:
        if isinstance(part, str):
            out.append(part)
        elif part[0] == "account":
            out.append(account)
        else:
            _, pk, unsaved, saved_html = part
            out.append(saved_html if pk in saved else unsaved)
    return "".join(out), _digest(account, sorted(saved))


# --- The middleware ---------------------------------------------------------------------------


class _Plan:
    __slots__ = ("key", "version", "due", "private", "second_ask", "placeholder")

    def __init__(self, key, version, due, private=False, second_ask=False):
        self.key, self.version, self.due, self.private = key, version, due, private
        self.second_ask = second_ask
        # What the page's CSRF tokens are rendered as (process_template_response): the
        # stored page holds no reader's token, and this reader's goes in on the way out.
        self.placeholder = _new_placeholder()


def _csrf_secret(request: HttpRequest) -> str:
    return request.META.get("CSRF_COOKIE", "")


def _has_pending_messages(request: HttpRequest) -> bool:
    if settings.MESSAGE_STORAGE.endswith(("CookieStorage", "FallbackStorage")):
        from django.contrib.messages.storage.cookie import CookieStorage

        if CookieStorage.cookie_name in request.COOKIES:
            return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.session_key and session.get("_messages"))


class PageCacheMiddleware:
    """Serve cacheable reader pages from the cache; store anonymous renders.

    Placed after the session, locale, CSRF and authentication middleware: it needs
    the reader, the language and the CSRF secret, and its responses go back out
    through all of them (which set the CSRF cookie and the Vary headers as usual).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        plan = getattr(request, "_page_cache_plan", None)
        if plan is None or response.streaming:
            return response
        # Set by get_token(): a token of this reader's that the page may hold and that
        # the cache cannot tell from other text. Such a page is never stored.
        foreign_token = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        token = get_token(request) if plan.placeholder.encode() in response.content else None
        if not foreign_token:
            try:
                self._store(request, response, plan)
            except Exception:  # never fail a page because it could not be cached
                logger.exception("page cache: could not store %s", request.path)
        if token is not None:
            response.content = response.content.replace(plan.placeholder.encode(), token.encode())
        return response

    def process_template_response(self, request, response):
        plan = getattr(request, "_page_cache_plan", None)
        if plan is not None:
            # Pushed over the context processors' token (a view's context wins over
            # theirs): every {% csrf_token %} of the page renders as the placeholder.
            response.context_data = {
                **(response.context_data or {}),
                "csrf_token": plan.placeholder,
            }
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not enabled() or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None:
            return None
        private = match.url_name in PRIVATE_URL_NAMES
        if not (private or match.url_name in CACHEABLE_URL_NAMES):
            return None
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return None
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in and user.is_staff:
            # Staff pages carry the editor's desk (desk/desk.py: any article with a
            # banner and buttons): never served from the cache, never stored in it.
            return None
        if (private and not signed_in) or _has_pending_messages(request):
            return None
        kind = f"p{user.pk}" if private else "u" if signed_in else "a"
        key = _key(request, kind)
        keys = [VERSION_KEY, DUE_KEY, key]
        if private:
            keys.append(READER_VERSION_KEY.format(user.pk))
        found = cache.get_many(keys)
        version = current_version(found.get(VERSION_KEY))
        due = found.get(DUE_KEY)
        if due and time.time() >= due:
            _after_commit()  # a scheduled article is out now: every page is stale
            version = cache.get(VERSION_KEY, version)
            due = cache.get(DUE_KEY)
            found.pop(key, None)
        if private:
            reader_version = found.get(keys[-1])
            if reader_version is None:
                _bump_reader(user.pk)
                reader_version = cache.get(keys[-1])
            version = (version, reader_version)
        entry = found.get(key)
        owner = user.pk if private else None
        if entry is not None and entry.version == version and entry.owner == owner:
            try:
                return self._serve(request, entry, signed_in and not private)
            except Exception:  # a page that cannot be filled in is rendered instead
                logger.exception("page cache: could not serve %s", request.path)
                return None
        if private or not signed_in:
            second_ask = match.url_name in SECOND_ASK_URL_NAMES
            request._page_cache_plan = _Plan(key, version, due, private, second_ask)
        return None

    # Serving -----------------------------------------------------------------

    def _serve(self, request: HttpRequest, entry: _Entry, signed_in: bool) -> HttpResponse:
        if signed_in:
            text, personal = _fill(request, entry)
            if entry.placeholder in text:
                text = text.replace(entry.placeholder, get_token(request))
            body = text.encode()
            etag = _digest(entry.etag, _csrf_secret(request), request.user.pk, personal)
            last_modified = None
        else:
            if len(entry.pieces) > 1:
                body = get_token(request).encode().join(entry.pieces)
            else:
                body = entry.pieces[0]
            # A reader's own page: their id too, and no date (it changes with them).
            etag = _digest(entry.etag, _csrf_secret(request), entry.owner)
            last_modified = None if entry.owner is not None else entry.stored_at
        response = HttpResponse(body)
        for name, value in entry.headers:
            response[name] = value
        return self._conditional(request, response, etag, last_modified)

    @staticmethod
    def _conditional(request, response, etag: str, last_modified: float | None):
        response["ETag"] = f'W/"{etag}"'
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        # Revalidate every time: the page is per reader (CSRF token, stars) and an edit
        # must show on the next request, so no cache may reuse it unasked.
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-cache"
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(last_modified) if last_modified is not None else None,
            response=response,
        )

    # Storing -------------------------------------------------------------------

    def _store(self, request: HttpRequest, response: HttpResponse, plan: _Plan) -> None:
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or "no-store" in response.get("Cache-Control", "")
            or "private" in response.get("Cache-Control", "")
            # A view that varies its page on a header knows something the key does not.
            or response.has_header("Vary")
        ):
            return
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return  # the page changed the reader's session: it is not anonymous-generic
        if plan.second_ask and cache.add(f"{plan.key}:asked", 1, page_timeout()):
            return  # asked for the first time: remembered, stored if asked again
        charset = response.charset or "utf-8"
        body = response.content.decode(charset)
        placeholder = plan.placeholder
        secret = _csrf_secret(request)
        if secret and secret in body:
            return  # an unmasked secret in a page is never cached (nor should it be)
        owner = request.user.pk if plan.private else None
        personal = None if plan.private else _personal_parts(request, body, placeholder, response)
        now = time.time()
        etag = _digest(plan.version, body)
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in {"etag", "last-modified", "content-length"}
        ]
        pieces = [piece.encode(charset) for piece in body.split(placeholder)]
        entries = {plan.key: _Entry(plan.version, now, etag, headers, pieces, owner=owner)}
        if personal is not None:
            parts, star_pks = personal
            entries[_key(request, "u")] = _Entry(
                plan.version, now, etag, headers, None,
                parts=parts, star_pks=tuple(star_pks), placeholder=placeholder,
            )  # fmt: skip
        timeout = _expires_in(plan.due)
        cache.set_many(entries, min(timeout, PRIVATE_TIMEOUT) if plan.private else timeout)
        # This response too carries the validators a later conditional request will use.
        response["ETag"] = f'W/"{_digest(etag, secret, owner)}"'
        if owner is None:
            response["Last-Modified"] = http_date(now)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-cache"


# --- The benchmark's ceiling ------------------------------------------------------------


def hello(request: HttpRequest) -> HttpResponse:
    """Hello, world: the cheapest page the stack can serve, through the same middleware.
    Wired at /bench/hello only when BENCH_HELLO is set (bench/run.py does)."""
    return HttpResponse(b"Hello, world\n", content_type="text/plain")
