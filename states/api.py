from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from .models import Membership, State, StateGroup


class StateMembershipSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Membership
        fields = ["group", "joined_on", "left_on"]


class StateSerializer(serializers.ModelSerializer):
    memberships = StateMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = State
        fields = ["code", "iso3", "name", "other_names", "admitted_on", "note", "memberships"]


class GroupMembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["state", "joined_on", "left_on", "note"]


class StateGroupSerializer(serializers.ModelSerializer):
    memberships = GroupMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = StateGroup
        fields = ["slug", "name", "description", "url", "memberships"]


class StateFilter(filters.FilterSet):
    group = filters.ModelChoiceFilter(
        field_name="memberships__group", to_field_name="slug", queryset=StateGroup.objects.all(), distinct=True
    )
    member_on = filters.DateFilter(method="filter_member_on", help_text="With `group`: members on this date.")
    admitted_before = filters.DateFilter(field_name="admitted_on", lookup_expr="lte")

    class Meta:
        model = State
        fields = ["group", "member_on", "admitted_before"]

    def filter_member_on(self, queryset, name, value):
        group = self.form.cleaned_data.get("group")
        if group is None:
            return queryset.participating_on(value)
        return queryset.members_of(group, value)


class StateViewSet(viewsets.ReadOnlyModelViewSet):
    """The 57 participating States, by ISO 3166 alpha-2 code."""

    queryset = State.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("group").order_by("joined_on"))
    )
    serializer_class = StateSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Z]{2}"
    filterset_class = StateFilter
    ordering_fields = ["code", "name", "admitted_on"]
    ordering = ["name"]


class StateGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Groups of States (EU, NATO, CSTO, CIS) with dated memberships."""

    queryset = StateGroup.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.order_by("joined_on", "state_id"))
    )
    serializer_class = StateGroupSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-z0-9_]+"
    ordering_fields = ["slug", "name"]
    ordering = ["name"]
