"""Subscribe to the scorecard digests: anonymous, throttled, create only, and discreet."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from commitments.models import Dimension
from states.models import State

from .. import subscriptions
from ..models import Frequency, Subscription

ACCEPTED = (
    "Thank you. If this address is not subscribed yet, a confirmation email is on its way: "
    "open the link in it to start receiving the digest."
)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class SubscriptionCreateSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(max_length=254)
    states = serializers.ListField(
        child=serializers.CharField(max_length=2, min_length=2),
        required=False,
        default=list,
        max_length=100,
        help_text='ISO 3166-1 alpha-2 codes of participating States, e.g. ["AT", "FR"]; empty = all.',
    )
    dimensions = serializers.ListField(
        child=serializers.SlugField(max_length=50),
        required=False,
        default=list,
        max_length=10,
        help_text="Dimension slugs (politico-military, economic-environmental, human); empty = all.",
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.QUARTERLY)

    class Meta:
        model = Subscription
        fields = ["email", "states", "dimensions", "frequency"]

    def validate_email(self, value: str) -> str:
        problem = subscriptions.email_address_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def validate_states(self, value: list[str]) -> list[str]:
        codes = _unique(code.strip().upper() for code in value)
        known = set(State.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown State code(s): {', '.join(unknown)}. Use ISO 3166-1 alpha-2 codes of OSCE participating "
                "States, as listed at /api/v1/states/ (e.g. AT, FR)."
            )
        return codes

    def validate_dimensions(self, value: list[str]) -> list[str]:
        slugs = _unique(slug.strip().lower() for slug in value)
        known = set(Dimension.objects.values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown dimension(s): {', '.join(unknown)}. Use any of {', '.join(sorted(known))}."
            )
        return slugs


class SubscriptionViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Subscribe an email address to the monthly or quarterly scorecard digest (double opt-in).

    Always answers 202 with the same message, whether or not the address is
    already subscribed. Nothing is sent but the confirmation email until its
    link is opened; every digest has a one-click unsubscribe link.
    """

    queryset = Subscription.objects.none()
    serializer_class = SubscriptionCreateSerializer
    permission_classes = [permissions.AllowAny]
    # No session authentication: a logged-in browser needs no CSRF token to subscribe, like everybody else.
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "subscribe"

    @extend_schema(
        responses={202: inline_serializer("SubscriptionAccepted", {"detail": serializers.CharField()})},
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscriptions.subscription_subscribe(
            email=data["email"],
            state_codes=data["states"],
            dimension_slugs=data["dimensions"],
            frequency=data["frequency"],
        )
        return Response({"detail": ACCEPTED}, status=status.HTTP_202_ACCEPTED)
