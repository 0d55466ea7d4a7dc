"""Page-wide pieces of the base template: the summary of a failed submission."""

from dataclasses import dataclass
from typing import TypeGuard

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class FormError:
    message: str
    label: str  # the field's label; empty for an error about the whole form
    target: str  # the id of the control the summary's link moves to


def _bound_forms(context: template.Context) -> list[forms.BaseForm]:
    """The bound forms a view put in the context, directly or in a dict of forms (the ticket page's).
    Only real values are inspected: a lazy object (the user) is never evaluated, so no query is run."""
    found: list[forms.BaseForm] = []
    for value in context.flatten().values():
        candidates = value.values() if type(value) is dict else [value]
        found += [item for item in candidates if _is_form(item)]
    return [form for form in found if form.is_bound]


def _is_form(value: object) -> TypeGuard[forms.BaseForm]:
    # type(), not isinstance(): isinstance() asks a lazy object for __class__, which evaluates it.
    return issubclass(type(value), forms.BaseForm)


def form_errors(form: forms.BaseForm) -> list[FormError]:
    visible = form.visible_fields()
    first = visible[0].id_for_label if visible else ""
    errors = [FormError(str(message), "", first) for message in form.non_field_errors()]
    for field in form:
        target = field.id_for_label if not field.is_hidden else first
        errors += [FormError(str(message), str(field.label or ""), target) for message in field.errors]
    return errors


@register.simple_tag(takes_context=True)
def page_errors(context: template.Context) -> list[FormError]:
    """Every error of the bound forms on this page, form by form, for the summary at the top of ``<main>``
    (and the "Error:" the title then starts with): after a failed submission a person hears at once
    that it failed and why, and each error links to its field."""
    return [error for form in _bound_forms(context) for error in form_errors(form)]
