from django.contrib import admin
from django.db.models import Count, Q

from topics.models import Topic


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
