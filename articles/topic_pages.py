"""Topic pages: every topic with its number of articles, and one topic's articles."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article
from topics.models import Topic


class TopicListView(ListView):
    template_name = "topics/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        # A correlated count keeps "published" defined in one place (ArticleQuerySet)
        # and the page at one query however many topics there are.
        published_count = (
            Article.objects.published()
            .filter(topic=OuterRef("pk"))
            .order_by()
            .values("topic")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Topic.objects.annotate(
            article_count=Coalesce(Subquery(published_count, output_field=IntegerField()), 0)
        )


class TopicDetailView(ListView):
    template_name = "topics/topic_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.topic = get_object_or_404(Topic, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().for_topic(self.topic).for_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)
