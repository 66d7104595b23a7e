"""The admin's history pages: an empty field shows as a dash, never as "Deleted user (pk=None)".

simple-history turns every foreign key it cannot load into a `DeletedObject`, including one that
was simply empty (a report's `submitted_by` before it was submitted). Every model admin with a
history uses `HistoryAdmin` instead of `SimpleHistoryAdmin`.
"""

from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


def _is_empty(value) -> bool:
    if isinstance(value, DeletedObject):
        return value.pk is None
    return value is None or value == ""


class EmptyAsDashContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        if _is_empty(value):
            return EMPTY
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return EmptyAsDashContextHelper(self.model, historical_record)
