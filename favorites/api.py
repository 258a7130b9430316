"""The favorites API: a signed-in reader lists, adds and removes their saved articles.

GET /api/favorites/ (newest first), POST /api/favorites/ {"article": "<slug>"},
GET and DELETE /api/favorites/<slug>/. Session or HTTP Basic authentication; both
adding and removing are idempotent, like the star on the site.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.pagination import CheckedCursorPagination
from api.serializers import ArticleSerializer
from api.views import LANG_PARAMETER, ConditionalGetMixin, LanguageMixin
from articles.models import Article
from favorites import services
from favorites.models import Favorite


class FavoriteSerializer(serializers.ModelSerializer):
    article = ArticleSerializer(read_only=True)
    saved_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Favorite
        fields = ["article", "saved_at"]


class FavoriteCreateSerializer(serializers.Serializer):
    article = serializers.SlugField(max_length=200, help_text="The slug of a published article.")

    def validate_article(self, slug: str) -> Article:
        article = Article.objects.published().filter(slug=slug).first()
        if article is None:
            raise serializers.ValidationError(_("No published article has this slug."))
        return article


class FavoritePagination(CheckedCursorPagination):
    page_size = 20
    max_page_size = 100
    ordering = ("-created_at", "-id")


@extend_schema_view(
    list=extend_schema(summary="The reader's favorites, newest first", parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(
        summary="Whether the reader saved this article (404 if not)", parameters=[LANG_PARAMETER]
    ),
    create=extend_schema(
        summary="Save an article",
        request=FavoriteCreateSerializer,
        responses={200: FavoriteSerializer, 201: FavoriteSerializer},
    ),
    destroy=extend_schema(summary="Forget an article", responses={204: None}),
)
class FavoriteViewSet(
    ConditionalGetMixin,
    LanguageMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in reader's saved articles."""

    permission_classes = [IsAuthenticated]
    serializer_class = FavoriteSerializer
    pagination_class = FavoritePagination
    filter_backends: list = []
    lookup_field = "article__slug"
    lookup_url_kwarg = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    # One reader's data: no shared cache may keep it.
    cache_control = {"private": True, "no_cache": True}

    def get_queryset(self):
        favorites = Favorite.objects.for_user(self.request.user).published().with_cards()
        return favorites.prefetch_related("article__tags")  # the API lists each one's tags

    def create(self, request, *args, **kwargs):
        incoming = FavoriteCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        article = incoming.validated_data["article"]
        existed = Favorite.objects.for_user(request.user).filter(article=article).exists()
        favorite = services.favorite_add(user=request.user, article=article)
        return Response(
            self.get_serializer(favorite).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    def destroy(self, request, *args, **kwargs):
        # A reader may forget an article an editor has since hidden, but learns nothing
        # about hidden articles they never saved.
        article = get_object_or_404(
            Article.objects.filter(
                Q(pk__in=Article.objects.published()) | Q(favorites__user=request.user)
            ).distinct(),
            slug=kwargs["slug"],
        )
        services.favorite_remove(user=request.user, article=article)
        return Response(status=status.HTTP_204_NO_CONTENT)
