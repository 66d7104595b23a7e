from django.urls import reverse
from rest_framework import serializers

from ..files import parquet_available
from ..models import ExportFormat, ExportJob, ExportStatus
from ..resources import MAX_FILTER_VALUE_LENGTH, MAX_FILTERS, RESOURCES, InvalidFilters


class ExportJobCreateSerializer(serializers.Serializer):
    resource = serializers.ChoiceField(choices=sorted(RESOURCES), help_text="What to export.")
    filters = serializers.DictField(
        child=serializers.CharField(max_length=MAX_FILTER_VALUE_LENGTH, allow_blank=True),
        required=False,
        default=dict,
        help_text='The list endpoint\'s filters, name to value, e.g. {"state": "AT", "dimension": "human"}.',
    )
    format = serializers.ChoiceField(choices=ExportFormat.choices, default=ExportFormat.CSV)

    def validate_filters(self, value: dict) -> dict:
        if len(value) > MAX_FILTERS:
            raise serializers.ValidationError(f"At most {MAX_FILTERS} filters.")
        return value

    def validate_format(self, value: str) -> str:
        if value == ExportFormat.PARQUET and not parquet_available():
            raise serializers.ValidationError("Parquet is not available on this server (pyarrow is not installed).")
        return value

    def validate(self, attrs: dict) -> dict:
        resource = RESOURCES[attrs["resource"]]
        try:
            resource.rows(user=self.context["request"].user, filters=attrs["filters"])
        except InvalidFilters as exc:
            raise serializers.ValidationError({"filters": exc.errors}) from None
        return attrs


class ExportJobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="This job's status.")
    status = serializers.ChoiceField(
        choices=ExportStatus.choices,
        source="current_status",
        read_only=True,
        help_text="`done`: the file is ready at `download_url`; `expired`: its file was deleted.",
    )
    download_url = serializers.SerializerMethodField(help_text="Where the file is, once `status` is `done`.")
    sha256 = serializers.CharField(read_only=True, help_text="SHA-256 of the file, hex; empty until done.")
    filters = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "url",
            "resource",
            "filters",
            "format",
            "status",
            "row_count",
            "byte_size",
            "sha256",
            "download_url",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "error",
        ]
        read_only_fields = fields

    def get_url(self, job) -> str:
        return self._absolute(reverse("export-detail", args=[job.pk]))

    def get_download_url(self, job) -> str | None:
        if job.current_status() != ExportStatus.DONE:
            return None
        return self._absolute(reverse("export-download", args=[job.pk]))

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
