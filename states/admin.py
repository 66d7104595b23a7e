from django.contrib import admin
from django.db.models import Case, Value, When
from django.utils import timezone

from .models import Membership, State, StateGroup
from .selectors import state_lookup


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["group", "state"]
    fields = ["group", "state", "joined_on", "left_on", "note"]


class StateMembershipInline(MembershipInline):
    autocomplete_fields = ["group"]
    fields = ["group", "joined_on", "left_on", "note"]


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["code", "iso3", "name", "admitted_on", "note"]
    list_filter = ["memberships__group"]
    search_fields = ["code", "iso3", "name", "other_names"]
    ordering = ["name"]
    date_hierarchy = "admitted_on"
    inlines = [StateMembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # The ISO code is the public key (API URLs, imports): fixed once created.
        return ["code"] if obj else []

    def get_search_results(self, request, queryset, search_term):
        """Also searches other names (Turkey, UK); the State the term names exactly comes first.

        "UK" matches Ukraine too; the autocomplete of a report's State offers the United Kingdom first.
        """
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        exact = state_lookup(term=search_term)
        if exact is not None:
            results = results.order_by(Case(When(pk=exact.pk, then=Value(0)), default=Value(1)), "name")
        return results, may_have_duplicates


@admin.register(StateGroup)
class StateGroupAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "current_member_count"]
    search_fields = ["slug", "name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    @admin.display(description="members today")
    def current_member_count(self, obj):
        return obj.members_on(timezone.localdate()).count()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["state", "group", "joined_on", "left_on", "note"]
    list_filter = ["group", "left_on"]
    search_fields = ["state__name", "state__code", "group__name", "group__slug"]
    autocomplete_fields = ["group", "state"]
    list_select_related = ["state", "group"]
