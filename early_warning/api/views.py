from django.conf import settings
from django.db.models import Min, Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commitments.models import Report
from corfu_tracker.api.schema import ErrorDetailSerializer

from .. import selectors, services
from .filters import AlertFilter
from .serializers import (
    AlertDetailSerializer,
    AlertSerializer,
    CloseSerializer,
    EarlyActionSerializer,
    EarlyActionWriteSerializer,
    PublicAlertDetailSerializer,
    PublicAlertSerializer,
)


class AlertPermission(permissions.BasePermission):
    """Early warning staff read and act; others read open and closed alerts only when EARLY_WARNING_PUBLIC."""

    message = "Alerts are for staff in the Early warning group."

    def has_permission(self, request, view):
        if selectors.alert_staff_can_see(request.user):
            return True
        return request.method in permissions.SAFE_METHODS and settings.EARLY_WARNING_PUBLIC


FORBIDDEN = OpenApiResponse(
    ErrorDetailSerializer, description="Not in the Early warning group (and alerts are not public)."
)


@extend_schema_view(
    list=extend_schema(
        responses={200: AlertSerializer, 403: FORBIDDEN},
        description="Newest first. When alerts are public, callers outside the Early warning group see open and "
        "closed alerts only, without the outcome note.",
    ),
    retrieve=extend_schema(
        responses={200: AlertDetailSerializer, 403: FORBIDDEN},
        description="The figures, the reports behind the alert and the actions taken. When alerts are public, "
        "callers outside the Early warning group get no internal note or outcome, only verified reports, and "
        "actions without notes or names.",
    ),
)
class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Early-warning alerts: a rise of verified violations in a State and dimension against its own baseline."""

    permission_classes = [AlertPermission]
    filterset_class = AlertFilter
    ordering_fields = ["opened_at", "severity", "ratio"]
    ordering = ["-opened_at", "-id"]

    def permission_denied(self, request, message=None, code=None):
        # 403 for everybody, signed in or not: an anonymous caller is refused as plainly as anyone else.
        raise exceptions.PermissionDenied(message or AlertPermission.message, code)

    def _is_staff(self) -> bool:
        return selectors.alert_staff_can_see(self.request.user)

    def get_queryset(self):
        queryset = selectors.alert_list(user=self.request.user, public=settings.EARLY_WARNING_PUBLIC).annotate(
            first_action_on=Min("actions__taken_on")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("reports", queryset=Report.objects.select_related("commitment").order_by("observed_on", "id")),
                "actions__created_by",
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return AlertDetailSerializer if self._is_staff() else PublicAlertDetailSerializer
        if self.action == "close":
            return CloseSerializer
        if self.action == "actions":
            return EarlyActionWriteSerializer
        return AlertSerializer if self._is_staff() else PublicAlertSerializer

    def _respond(self, alert, status_code=status.HTTP_200_OK):
        alert = self.get_queryset().prefetch_related("reports__commitment", "actions__created_by").get(pk=alert.pk)
        return Response(AlertDetailSerializer(alert, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=None, responses={200: AlertDetailSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Someone is on it: open → acknowledged."""
        return self._respond(services.alert_acknowledge(alert=self.get_object(), user=request.user))

    @extend_schema(request=CloseSerializer, responses={200: AlertDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close with an outcome note (required). A new trigger afterwards opens a new alert."""
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = services.alert_close(
            alert=self.get_object(), user=request.user, outcome=serializer.validated_data["outcome"]
        )
        return self._respond(alert)

    @extend_schema(request=EarlyActionWriteSerializer, responses={201: EarlyActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        """Record an early action taken on the alert, dated between its opening and today."""
        serializer = EarlyActionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        early_action = services.early_action_record(
            alert=self.get_object(), user=request.user, **serializer.validated_data
        )
        return Response(EarlyActionSerializer(early_action).data, status=status.HTTP_201_CREATED)
