"""The form field every door uses to pick a help topic: the topics as a tree (each right under its parent),
each named by its full name ("Hardware request / Monitor")."""

from collections.abc import Callable

from django import forms

from helpline.routing.models import HelpTopic
from helpline.routing.models.topics import in_tree_order


class _TreeOrderIterator(forms.models.ModelChoiceIterator):
    """The queryset's topics in tree order. The database cannot sort them so (collations treat the " / "
    between names differently), and topics are few: they are sorted here, read in one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for topic in in_tree_order(self.queryset):
            yield self.choice(topic)

    def __len__(self) -> int:
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class TopicChoiceField(forms.ModelChoiceField):
    iterator = _TreeOrderIterator

    def __init__(self, *args, label_of: Callable[[HelpTopic], str] | None = None, **kwargs):
        """``label_of`` names a topic in the choices (default: its full name)."""
        super().__init__(*args, **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj: HelpTopic) -> str:
        return self.label_of(obj) if self.label_of else obj.full_name
