from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


class ModelCleanSerializer(serializers.ModelSerializer):
    """Runs the model's own validation (clean + constraints), so the API refuses what the admin refuses."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        many_to_many = {name: attrs.pop(name) for name in list(attrs) if self._is_many_to_many(name)}
        instance = self.instance or self.Meta.model()
        original = {name: getattr(instance, name) for name in attrs} if self.instance else {}
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(validate_unique=True)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        finally:
            for name, value in original.items():
                setattr(instance, name, value)
        attrs.update(many_to_many)
        return attrs

    def _is_many_to_many(self, name):
        field = self.Meta.model._meta.get_field(name)
        return field.many_to_many


class SlugRelatedField(serializers.SlugRelatedField):
    """Refuses a NUL character before the lookup: PostgreSQL raises an error for it instead of finding nothing."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
