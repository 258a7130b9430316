"""The sitemap: reader pages, topics and every published article, in both languages
(alternates tell search engines which page is the translation of which)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
from topics.models import Topic


class _BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class ArticleSitemap(_BilingualSitemap):
    changefreq = "weekly"
    priority = 0.8
    # Addresses per page of the section (an article's two languages are two): 5,000
    # articles a page, which the index links one by one.
    limit = 10_000

    def items(self):
        # Only what a URL and <lastmod> need: the sitemap lists every published article.
        # Oldest first, so that a new article joins the last page rather than moving
        # every other one (Django builds the whole list for each page: the page cache
        # keeps the pages, 10,000 addresses a page).
        published = Article.objects.published().only("slug", "updated_at")
        return published.order_by("published_at", "id")

    def lastmod(self, article):
        return article.updated_at


class TopicSitemap(_BilingualSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Topic.objects.all()


class PageSitemap(_BilingualSitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return ["today", "topic_list", "videos", "archive_index"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "topics": TopicSitemap, "articles": ArticleSitemap}
