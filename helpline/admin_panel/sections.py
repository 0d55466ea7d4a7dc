"""The sections of the administration area, in the order its navigation lists them.

Each page of the area belongs to one section; a new kind of configuration (mailboxes, filter rules, roles)
is a new entry here and its views.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    url_name: str
    summary: str


SECTIONS = [
    Section(
        "email_templates",
        "Notification emails",
        "admin_panel:email_templates",
        "What the emails about tickets say, to requesters and to agents: subject, plain text and HTML, "
        "with a preview and the way back to the shipped text.",
    ),
    Section(
        "audit",
        "Audit log",
        "admin_panel:audit_log",
        "Who did what, when and from where: deletions and configuration changes. Nothing here can be edited.",
    ),
]
