"""Showing an email's sanitized HTML: its own images in place, other sites' images only when asked.

Images an email carries (``src="cid:..."``) are shown from their attachments. Images on other sites would tell
the sender who read the message and when, so they are not loaded: each is replaced by a placeholder naming
it, until the reader chooses to load that entry's images.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape, unescape

# The HTML was sanitized (core.sanitize): attributes are double-quoted and the only <img> attributes are
# src, alt, width and height.
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
SRC = re.compile(r'\ssrc="([^"]*)"', re.IGNORECASE)
ALT = re.compile(r'\salt="([^"]*)"', re.IGNORECASE)


@dataclass(frozen=True)
class Shown:
    html: str
    blocked_images: int  # other sites' images replaced by a placeholder


def show_email_html(html: str, *, inline_urls: Mapping[str, str], load_remote: bool) -> Shown:
    """``inline_urls``: Content-ID (without brackets) -> the address of its attachment for this reader."""
    blocked = 0

    def replace(match: re.Match) -> str:
        nonlocal blocked
        tag = match.group(0)
        src = SRC.search(tag)
        url = unescape(src.group(1)) if src else ""
        if url.lower().startswith("cid:"):
            target = inline_urls.get(url[4:].strip("<>"))
            return SRC.sub(f' src="{escape(target)}"', tag, count=1) if target else ""
        if url.lower().startswith(("http://", "https://")) and not load_remote:
            blocked += 1
            alt = ALT.search(tag)
            label = unescape(alt.group(1)) if alt and alt.group(1).strip() else "image"
            return f'<span class="blocked-image" title="{escape(url)}">[{escape(label)}]</span>'
        return tag

    return Shown(IMG.sub(replace, html), blocked)
