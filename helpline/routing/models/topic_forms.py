"""Which custom forms a help topic asks, in order."""

from django.db import models


class TopicForm(models.Model):
    topic = models.ForeignKey("routing.HelpTopic", on_delete=models.CASCADE, related_name="form_links")
    form = models.ForeignKey("custom_fields.Form", on_delete=models.CASCADE, related_name="topic_links")
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["topic", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["topic", "form"], name="topic_form_unique")]

    def __str__(self) -> str:
        return f"{self.topic} / {self.form}"
