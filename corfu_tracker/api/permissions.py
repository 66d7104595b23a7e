from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly, IsAuthenticatedOrReadOnly


class CatalogueWritePermission(DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads the catalogue; writing needs the model's add/change/delete permission (Catalogue editors)."""

    def has_permission(self, request, view):
        # A read needs no model permission; answering before the parent asks the view for its queryset spares
        # building it twice per request (the recommendations list's annotated one is a few milliseconds).
        if request.method in SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class ActionPermissions(IsAuthenticatedOrReadOnly):
    """Anyone reads; each write action needs the model permissions the view lists for it.

    The view maps actions to permissions in `action_permissions` (`{"create": ["app.add_model"], ...}`);
    an action it does not list is refused. A signed-in user in no group has none of them: 403.
    """

    message = "Your account has no role that may do this: ask an administrator to add you to the right group."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS or view.action is None:
            return True  # no action: a method the view does not route, which it answers with a 405
        required = getattr(view, "action_permissions", {}).get(view.action)
        return required is not None and request.user.has_perms(required)
