"""OpenAPI generation: every operation documents the errors it can answer with, and who may call it."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

ERROR_MEDIA_TYPES = ["application/json"]

VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Keys name the fields in error (`non_field_errors` for the request as a whole, `detail` for a body"
        " that could not be parsed); values are a message or a list of messages."
    ),
    "additionalProperties": {},
}


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")


def _anonymous_may_read(permission) -> bool:
    # A tuple, not `A | B`: DRF permission classes overload `|` to compose permissions.
    if isinstance(permission, (permissions.AllowAny, permissions.IsAuthenticatedOrReadOnly)):
        return True
    return isinstance(permission, permissions.DjangoModelPermissions) and not permission.authenticated_users_only


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The `ETag` of the version you read: the write is refused with 412 if the object changed since."
    " Without it the write still checks the object's state, but not that you saw its latest content.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    location=OpenApiParameter.HEADER,
    response=["200", "201"],
    description="The version of the object returned; send it back in `If-Match`.",
)


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, plus the 4xx answers and anonymous access DRF gives but cannot declare."""

    def _if_match(self) -> bool:
        return getattr(self.view, "action", None) in getattr(self.view, "if_match_actions", ())

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        # OpenAPI links (drf-spectacular has no decorator for them): the view lists, per action, which
        # operations can follow a response and with which values, so clients and schemathesis' stateful
        # phase can chain create -> submit -> verify.
        links = getattr(self.view, "openapi_links", {}).get(getattr(self.view, "action", None), {})
        if operation is not None:
            for code, named in links.items():
                operation["responses"][code]["links"] = named
        return operation

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._if_match():
            parameters.append(IF_MATCH)
        if getattr(self.view, "action", None) in getattr(self.view, "etag_actions", ()):
            parameters.append(ETAG)
        return parameters

    def get_auth(self):
        auths = super().get_auth()
        if (
            {} not in auths
            and self.method in permissions.SAFE_METHODS
            and all(_anonymous_may_read(permission) for permission in self.view.get_permissions())
        ):
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in self._error_statuses():
            if code in responses:
                continue
            if code == "414":
                responses[code] = {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}
                continue
            if code == "400":
                component = ResolvedComponent(
                    name="ValidationError",
                    type=ResolvedComponent.SCHEMA,
                    object="ValidationError",
                    schema=VALIDATION_ERROR_SCHEMA,
                )
                self.registry.register_on_missing(component)
                body = component.ref
            else:
                body = ErrorDetailSerializer
            responses[code] = self._get_response_for_code(body, code, media_types=ERROR_MEDIA_TYPES)
            responses[code]["description"] = description
        return responses

    def _error_statuses(self):
        unsafe = self.method not in permissions.SAFE_METHODS
        has_path_parameters = "{" in self.path
        is_list = self.method == "GET" and self._is_list_view()
        paginated = is_list and self._get_paginator() is not None
        if unsafe or paginated or (is_list and getattr(self.view, "filterset_class", None)):
            yield "400", "Invalid input: the body names each field in error."
        yield "401", "The credentials sent are invalid (or required and missing)."
        if unsafe:
            yield "403", "The caller may not do this."
        if has_path_parameters or paginated:
            yield "404", "No such object (or not visible to the caller), or no such page."
        if unsafe and self._if_match():
            yield "412", "`If-Match` names an older version: the object changed since the caller read it."
        # Answered by gunicorn itself (HTML) before Django sees the request: see docs/operations.md.
        yield "414", "The URL is longer than the web server accepts (gunicorn's `limit_request_line`)."
        if self.view.get_throttles():
            yield "429", "Too many requests; retry later."
