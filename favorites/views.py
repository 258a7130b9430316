from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from articles.models import Article
from favorites.models import Favorite


class FavoriteListView(LoginRequiredMixin, ListView):
    template_name = "favorites/favorite_list.html"
    context_object_name = "favorites"
    paginate_by = 20

    def get_queryset(self):
        return Favorite.objects.for_user(self.request.user).select_related("article")


@login_required
@require_POST
def favorite_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), slug=slug)
    Favorite.objects.get_or_create(user=request.user, article=article)
    return redirect(article)
