"""Forms of the ticket page's related-tickets box: link another ticket, split a message off."""

from collections.abc import Sequence

from django import forms

from helpline.core.text import one_line
from helpline.core.timefmt import format_when
from helpline.staff.forms import PrefixedIdsForm
from helpline.tickets.models import EntryKind, ThreadEntry

NUMBER_PATTERN = r"#?\s*[1-9][0-9]{5,19}"
# Of a message's text, what its 60-character preview in the split choice is read from: a long email's
# whole body was read character by character on every view of its ticket.
PREVIEW_READ = 1000


class LinkForm(PrefixedIdsForm):
    id_prefix = "link"
    other = forms.RegexField(
        regex=NUMBER_PATTERN,
        max_length=25,
        label="Link to ticket number",
        error_messages={"invalid": "Enter a ticket number, such as 40953951."},
    )

    def clean_other(self) -> str:
        return self.cleaned_data["other"].lstrip("#").strip()


def splittable(entries: Sequence[ThreadEntry]) -> list[ThreadEntry]:
    """The entries that can become a ticket of their own: messages from the requester or a collaborator."""
    return [e for e in entries if e.kind == EntryKind.MESSAGE and e.author_requester_id is not None]


class SplitForm(PrefixedIdsForm):
    """The message to open a new ticket from, chosen among ``entries`` (the page's thread, already loaded)."""

    id_prefix = "split"

    def __init__(self, *args, entries: Sequence[ThreadEntry] = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (
                entry.pk,
                f"{entry.author_name}, {format_when(entry.created_at)}: {one_line(entry.body_text[:PREVIEW_READ], 60)}",
            )
            for entry in splittable(entries)
        ]
        self.fields["entry"] = forms.TypedChoiceField(
            choices=choices, coerce=int, label="Split this message into a new ticket"
        )


def link_forms(entries: Sequence[ThreadEntry]) -> dict[str, forms.Form]:
    """The blank forms of the related-tickets box, for the ticket page."""
    return {"link": LinkForm(), "split": SplitForm(entries=entries)}
