"""/api/v1/ (the JSON API), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI) and
/api/tokens/ (a signed-in user's API tokens)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import views, viewsets

# path() routes with named integer ids (school_id, cycle_id...), as every page of the app: the
# access sweep builds their URLs from the kwarg names.
router = SimpleRouter(use_regex_path=False)
router.register("schools", viewsets.SchoolViewSet, basename="api-school")
router.register("teachers", viewsets.TeacherViewSet, basename="api-teacher")
router.register("cycles", viewsets.CycleViewSet, basename="api-cycle")
router.register("agreed-moves", viewsets.AgreedMoveViewSet, basename="api-agreed-move")
router.register("observations", viewsets.ObservationViewSet, basename="api-observation")
router.register("revisits", viewsets.RevisitViewSet, basename="api-revisit")
router.register("time-entries", viewsets.TimeEntryViewSet, basename="api-time-entry")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", views.ApiDocsView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/tokens/", views.api_tokens, name="api_tokens"),
]
