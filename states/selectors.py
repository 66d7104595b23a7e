"""Reads of States that the admin, the API and imports share."""

from django.db.models import Q

from .models import State


def state_lookup(*, term: str) -> State | None:
    """The State that `term` names: its ISO code (either case), alpha-3 code, name or another common name."""
    term = (term or "").strip()
    if not term:
        return None
    folded = term.casefold()
    candidates = State.objects.filter(
        Q(code=term.upper()) | Q(iso3=term.upper()) | Q(name__iexact=term) | Q(other_names__icontains=term)
    )
    for state in candidates:
        names = [state.code, state.iso3, state.name, *state.other_names_list]
        if folded in (name.casefold() for name in names):
            return state
    return None
