"""What the doors share about custom fields on their pages: a form refilled from what was posted (the page
redisplayed for another topic), without checking it yet."""

from django import forms
from django.http import QueryDict


def refilled(form_class, data: QueryDict, **kwargs) -> forms.Form:
    """An unbound ``form_class`` showing ``data`` as its initial values: what a person typed stays, and no
    error is shown for what they have not finished yet."""
    form = form_class(**kwargs)
    initial = {}
    for name, field in form.fields.items():
        if name not in data:
            continue
        multiple = isinstance(field, forms.MultipleChoiceField)
        initial[name] = data.getlist(name) if multiple else data.get(name)
    form.initial = initial
    return form


def topic_fields_attrs(url: str) -> dict[str, str]:
    """A topic select that, with JavaScript, swaps in the chosen topic's custom fields (htmx), sending
    what was typed in them along so that it stays."""
    return {
        "hx-get": url,
        "hx-trigger": "change",
        "hx-target": "#custom-fields",
        "hx-swap": "outerHTML",
        "hx-include": "#custom-fields",
    }
