"""Serializers of digital work in the company API (issue 9): answer form versions and
proposals, and imports of items. Input serializers validate the shape; jobs/items.py and
jobs/answer_forms.py say what a form may be and what a file must look like."""

from rest_framework import serializers

from companies.api_fields import MomentField
from jobs.answer_forms import MAX_FIELDS
from jobs.digital_models import AnswerForm, ItemImport
from jobs.item_files import COLUMN_NAME_LENGTH, MAX_COLUMNS


class AnswerFormIn(serializers.Serializer):
    fields = serializers.ListField(
        child=serializers.DictField(),
        min_length=1,
        max_length=MAX_FIELDS,
        help_text="The field specs, in order (docs/api.md, “Digital work”).",
    )


class AnswerFormOut(serializers.ModelSerializer):
    created_at = MomentField(read_only=True)

    class Meta:
        model = AnswerForm
        fields = ["version", "status", "fields", "created_at"]


class ItemImportIn(serializers.Serializer):
    file = serializers.FileField(
        help_text="A CSV (UTF-8, with or without BOM, or Shift_JIS) or a ZIP of images."
    )
    shown_columns = serializers.ListField(
        child=serializers.CharField(max_length=COLUMN_NAME_LENGTH),
        required=False,
        max_length=MAX_COLUMNS,
        help_text="The columns the participant sees (the first import of an order); default all.",
    )


class ItemImportOut(serializers.ModelSerializer):
    created_at = MomentField(read_only=True)
    finished_at = MomentField(read_only=True, allow_null=True)

    class Meta:
        model = ItemImport
        fields = [
            "id",
            "kind",
            "original_name",
            "status",
            "encoding",
            "rows_total",
            "rows_done",
            "error_code",
            "error_row",
            "error_column",
            "message",
            "created_at",
            "finished_at",
        ]
