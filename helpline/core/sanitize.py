"""Untrusted HTML and text from outside: sanitize HTML, derive plain text, clean file names."""

import html
import re
import unicodedata

import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan"},
    "th": {"colspan"},
}
# cid: names an image the email carries itself; it is replaced by the attachment's address when shown.
URL_SCHEMES = {"http", "https", "mailto", "cid"}


def sanitize_html(raw: str) -> str:
    """HTML safe to render inside a page: no scripts, handlers, styles or foreign schemes."""
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_BLOCK_END = re.compile(r"</(p|div|li|tr|h[1-6]|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(raw: str) -> str:
    """A readable plain-text rendering of HTML (for notifications, search and previews)."""
    with_breaks = _BLOCK_END.sub("\n", raw)
    text = html.unescape(nh3.clean(with_breaks, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


MAX_FILENAME_CHARS = 200
_UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ()\[\]+,@]")


def clean_filename(name: str, fallback: str = "attachment") -> str:
    """A file name safe to show and to offer on download: no paths, controls, invisibles or leading dots."""
    name = unicodedata.normalize("NFKC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # controls, format (U+200B)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    if len(name) > MAX_FILENAME_CHARS:
        # Shorten the stem, not the extension: the type of the file is read from it.
        stem, dot, extension = name.rpartition(".")
        if not stem or len(extension) > 16:
            stem, dot, extension = name, "", ""
        name = (stem[: MAX_FILENAME_CHARS - len(dot + extension)].rstrip(" .") + dot + extension).lstrip(" .")
    return name or fallback
