from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from commitments.api.views import (
    CommitmentViewSet,
    DimensionViewSet,
    ReportViewSet,
    SourceDocumentViewSet,
    ThemeViewSet,
)
from early_warning.api.views import AlertViewSet
from exports.api.views import ExportJobViewSet
from recommendations.api.views import (
    AssessmentViewSet,
    FollowUpIndexViewSet,
    InstitutionViewSet,
    RecommendationViewSet,
)
from scorecards.api.subscriptions import SubscriptionViewSet
from scorecards.api.views import GroupScorecardViewSet, ScorecardViewSet
from states.api import StateGroupViewSet, StateViewSet

from .auth import ObtainTokenView

router = DefaultRouter()
router.register("states", StateViewSet, basename="state")
router.register("groups", StateGroupViewSet, basename="group")
router.register("dimensions", DimensionViewSet, basename="dimension")
router.register("documents", SourceDocumentViewSet, basename="document")
router.register("themes", ThemeViewSet, basename="theme")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("reports", ReportViewSet, basename="report")
router.register("scorecards", ScorecardViewSet, basename="scorecard")
router.register("group-scorecards", GroupScorecardViewSet, basename="group-scorecard")
router.register("subscriptions", SubscriptionViewSet, basename="subscription")
router.register("alerts", AlertViewSet, basename="alert")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("follow-up", FollowUpIndexViewSet, basename="follow-up")
router.register("exports", ExportJobViewSet, basename="export")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
