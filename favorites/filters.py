"""Filters for the reader's favorites page."""

import django_filters
from django.utils.translation import gettext_lazy as _

from favorites.models import Favorite
from topics.models import Topic


class FavoriteFilter(django_filters.FilterSet):
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="article__topic",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        empty_label=_("All topics"),
    )

    class Meta:
        model = Favorite
        fields: list[str] = []
