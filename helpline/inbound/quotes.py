"""The new part of a reply: the text and HTML without the quoted history and the signature.

The quoted history is found by ``quotequail`` (``unwrap`` and ``unwrap_html``): tried on replies from
Gmail, Outlook (web and desktop, with and without the "Original Message" line), Apple Mail and Thunderbird
in English, German, French and Spanish, it found the history in all of them, in the text and in the HTML
alike, and it cuts only at a reply header ("On ... wrote:", "Von: ... Gesendet: ...") or a quoted block.
``mail-parser-reply`` was tried too and not taken: it works on text only, missed Gmail's French and Spanish
headers once Gmail wrapped them over two lines, and takes a line that begins with "Thanks," or "- " for the
start of a signature, cutting what follows.

Nothing is cut when the person wrote below the quote (a bottom or inline answer), when the history is a
forwarded message (the forward is the content), or when the cut would leave nothing. The signature: from
the last "-- " line (RFC 3676), and a final "Sent from my ..." line. The caller keeps the full original.
"""

import re
from dataclasses import dataclass

import quotequail

from helpline.core.sanitize import html_to_text

# quotequail's patterns cost time quadratic (one of them cubic) in a line's length, and its search for a
# header block is quadratic in the number of lines: it reads this many lines, cut to this length. Reply
# headers are short and the new part of a reply comes first; a longer new part is left untrimmed.
MAX_LINES = 200
MAX_LINE_CHARS = 200
MAX_HTML_CHARS = 150_000  # HTML larger than this is left as it is (its text is still trimmed)

_FORWARD = re.compile(
    r"forward|weitergeleitet|transféré|réexpédié|reenviado|inoltrato|doorgestuurd|vidarebefordrat|пересыла",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)
_MOBILE = re.compile(
    r"\n[ \t]*(sent from my [\w ]{1,30}|sent from (mail|outlook) for [\w ]{1,30}|get outlook for [\w ]{1,30}"
    r"|von meinem [\w ]{1,30} gesendet|envoyé de mon [\w ]{1,30}|enviado desde mi [\w ]{1,30})[ \t]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reply:
    text: str
    html: str
    trimmed: bool  # whether anything was cut (the full original then differs)


def trim_reply(text: str, html: str) -> Reply:
    """The new part of a reply. Never empty where the original has content."""
    new_text = _trim_text(text)
    new_html = _trim_html(html)
    return Reply(text=new_text, html=new_html, trimmed=new_text is not text or new_html is not html)


def _trim_text(text: str) -> str:
    if not text.strip():
        return text
    lines = text.replace("\r\n", "\n").split("\n")[:MAX_LINES]
    head = "\n".join(line[:MAX_LINE_CHARS] for line in lines)
    top = _new_part(_unwrap(quotequail.unwrap, head), "text_top", "text_bottom", lambda: _text_forward(head))
    if top is not None:
        top = _whole_lines(top, head.split("\n"), lines)
    kept = _without_signature(top if top is not None else text)
    return kept if kept.strip() and kept.strip() != text.strip() else text


def _whole_lines(top: str, cut: list[str], lines: list[str]) -> str | None:
    """The new part found in the cut lines, as the sender wrote it (its lines whole); None if not found."""
    start = next((index for index, line in enumerate(cut) if line.strip()), 0)
    end = start + len(top.split("\n"))
    if "\n".join(cut[start:end]).strip() != top:
        return None
    return "\n".join(lines[start:end]).strip()


def _trim_html(html: str) -> str:
    if not html.strip() or len(html) > MAX_HTML_CHARS:
        return html
    top = _new_part(
        _unwrap(quotequail.unwrap_html, html), "html_top", "html_bottom", lambda: _html_forward(html)
    )
    return top if top is not None and html_to_text(top).strip() else html


def _unwrap(unwrap, content: str) -> dict | None:
    try:
        return unwrap(content)
    except Exception:  # noqa: BLE001 - lxml and the library's own failures on odd input: keep it whole
        return None


def _new_part(found: dict | None, top_key: str, bottom_key: str, is_forward) -> str | None:
    """What comes before the history, or None when nothing is to be cut."""
    if not found or found.get(bottom_key, "").strip():
        return None  # no history, or an answer written below it
    top = found.get(top_key, "")
    if not top.strip() or (found.get("type") == "forward" and is_forward()):
        return None
    return top


def _text_forward(text: str) -> bool:
    """Whether the history begins with a forward marker ("---------- Forwarded message ---------"),
    rather than with the header block of a reply (Outlook's replies and forwards look alike otherwise)."""
    parts = _quote(quotequail.quote, text)
    return len(parts) > 1 and _FORWARD.search(_first_line(parts[1][1])) is not None


def _html_forward(html: str) -> bool:
    parts = _quote(quotequail.quote_html, html)
    return len(parts) > 1 and _FORWARD.search(_first_line(html_to_text(parts[1][1]))) is not None


def _quote(quote, content: str) -> list:
    try:
        return quote(content, limit=MAX_LINES, quote_intro_line=True)
    except Exception:  # noqa: BLE001 - as in _unwrap
        return []


def _first_line(text: str) -> str:
    return next((line for line in text.split("\n") if line.strip()), "")


def _without_signature(text: str) -> str:
    text = text.rstrip()
    signatures = list(_SIGNATURE.finditer(text))
    if signatures and text[: signatures[-1].start()].strip():
        text = text[: signatures[-1].start()].rstrip()
    mobile = _MOBILE.search(text)
    if mobile and text[: mobile.start()].strip():
        text = text[: mobile.start()].rstrip()
    return text
