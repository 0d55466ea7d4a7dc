"""Untrusted HTML and file names: what survives sanitizing, and what never does."""

import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpline.core.sanitize import ALLOWED_TAGS, clean_filename, html_to_text, sanitize_html

LINK_REL = 'rel="noopener noreferrer nofollow"'


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<p>Hi <script>alert(1)</script>there</p>", "<p>Hi there</p>"),
        ('<img src="https://e.test/a.png" onerror="alert(1)">', '<img src="https://e.test/a.png">'),
        ('<p onclick="x()" onmouseover="y()">Hi</p>', "<p>Hi</p>"),
        ('<a href="javascript:alert(1)">x</a>', f"<a {LINK_REL}>x</a>"),
        ('<a href="JaVa&#x09;ScRipt:alert(1)">x</a>', f"<a {LINK_REL}>x</a>"),
        ('<a href="vbscript:msgbox(1)">x</a>', f"<a {LINK_REL}>x</a>"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>"),
        ('<p style="background:url(javascript:alert(1))">Hi</p>', "<p>Hi</p>"),
        ("<style>p { color: red }</style><p>Hi</p>", "<p>Hi</p>"),
        ('<iframe src="https://e.test"></iframe><object data="x"></object><form><input></form>', ""),
        ("<svg><script>alert(1)</script></svg>", ""),
        ("<!-- a comment --><b>bold</b>", "<b>bold</b>"),
        ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
    ],
)
def test_dangerous_html_is_removed(raw, clean):
    assert sanitize_html(raw) == clean


def test_safe_formatting_and_links_are_kept():
    raw = '<h2>Title</h2><ul><li><a href="https://e.test/x" target="_blank">link</a></li></ul>'
    assert (
        sanitize_html(raw)
        == f'<h2>Title</h2><ul><li><a href="https://e.test/x" {LINK_REL}>link</a></li></ul>'
    )
    assert (
        sanitize_html('<a href="mailto:help@e.test">mail</a>')
        == f'<a href="mailto:help@e.test" {LINK_REL}>mail</a>'
    )
    table = '<table><tbody><tr><td colspan="2">x</td></tr></tbody></table>'
    assert sanitize_html(table) == table


class Inspector(HTMLParser):
    """Collects the tags and attributes of sanitized output."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


FRAGMENTS = [
    "<script>",
    "</script>",
    "<svg onload=alert(1)>",
    "<img src=x",
    ' onerror="alert(1)"',
    "javascript:",
]
FRAGMENTS += ["<style>", "<a href='", "<p>", "</p>", ">", "text", '"', "'", "<iframe ", "style='x'", "&#x09;"]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14))
def test_no_mix_of_fragments_gets_a_script_through(fragments):
    inspector = Inspector()
    inspector.feed(sanitize_html("".join(fragments)))
    assert inspector.tags <= ALLOWED_TAGS
    for name, value in inspector.attributes:
        assert not name.startswith("on") and name != "style"
        if name in {"href", "src"}:
            assert urlsplit(value.strip()).scheme in {"", "http", "https", "mailto"}


def test_html_becomes_readable_text():
    raw = "<p>Hello &amp; <b>welcome</b></p><p>Second</p><br><br><br><br>Last<script>alert(1)</script> &lt;tag&gt;"
    assert html_to_text(raw) == "Hello & welcome\nSecond\n\nLast <tag>"


def test_text_keeps_list_items_and_headings_on_their_own_lines():
    assert html_to_text("<h1>Title</h1><ul><li>one</li><li>two</li></ul>") == "Title\none\ntwo"


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("C:\\Users\\rita\\report.pdf", "report.pdf"),
        ("\uff23\uff1a\uff0f\uff57\uff49\uff4e\uff0fa.txt", "a.txt"),  # full-width "C:/win/a.txt"
        ("\u200b.htaccess", "htaccess"),
        ("\u202egnp.exe", "gnp.exe"),  # right-to-left override
        ("a\x00b\x1f\x7f.txt", "ab.txt"),
        ("  .bashrc ", "bashrc"),
        ("...", "attachment"),
        ("report.pdf.", "report.pdf"),
        ('a<b>c"d|e?.txt', "a_b_c_d_e_.txt"),
        ("naïve café.txt", "naïve café.txt"),
        ("", "attachment"),
    ],
)
def test_file_names_are_cleaned(name, clean):
    assert clean_filename(name) == clean


def test_a_long_file_name_keeps_its_extension():
    cleaned = clean_filename("x" * 300 + ".pdf")
    assert len(cleaned) == 200 and cleaned.endswith("x.pdf")
    assert clean_filename("y" * 300) == "y" * 200


@given(st.text(max_size=300))
def test_a_cleaned_file_name_is_always_safe(name):
    cleaned = clean_filename(name)
    assert 0 < len(cleaned) <= 200
    assert "/" not in cleaned and "\\" not in cleaned
    assert not cleaned.startswith((".", " ")) and not cleaned.endswith((".", " "))
    assert all(unicodedata.category(ch)[0] != "C" for ch in cleaned)
