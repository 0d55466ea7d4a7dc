"""Rendering a notification's subject, plain text and HTML: the administrator's text when there is one,
else the shipped one.

Both are Django templates rendered from their source by engines of their own: the HTML with autoescaping,
the subject and text without (they are not HTML); neither engine loads tag libraries or other templates,
so a template has the default tags and filters and the variables it is given, nothing more. The shipped
sources are the files in ``templates/tickets/email/`` (``KIND.subject.txt``, ``KIND.txt``, ``KIND.html``).

An administrator's template that fails when it renders (or renders to nothing) is logged and the shipped
one is used in its place: a notification always goes out.
"""

import logging
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError

from helpline.core.text import one_line
from helpline.mail.threading import token

log = logging.getLogger(__name__)

PARTS = ("subject", "body_text", "body_html")
PART_LABELS = {"subject": "Subject", "body_text": "Plain text", "body_html": "HTML"}
SUFFIXES = {"subject": ".subject.txt", "body_text": ".txt", "body_html": ".html"}
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "templates" / "tickets" / "email"
SUBJECT_CHARS = 255


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_text: str
    body_html: str


@cache
def _engine(autoescape: bool) -> Engine:
    # No directories and no app templates: {% include %} and {% extends %} find nothing to read.
    return Engine(dirs=[], app_dirs=False, libraries={}, autoescape=autoescape)


def engine_for(part: str) -> Engine:
    return _engine(part == "body_html")


@cache
def shipped_source(kind: str, part: str) -> str:
    return (SHIPPED_DIR / f"{kind}{SUFFIXES[part]}").read_text(encoding="utf-8")


@lru_cache(maxsize=256)
def compiled(part: str, source: str) -> Template:
    """Raises TemplateSyntaxError for a source that does not compile."""
    return engine_for(part).from_string(source)


def compile_error(part: str, source: str) -> str | None:
    """Why the source is no template of this part, or None when it compiles."""
    try:
        compiled(part, source)
    except TemplateSyntaxError as error:
        return str(error)
    return None


def render_part(part: str, source: str, context: dict[str, Any]) -> str:
    engine = engine_for(part)
    return compiled(part, source).render(Context(context, autoescape=engine.autoescape))


def render_email(kind: str, context: dict[str, Any], override: dict[str, str] | None = None) -> Rendered:
    """The three parts of a kind's email for one recipient. ``override`` maps parts to an administrator's
    sources; a part it lacks, or one that fails to render, is the shipped one. The subject is one line and
    always carries the ticket's token."""
    parts = {part: _render_with_fallback(kind, part, context, (override or {}).get(part)) for part in PARTS}
    return Rendered(
        subject=subject_line(parts["subject"], context["ticket"].number),
        body_text=parts["body_text"],
        body_html=parts["body_html"],
    )


def subject_line(rendered: str, number: str) -> str:
    """One line of at most 255 characters with the ticket's token in it: in front when the template left
    it out (or it would fall past the end)."""
    subject = one_line(rendered, 1000)
    if token(number) not in subject[:SUBJECT_CHARS]:
        subject = f"{token(number)} {subject}"
    return subject[:SUBJECT_CHARS].strip()


def _render_with_fallback(kind: str, part: str, context: dict[str, Any], source: str | None) -> str:
    if source is not None:
        try:
            rendered = render_part(part, source, context)
        except Exception:  # noqa: BLE001 - whatever an edited template does, the email still goes out
            log.exception(
                "The edited %s of the %s email failed to render; the shipped one is used", part, kind
            )
        else:
            if rendered.strip():
                return rendered
            log.error("The edited %s of the %s email rendered empty; the shipped one is used", part, kind)
    return render_part(part, shipped_source(kind, part), context)
