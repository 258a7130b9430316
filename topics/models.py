from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TopicQuerySet(models.QuerySet):
    def for_nav(self) -> "TopicQuerySet":
        """Topics shown in the main navigation (Crypto, and any an editor flags)."""
        return self.filter(in_nav=True).order_by("order", "slug")


class Topic(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_fr = models.CharField(_("name (French)"), max_length=80)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("Comma-separated words that suggest this topic to the summariser."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    in_nav = models.BooleanField(_("in navigation"), default=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topic_detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en

    @property
    def description(self) -> str:
        if (get_language() or "en").startswith("fr") and self.description_fr:
            return self.description_fr
        return self.description_en

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class TagLabel(models.Model):
    """A tag's name in French, written by an editor in the admin.

    Tags are django-taggit's: one name each, as digests and feeds write it (English, or
    a proper name that needs no translation). French pages show this label where an
    editor gave one, and the tag's own name otherwise. Its own small table rather than a
    custom tag model, so that taggit's tables and every existing tag stay as they are.
    """

    tag = models.OneToOneField(
        "taggit.Tag",
        verbose_name=_("tag"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="label",
    )
    name_fr = models.CharField(
        _("name (French)"),
        max_length=100,
        blank=True,
        help_text=_("Shown on French pages instead of the tag's name. Empty: the name."),
    )

    class Meta:
        verbose_name = _("tag label")
        verbose_name_plural = _("tag labels")

    def __str__(self) -> str:
        return self.name_fr or str(self.tag_id)


def tag_label(tag, language: str | None = None) -> str:
    """What a reader sees of `tag` in `language` (default: the active one): its French
    label on French pages when it has one, its name otherwise. Load tags with
    select_related("label") to read many without a query each."""
    language = language or get_language() or "en"
    if language.startswith("fr"):
        try:
            label = tag.label
        except TagLabel.DoesNotExist:
            label = None
        if label is not None and label.name_fr.strip():
            return label.name_fr.strip()
    return tag.name
