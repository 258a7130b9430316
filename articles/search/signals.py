"""Keep the search index current when an indexed model is saved or deleted.

A safety net under the explicit calls: the services that write articles, transcripts
and digests call `search_index_update()` themselves (or wrap their work in
`search_index_deferred()`), but the admin's forms and inlines, the shell and any
future code that saves a model get the same index through these receivers.

Signals do not cover writes that bypass them: `QuerySet.update()`,
`bulk_create()`, raw SQL. Code that changes indexed text that way calls
`search_index_update(article_ids=...)` itself; `manage.py reindex` repairs anything.
Status, score, topic and featured are not indexed (search reads them from the
article row), so the publishing actions, which use update(), need no such call.

The index is written at once, in the caller's transaction, rather than on commit:
it then commits or rolls back with the change it reflects, and tests (which run
inside a transaction that never commits) see it.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from articles.search.index import schedule_index_update

# Saving an article through these fields only (`save(update_fields=[...])`) leaves the
# indexed text as it was.
INDEXED_ARTICLE_FIELDS = {"title", "language", "source", "source_id"}


def _article_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw:  # loaddata: fixtures are indexed by `manage.py reindex`.
        return
    if update_fields is not None and not INDEXED_ARTICLE_FIELDS & set(update_fields):
        return
    schedule_index_update([instance.pk])


def _article_part_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    schedule_index_update([instance.article_id])


def _key_point_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # The digest may be gone already when a whole article is deleted.
    from articles.models import Digest

    article_id = Digest.objects.filter(pk=instance.digest_id).values_list("article_id", flat=True)
    schedule_index_update(list(article_id))


def _tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    from articles.models import Article

    if isinstance(instance, Article):
        schedule_index_update([instance.pk])
    elif model is Article and pk_set:
        schedule_index_update(pk_set)


def _tagged_item_changed(sender, instance, raw=False, **kwargs):
    # Tags added through TaggedItem itself (the admin's tag inlines) rather than article.tags.
    from articles.models import Article

    if raw or instance.content_type.model_class() is not Article:
        return
    schedule_index_update([instance.object_id])


def _tag_renamed(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    from articles.models import Article

    schedule_index_update(Article.objects.filter(tags=instance).values_list("pk", flat=True))


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
    schedule_index_update(instance.articles.values_list("pk", flat=True))


def _document_deleted(sender, instance, **kwargs):
    from articles.search.index import fts_forget

    fts_forget([instance])


post_save.connect(_article_saved, sender="articles.Article", dispatch_uid="search_article")
for _model in ("articles.Transcript", "articles.Digest"):
    post_save.connect(_article_part_changed, sender=_model, dispatch_uid=f"search_{_model}_save")
    post_delete.connect(_article_part_changed, sender=_model, dispatch_uid=f"search_{_model}_del")
post_save.connect(_key_point_changed, sender="articles.KeyPoint", dispatch_uid="search_kp_save")
post_delete.connect(_key_point_changed, sender="articles.KeyPoint", dispatch_uid="search_kp_del")
m2m_changed.connect(_tags_changed, sender="taggit.TaggedItem", dispatch_uid="search_tags")
post_save.connect(_tagged_item_changed, sender="taggit.TaggedItem", dispatch_uid="search_ti_save")
post_delete.connect(_tagged_item_changed, sender="taggit.TaggedItem", dispatch_uid="search_ti_del")
post_save.connect(_tag_renamed, sender="taggit.Tag", dispatch_uid="search_tag_renamed")
pre_save.connect(_source_saving, sender="articles.Source", dispatch_uid="search_source_pre")
post_save.connect(_source_saved, sender="articles.Source", dispatch_uid="search_source_post")
# The FTS5 rows of deleted documents (an article deleted, with its document, by cascade).
post_delete.connect(
    _document_deleted, sender="articles.SearchDocument", dispatch_uid="search_document_del"
)
