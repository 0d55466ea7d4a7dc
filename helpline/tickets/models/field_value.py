"""A ticket's value of one custom field, in the column of its type (``custom_fields.values``)."""

from django.db import models


class FieldValue(models.Model):
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="field_values")
    field = models.ForeignKey("custom_fields.Field", on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=255, blank=True)
    long_text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    flag = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "field"], name="field_value_once")]
        # The filters and sorts of the staff lists compare one field's values: (field, value) per type.
        indexes = [
            models.Index(fields=["field", "text", "ticket"], name="field_value_text"),
            models.Index(fields=["field", "number", "ticket"], name="field_value_number"),
            models.Index(fields=["field", "date", "ticket"], name="field_value_date"),
            models.Index(fields=["field", "flag", "ticket"], name="field_value_flag"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.field_id}"
