"""Whole numbers as they come in query strings, forms and headers: ids, versions, page numbers.

``str.isdigit()`` alone lets through what ``int()`` refuses ("²", "①"), and ``int()`` reads what no id
is ("١٢", " 12", "+12", "1_2"); a number past a 64-bit column fails in the database. Read here, only
ASCII digits count, within a length every id fits.
"""

MAX_DIGITS = 18  # below 2**63: any id a BigAutoField gives


def whole_number(raw: object, max_digits: int = MAX_DIGITS) -> int | None:
    """The number ``raw`` spells in 1 to ``max_digits`` ASCII digits, else None."""
    text = str(raw)
    if 0 < len(text) <= max_digits and text.isascii() and text.isdigit():
        return int(text)
    return None
