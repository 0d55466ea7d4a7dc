"""The custom fields a help topic asks for: those of its active forms, in the forms' order."""

from helpline.custom_fields.models import Field


def topic_fields(topic_id: int | None, *, requester: bool) -> list[Field]:
    """The active fields of the topic's active forms, in order (one query). ``requester``: only the fields
    a requester sees (the portal); agents get the internal ones too."""
    if topic_id is None:
        return []
    fields = Field.objects.filter(
        is_active=True,
        form__is_active=True,
        form__topic_links__topic_id=topic_id,
    ).select_related("choice_list")
    if requester:
        fields = fields.filter(is_public=True)
    return list(fields.order_by("form__topic_links__sort", "form_id", "sort", "id"))
