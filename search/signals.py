"""Keep the search index current when an indexed model is saved or deleted.

A safety net under the explicit calls: services that write articles, transcripts and
digests call `search_index_update()` themselves (or wrap their work in
`search_index_deferred()`), and the admin's forms and inlines, the shell and any
future code that saves a model reach the same index through these receivers.

Signals do not cover writes that bypass them: `QuerySet.update()`, `bulk_create()`,
raw SQL. Code that changes indexed text that way calls
`search_index_update(article_ids=...)` itself; `manage.py reindex` repairs anything.
Score, topic and featured are not indexed (search reads them from the article row).
The document's copies of the status and publication date (`public`, `published_at`)
are written with it and, on PostgreSQL, kept current by a trigger, so the publishing
actions, which use update(), need no call either; on SQLite nothing reads the copies
(its search reads the article row), and `manage.py reindex` rewrites them.

The index is written at once, in the caller's transaction, rather than on commit: it
then commits or rolls back with the change it reflects, and tests (which run inside a
transaction that never commits) see it.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

# Saving an article through these fields only (`save(update_fields=[...])`) leaves the
# indexed text as it was.
INDEXED_ARTICLE_FIELDS = {"title", "language", "source", "source_id"}


def _schedule(article_ids, **kwargs) -> None:
    # Imported here: this module is loaded while the models are, before index.py can be.
    from search.index import schedule_index_update

    schedule_index_update(article_ids, **kwargs)


def _article_going(origin) -> bool:
    """Whether a deletion started from an article or a source, taking its articles and
    their documents with it: the parts deleted on the way need no re-indexing."""
    from articles.models import Article
    from ingestion.models import Source

    if isinstance(origin, QuerySet):
        return issubclass(origin.model, (Article, Source))
    return isinstance(origin, (Article, Source))


def _article_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw:  # loaddata: fixtures are indexed by `manage.py reindex`.
        return
    if update_fields is not None and not INDEXED_ARTICLE_FIELDS & set(update_fields):
        return
    _schedule([instance.pk], new_article=instance if created else None)


def _part_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _schedule([instance.article_id])


def _part_deleted(sender, instance, origin=None, **kwargs):
    if not _article_going(origin):
        _schedule([instance.article_id])


def _key_point_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _schedule([instance.digest.article_id])


def _key_point_deleted(sender, instance, origin=None, **kwargs):
    if _article_going(origin):
        return
    from digests.models import Digest

    # The digest may be going too (deleted on its own): its own receiver then indexes.
    _schedule(Digest.objects.filter(pk=instance.digest_id).values_list("article_id", flat=True))


def _tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    from articles.models import Article

    if isinstance(instance, Article):
        _schedule([instance.pk])
    elif model is Article and pk_set:
        _schedule(pk_set)


def _tag_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    from articles.models import Article

    _schedule(Article.objects.filter(tags=instance).values_list("pk", flat=True))


def _source_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    # Sources are saved on every poll; only a new name changes what is indexed.
    instance._search_old_name = None
    if raw or instance.pk is None or (update_fields is not None and "name" not in update_fields):
        return
    instance._search_old_name = (
        sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    )


def _source_saved(sender, instance, created, raw=False, **kwargs):
    old_name = getattr(instance, "_search_old_name", None)
    if raw or created or old_name is None or old_name == instance.name:
        return
    _schedule(instance.articles.values_list("pk", flat=True))


def _document_deleting(sender, instance, **kwargs):
    from search.index import fts_forget

    fts_forget([instance])


post_save.connect(_article_saved, sender="articles.Article", dispatch_uid="search_article")
for _name in ("ingestion.Transcript", "digests.Digest"):
    post_save.connect(_part_saved, sender=_name, dispatch_uid=f"search_{_name}_s")
    post_delete.connect(_part_deleted, sender=_name, dispatch_uid=f"search_{_name}_d")
post_save.connect(_key_point_saved, sender="digests.KeyPoint", dispatch_uid="search_kp_s")
post_delete.connect(_key_point_deleted, sender="digests.KeyPoint", dispatch_uid="search_kp_d")
m2m_changed.connect(_tags_changed, sender="taggit.TaggedItem", dispatch_uid="search_tags")
post_save.connect(_tag_saved, sender="taggit.Tag", dispatch_uid="search_tag")
pre_save.connect(_source_saving, sender="ingestion.Source", dispatch_uid="search_source_pre")
post_save.connect(_source_saved, sender="ingestion.Source", dispatch_uid="search_source")
if connections["default"].vendor == "sqlite":
    # FTS5 forgets a row only when told its indexed text, which the deleted document
    # still holds here (loaded by the deletion). Connected on SQLite only: on
    # PostgreSQL the receiver would make every cascade load each document's vectors.
    pre_delete.connect(
        _document_deleting, sender="search.SearchDocument", dispatch_uid="search_document"
    )
