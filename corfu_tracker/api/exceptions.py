from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from corfu_tracker.workflow import StaleVersion


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The object changed since you read it: fetch it again and retry with its new ETag in If-Match."
    default_code = "precondition_failed"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def _validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """By field; a model's errors about the whole row (Django's "__all__") under DRF's non-field key."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if not hasattr(exc, "error_dict"):
        return {non_field: exc.messages}
    return {non_field if name == NON_FIELD_ERRORS else name: messages for name, messages in exc.message_dict.items()}


def api_exception_handler(exc, context):
    """Model and service errors become DRF errors: a 400 naming the field, a 403 saying why, a 412 if stale."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        # DRF's own handler would replace the service's reason (the four-eyes rule, say) by a generic message.
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, StaleVersion):
        exc = PreconditionFailed(f"{exc} Fetch it again and retry with its new ETag in If-Match.")
    elif isinstance(exc, RequestDataTooBig):
        # Raised while DRF reads `request.body` (bounded by DATA_UPLOAD_MAX_MEMORY_SIZE): JSON, not Django's HTML 400.
        exc = RequestTooLarge(f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")
    elif isinstance(exc, SuspiciousOperation):
        # Too many form fields or files (DATA_UPLOAD_MAX_NUMBER_FIELDS / _FILES), a malformed multipart body.
        exc = exceptions.ParseError(str(exc) or None)
    return exception_handler(exc, context)
