"""The operators of a condition, on plain text: case-insensitive, spaces around the text ignored where the
whole text is compared, several values (a repeated header) and none (an absent one)."""

import pytest

from helpline.routing.matching import PatternRefused, check_pattern, matches

T = 0.5

CASES = {
    # operator, text, value, expected
    "equals ignores case and surrounding spaces": ("equals", "  Printer Broken ", "printer broken", True),
    "equals folds case fully": ("equals", "STRASSE", "straße", True),
    "equals is the whole text": ("equals", "Printer broken again", "printer broken", False),
    "not equals": ("not_equals", "Invoice", "invoice", False),
    "not equals, another text": ("not_equals", "Invoice 12", "invoice", True),
    "contains": ("contains", "Online BANKING outage", "banking out", True),
    "contains, absent": ("contains", "Online banking", "outage", False),
    "does not contain": ("not_contains", "Online banking", "outage", True),
    "does not contain, present": ("not_contains", "Big OUTAGE", "outage", False),
    "starts with": ("starts_with", "RE: your order", "re:", True),
    "starts with, elsewhere": ("starts_with", "About RE: your order", "re:", False),
    "ends with": ("ends_with", "sales@Example.COM", "@example.com", True),
    "ends with, elsewhere": ("ends_with", "sales@example.com.evil", "@example.com", False),
    "is one of": ("one_of", " Bob@example.test", "alice@example.test\n\n  BOB@example.test \n", True),
    "is one of, none": ("one_of", "carol@example.test", "alice@example.test\nbob@example.test", False),
    "is one of, a part is not enough": ("one_of", "bob", "bob@example.test", False),
    "regex searches anywhere, ignoring case": ("regex", "Ticket INV-2291 paid", r"inv-\d{4}", True),
    "regex, no match": ("regex", "Ticket INV-22 paid", r"inv-\d{4}\b", False),
    "regex, case sensitive on request": ("regex", "Ticket INV-2291", r"(?-i)inv-\d+", False),
}


@pytest.mark.parametrize("operator, text, value, expected", CASES.values(), ids=CASES.keys())
def test_each_operator(operator, text, value, expected):
    assert matches(operator, (text,), value, timeout=T) is expected


def test_a_positive_operator_holds_when_any_value_does_and_a_negative_one_when_none_does():
    received = ("from mx1.example.test", "from relay.spam.test")
    assert matches("contains", received, "spam.test", timeout=T)
    assert not matches("not_contains", received, "spam.test", timeout=T)
    assert matches("not_contains", received, "other.test", timeout=T)
    # An absent header: nothing equals or contains anything, and nothing is excluded.
    assert not matches("equals", (), "", timeout=T) and not matches("regex", (), ".*", timeout=T)
    assert matches("not_equals", (), "x", timeout=T) and matches("not_contains", (), "x", timeout=T)


def test_an_unknown_operator_is_an_error():
    with pytest.raises(ValueError, match="Unknown operator"):
        matches("sounds_like", ("a",), "a", timeout=T)


BROKEN = {
    "an unclosed group": ("(outage", "not a valid regular expression"),
    "a bad repeat": ("*outage", "not a valid regular expression"),
    "an unknown escape group": (r"(?P<x>a)(?P=y)", "not a valid regular expression"),
    "nothing": ("", "Enter a regular expression"),
    "too long": ("a" * 1001, "at most 1000 characters"),
}


@pytest.mark.parametrize("pattern, message", BROKEN.values(), ids=BROKEN.keys())
def test_a_pattern_that_does_not_compile_is_refused_with_the_error(pattern, message):
    with pytest.raises(PatternRefused, match=message):
        check_pattern(pattern)


@pytest.mark.parametrize("pattern", [r"(a|aa)+$", r"(\w+\s?)+$", r"^(x|xx)+y"])
def test_a_catastrophic_pattern_is_refused(pattern):
    with pytest.raises(PatternRefused, match="takes too long on some texts"):
        check_pattern(pattern)


@pytest.mark.parametrize(
    "pattern",
    [r"outage", r"\b(urgent|asap)\b", r"^.*invoice\s+\d+.*$", r"[a-z0-9._%+-]+@example\.com", r".*.*x"],
)
def test_an_ordinary_pattern_is_accepted(pattern):
    check_pattern(pattern)
