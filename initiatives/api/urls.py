from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from initiatives.api import dumps, views

router = SimpleRouter(trailing_slash=True)
router.register("initiatives", views.InitiativeViewSet, basename="api-initiative")
router.register("facilitators", views.FacilitatorViewSet, basename="api-facilitator")
router.register("networks", views.NetworkViewSet, basename="api-network")
router.register("countries", views.CountryViewSet, basename="api-country")
router.register("sectors", views.SectorViewSet, basename="api-sector")
router.register("crises", views.CrisisViewSet, basename="api-crisis")
router.register("tags", views.TagViewSet, basename="api-tag")

urlpatterns = [
    path("", views.root, name="api-root"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="api-schema"),
    # Swagger UI draws its icons as data: images, which only this page allows.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("dump.<str:format>", dumps.dump, name="api-dump"),
    path("", include(router.urls)),
]
