"""/api/favorites/ (mounted by the root URLconf, next to the articles API)."""

from rest_framework.routers import SimpleRouter

from favorites.api import FavoriteViewSet

app_name = "favorites_api"

router = SimpleRouter()
router.register("", FavoriteViewSet, basename="favorite")

urlpatterns = router.urls
