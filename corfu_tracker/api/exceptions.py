from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler

from corfu_tracker.workflow import StaleVersion


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The object changed since you read it: fetch it again and retry with its new ETag in If-Match."
    default_code = "precondition_failed"


def api_exception_handler(exc, context):
    """Model and service errors become DRF errors: a 400 naming the field, a 403 saying why, a 412 if stale."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        # DRF's own handler would replace the service's reason (the four-eyes rule, say) by a generic message.
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, StaleVersion):
        exc = PreconditionFailed(f"{exc} Fetch it again and retry with its new ETag in If-Match.")
    return exception_handler(exc, context)
