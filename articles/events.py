"""One way to say "this changed": the events that keep the page cache and the search
index current.

Events (sent explicitly; subscribers connect in their app's ready()):

article_content_changed(article_ids, using, visible, fields, new_article, deleted)
    What these articles show may have changed. `visible`: whether readers see (or saw,
    before the change) any of them: True, False, or None for "look it up". `fields`:
    the Article fields written, when the change was to the article row alone
    (`update(...)`, `save(update_fields=...)`); None when anything about the articles
    may have changed (a new article, a full save, a transcript, digest, key point or
    tag). `new_article`: the Article just created, when that is the change.
    `deleted`: the articles are being deleted (sent before their rows go).
site_content_changed(using)
    Something shown on many pages changed that is not one article: a topic, a tag or
    its French label, a source's name.
reader_changed(user_id, using)
    A reader's own pages changed: their favorites, feed token or account.

Services send these with `articles_changed()`, `site_changed()` and `reader_changed_send()`
after writes that send no model signal (`QuerySet.update()`, `bulk_create()`).
`batched()` collects the article events of a unit of work (a digest and its key points,
a poll's episodes) and sends one on exit.

Saves and deletes through the ORM (services, the admin's forms, the shell) reach the same
events through the adapters at the end of this module: the project's only receivers of
Django's model signals. Subscribers: articles/cached_pages.py (the page cache) and
search/apps.py (the search index).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal

article_content_changed = Signal()
site_content_changed = Signal()
reader_changed = Signal()

# Source fields that polling writes and no page or search document shows.
SOURCE_BOOKKEEPING = frozenset(
    {
        "etag",
        "last_modified",
        "last_polled_at",
        "last_success_at",
        "consecutive_failures",
        "last_error",
        "next_poll_at",
        "updated_at",
        "active",
    }
)

_batch = threading.local()


def articles_changed(
    article_ids: Iterable[int],
    *,
    using: str = DEFAULT_DB_ALIAS,
    visible: bool | None = None,
    fields: Iterable[str] | None = None,
    new_article=None,
    deleted: bool = False,
) -> None:
    """Send article_content_changed (see the module docstring), or add it to the
    enclosing `batched()` block."""
    ids = frozenset(int(pk) for pk in article_ids if pk is not None)
    if not ids:
        return
    fields = frozenset(fields) if fields is not None else None
    pending = getattr(_batch, "pending", None)
    if pending is not None and not deleted:
        key = using
        old = pending.get(key)
        if old is None:
            pending[key] = [set(ids), visible, fields]
        else:
            old[0] |= ids
            old[1] = _either(old[1], visible)
            old[2] = None if old[2] is None or fields is None else old[2] | fields
        return
    article_content_changed.send(
        sender=None,
        article_ids=ids,
        using=using,
        visible=visible,
        fields=fields,
        new_article=new_article,
        deleted=deleted,
    )


def _either(a: bool | None, b: bool | None) -> bool | None:
    """Readers saw one of them (True), maybe (None: look it up), or saw neither."""
    if a or b:
        return True
    return None if a is None or b is None else False


def site_changed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    site_content_changed.send(sender=None, using=using)


def reader_changed_send(user_id, *, using: str = DEFAULT_DB_ALIAS) -> None:
    reader_changed.send(sender=None, user_id=user_id, using=using)


@contextmanager
def batched():
    """Collect the article events the enclosed code sends and send one per database on
    exit, so that its many saves (a digest and its key points) reach the subscribers
    once. Nested blocks send when the outermost exits; an exception discards what was
    collected, as the transaction it belongs to is normally rolled back."""
    outer = getattr(_batch, "pending", None) is None
    if outer:
        _batch.pending = {}
    try:
        yield
    except BaseException:
        if outer:
            _batch.pending = None
        raise
    if outer:
        pending, _batch.pending = _batch.pending, None
        for using, (ids, visible, fields) in pending.items():
            articles_changed(ids, using=using, visible=visible, fields=fields)


# --- Adapters: model signals -> events ------------------------------------------------
# Only these receive Django's model signals, so that what the admin or the shell saves
# reaches the same subscribers as what services write. `raw` saves (loaddata) mark the
# pages stale only: fixtures are indexed by `manage.py reindex`.


def _using(kwargs) -> str:
    return kwargs.get("using") or DEFAULT_DB_ALIAS


def _going_with(origin, *labels: str) -> bool:
    """Whether a deletion started from one of these models (its own event covers the
    rows deleted with it on the way)."""
    models = tuple(apps.get_model(label) for label in labels)
    if isinstance(origin, QuerySet):
        return issubclass(origin.model, models)
    return isinstance(origin, models)


def _article_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw:
        site_changed(using=_using(kwargs))
        return
    published = instance.status == instance.Status.PUBLISHED
    # Not published now and not before either: a new article, or a save that left the
    # status alone.
    status_may_have_changed = not created and (update_fields is None or "status" in update_fields)
    articles_changed(
        [instance.pk],
        using=_using(kwargs),
        visible=published or status_may_have_changed,
        fields=update_fields,
        new_article=instance if created else None,
    )


def _article_deleting(sender, instance, **kwargs):
    articles_changed(
        [instance.pk],
        using=_using(kwargs),
        visible=instance.status == instance.Status.PUBLISHED,
        deleted=True,
    )


def _part_saved(sender, instance, raw=False, **kwargs):
    if raw:
        site_changed(using=_using(kwargs))
    else:
        articles_changed([instance.article_id], using=_using(kwargs))


def _part_deleted(sender, instance, origin=None, **kwargs):
    if not _going_with(origin, "articles.Article", "ingestion.Source"):
        articles_changed([instance.article_id], using=_using(kwargs))


def _key_point_saved(sender, instance, raw=False, **kwargs):
    if raw:
        site_changed(using=_using(kwargs))
    else:
        articles_changed([instance.digest.article_id], using=_using(kwargs))


def _key_point_deleted(sender, instance, origin=None, **kwargs):
    if _going_with(origin, "articles.Article", "ingestion.Source", "digests.Digest"):
        return
    using = _using(kwargs)
    Digest = instance._meta.get_field("digest").related_model
    ids = Digest.objects.using(using).filter(pk=instance.digest_id).values_list("article_id")
    articles_changed([pk for (pk,) in ids], using=using)


def _tagged_item_changed(sender, instance, raw=False, origin=None, **kwargs):
    # Every way of tagging an article (tags.add/remove/set/clear, the admin's inlines)
    # saves or deletes these rows, one signal each.
    using = _using(kwargs)
    if _going_with(origin, "articles.Article", "ingestion.Source"):
        return
    if raw:
        site_changed(using=using)
        return
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.db_manager(using).get_for_id(instance.content_type_id)
    if model.model_class() is apps.get_model("articles", "Article"):
        articles_changed([instance.object_id], using=using)


def _tag_saved(sender, instance, created=False, raw=False, **kwargs):
    using = _using(kwargs)
    site_changed(using=using)
    if not (raw or created):  # a renamed tag: its articles' documents hold the old name
        Article = apps.get_model("articles", "Article")
        ids = Article.objects.using(using).filter(tags=instance).values_list("pk", flat=True)
        articles_changed(ids, using=using, visible=True)


def _site_part_changed(sender, **kwargs):
    site_changed(using=_using(kwargs))


def _source_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._events_old_name = None
    if raw or instance.pk is None or (update_fields is not None and "name" not in update_fields):
        return
    old = sender.objects.using(_using(kwargs)).filter(pk=instance.pk).values_list("name")
    instance._events_old_name = next(iter(old), (None,))[0]


def _source_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    # A new source has no articles yet; polling's bookkeeping changes nothing shown.
    if created or (update_fields is not None and set(update_fields) <= SOURCE_BOOKKEEPING):
        return
    using = _using(kwargs)
    site_changed(using=using)
    old_name = getattr(instance, "_events_old_name", None)
    if not raw and old_name is not None and old_name != instance.name:
        # The source's name is part of each of its articles (cards, search keywords).
        ids = instance.articles.using(using).values_list("pk", flat=True)
        articles_changed(ids, using=using, visible=True)


def _reader_part_changed(sender, instance, **kwargs):
    reader_changed_send(instance.user_id, using=_using(kwargs))


def _reader_saved(sender, instance, **kwargs):
    reader_changed_send(instance.pk, using=_using(kwargs))


def _connect() -> None:
    """Connect the adapters (by "app.Model" names: this app imports none of the apps
    after it). Called from ArticlesConfig.ready()."""
    post_save.connect(_article_saved, sender="articles.Article", dispatch_uid="ev_article_s")
    # Before the rows go: a subscriber may still read what the article held.
    pre_delete.connect(_article_deleting, sender="articles.Article", dispatch_uid="ev_article_d")
    for name in ("ingestion.Transcript", "digests.Digest"):
        post_save.connect(_part_saved, sender=name, dispatch_uid=f"ev_{name}_s")
        post_delete.connect(_part_deleted, sender=name, dispatch_uid=f"ev_{name}_d")
    post_save.connect(_key_point_saved, sender="digests.KeyPoint", dispatch_uid="ev_kp_s")
    post_delete.connect(_key_point_deleted, sender="digests.KeyPoint", dispatch_uid="ev_kp_d")
    post_save.connect(_tagged_item_changed, sender="taggit.TaggedItem", dispatch_uid="ev_ti_s")
    post_delete.connect(_tagged_item_changed, sender="taggit.TaggedItem", dispatch_uid="ev_ti_d")
    post_save.connect(_tag_saved, sender="taggit.Tag", dispatch_uid="ev_tag_s")
    pre_save.connect(_source_saving, sender="ingestion.Source", dispatch_uid="ev_source_pre")
    post_save.connect(_source_saved, sender="ingestion.Source", dispatch_uid="ev_source_s")
    # Rare, and shown on many pages (names in cards, navigation, a tag's French label).
    for name in ("ingestion.Source", "taggit.Tag", "topics.Topic", "topics.TagLabel"):
        post_delete.connect(_site_part_changed, sender=name, dispatch_uid=f"ev_{name}_d")
    for name in ("topics.Topic", "topics.TagLabel"):
        post_save.connect(_site_part_changed, sender=name, dispatch_uid=f"ev_{name}_s")
    for name in ("favorites.Favorite", "favorites.FeedToken"):
        post_save.connect(_reader_part_changed, sender=name, dispatch_uid=f"ev_{name}_s")
        post_delete.connect(_reader_part_changed, sender=name, dispatch_uid=f"ev_{name}_d")
    post_save.connect(_reader_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="ev_user")
