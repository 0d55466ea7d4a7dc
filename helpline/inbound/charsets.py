"""Turning the bytes of received mail into text, whatever charset the sender declared, or lied about.

The order: the declared charset (through the superset Python knows for it), then UTF-8, then Windows-1252
with replacement characters, which never fails. Text declared as ASCII or Latin-1 that is valid UTF-8 is
read as UTF-8 first: mail programs that send UTF-8 under a Western label are common, while Latin-1 text
that happens to be valid UTF-8 is not (it would need runs like "Ã©").
"""

import codecs

# Labels whose superset decodes everything the label's senders really send.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "iso-8859-8-i": "iso-8859-8",
    "unicode-1-1-utf-7": "utf-7",
}
# Codecs Python calls text encodings that no mail program sends: they would turn bytes into something
# other than what the sender typed (escapes evaluated, punycode expanded).
_NOT_MAIL = {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}
# The Western labels that senders get wrong; their text is read as UTF-8 when it is valid UTF-8.
_WESTERN = {"ascii", "iso8859-1", "cp1252", "iso8859-15"}


def codec_for(charset: str | None) -> str | None:
    """The Python codec for a declared charset, or None when there is none usable."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_MAIL:
        return None
    return info.name


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text from bytes: never raises, never returns lone surrogates."""
    codec = codec_for(charset)
    if codec is not None and codec not in _WESTERN:
        try:
            return data.decode(codec)
        except (UnicodeError, ValueError, LookupError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _best_effort(
        data, "iso8859-15" if codec == "iso8859-15" else "cp1252", declared_utf8=codec == "utf-8"
    )


def _best_effort(data: bytes, western: str, *, declared_utf8: bool) -> str:
    """Mostly UTF-8 with a few broken bytes stays UTF-8 (a cut-off character, a stray byte); anything else
    is read as a Western charset."""
    as_utf8 = data.decode("utf-8", errors="replace")
    broken = as_utf8.count("\ufffd")
    decoded = len(as_utf8) - len(as_utf8.encode("ascii", errors="ignore")) - broken
    if decoded > broken or (declared_utf8 and decoded and decoded == broken):
        return as_utf8
    return data.decode(western, errors="replace")
