"""Form pieces shared by the staff panel and the portal."""

from django import forms
from django.conf import settings

from helpline.core.timefmt import zone_names
from helpline.core.uploads import validate_uploads


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; ``clean`` returns a list and applies Helpline's upload checks."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        validate_uploads(files)
        return files


def zone_choices() -> list:
    """Choices for a time zone select: the desk's zone first, then UTC, then each region's cities."""
    regions: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(zone_names() - {"UTC"}):
        region, city = name.split("/", 1)
        regions.setdefault(region, []).append((name, city.replace("_", " ").replace("/", " / ")))
    desk = f"The desk's time zone ({settings.TIME_ZONE.replace('_', ' ')})"
    return [("", desk), ("UTC", "UTC"), *regions.items()]


def time_zone_field(**kwargs) -> forms.ChoiceField:
    kwargs.setdefault("label", "Time zone")
    return forms.ChoiceField(choices=zone_choices, required=False, **kwargs)
