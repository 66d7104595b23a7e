from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class CatalogueWritePermission(DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads the catalogue; writing needs the model's add/change/delete permission (Catalogue editors)."""
