from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FavoritesConfig(AppConfig):
    name = "favorites"
    verbose_name = _("Favorites")

    def ready(self) -> None:
        # The star on every article card is the page cache's personal part: it knows
        # it only from here (newsroom/pagecache.py imports no app).
        from articles.models import Article
        from favorites.models import Favorite
        from newsroom import pagecache

        def stand_in(article):
            # What a star shows of an article, and nothing else: what the cache keeps.
            return Article(pk=article.pk, slug=article.slug, title=article.title)

        def saved_ids(user, article_ids):
            return Favorite.objects.for_user(user).article_ids(article_ids)

        pagecache.register_star(
            pagecache.Star(
                template="favorites/_star.html",
                model=Article,
                context_name="article",
                stand_in=stand_in,
                saved_ids=saved_ids,
            )
        )
        # A reader's own favorites page, kept for that reader alone.
        pagecache.register_pages("favorite_list", private=True)
