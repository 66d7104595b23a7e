"""OpenAPI generation: every operation documents the errors it can answer with, and who may call it."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
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


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, plus the 4xx answers and anonymous access DRF gives but cannot declare."""

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
        if self.view.get_throttles():
            yield "429", "Too many requests; retry later."
