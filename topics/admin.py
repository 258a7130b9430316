from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from topics.models import TagLabel, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_en", "name_fr", "order", "in_nav", "published_count")
    list_editable = ("order", "in_nav")
    search_fields = ("slug", "name_en", "name_fr")
    prepopulated_fields = {"slug": ("name_en",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_published=Count("articles", filter=Q(articles__status="published")))
        )

    @admin.display(description="published articles", ordering="_published")
    def published_count(self, obj):
        return obj._published


class TagLabelInline(admin.StackedInline):
    model = TagLabel
    can_delete = False
    max_num = 1
    min_num = 0
    extra = 1
    verbose_name = _("French label")
    verbose_name_plural = _("French label")


# taggit's own tag admin (merge, tagged items) with the French label on the same page.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    inlines = [TagLabelInline, *TaggitTagAdmin.inlines]
    list_display = ["name", "french_label", "slug"]
    search_fields = ["name", "label__name_fr"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("label")

    @admin.display(description=_("name (French)"), ordering="label__name_fr")
    def french_label(self, obj) -> str:
        try:
            return obj.label.name_fr
        except TagLabel.DoesNotExist:
            return ""
