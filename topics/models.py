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
