"""Reader pages for articles (thin views; reads live in ArticleQuerySet)."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from articles.models import Article


class TodayView(ListView):
    template_name = "articles/today.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_cards().order_by("-score", "-published_at")[:30]


class VideoListView(ListView):
    template_name = "articles/video_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().videos().for_cards()


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return get_object_or_404(Article.objects.published(), slug=self.kwargs["slug"])
