from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article
from topics.models import Topic


class TopicListView(ListView):
    template_name = "topics/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.all()


class TopicDetailView(ListView):
    template_name = "topics/topic_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return Article.objects.published().for_topic(self.topic).for_cards()
