"""How a filter rule's condition compares text: plain functions, no Django.

Every comparison ignores case (both sides are case-folded, so "STRASSE" equals "straße"); "equals" and
"is one of" also ignore spaces around the text. Regular expressions are searched anywhere in the text,
ignoring case too (``(?-i)`` in the pattern turns that off), with the ``regex`` package, whose matching can
be stopped after a time: a pattern is checked when it is saved (it must compile, and must finish quickly on
probe inputs made from its own characters), and each evaluation runs under a time bound, so a pattern that
is slow on some real input only makes its condition not match.
"""

from collections.abc import Iterator, Sequence
from functools import lru_cache

import regex

FLAGS = regex.IGNORECASE | regex.VERSION0
MAX_PATTERN_CHARS = 1000
# Save-time probes: runs of each character the pattern names (and a few common ones), short and long, each
# ended by a character that matches little; a probe that takes longer than this refuses the pattern.
PROBE_SECONDS = 0.05
PROBE_LENGTHS = (40, 2000)
PROBE_CHARS = "a1 _-.@"
MAX_PROBE_CHARS = 24
PROBE_END = "\x00"


class PatternRefused(Exception):
    """The pattern cannot be saved; the message says why, for the person who typed it."""


class MatchTimedOut(Exception):
    """A regular expression ran past its time bound on a text."""


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> regex.Pattern:
    """The compiled pattern (cached). Raises PatternRefused when it does not compile."""
    try:
        return regex.compile(pattern, FLAGS)
    except (regex.error, ValueError, OverflowError, RecursionError) as error:
        raise PatternRefused(f"This is not a valid regular expression: {error}.") from None


def probes(pattern: str) -> Iterator[str]:
    chars = dict.fromkeys(c for c in PROBE_CHARS + pattern if c.isprintable() and c != PROBE_END)
    for length in PROBE_LENGTHS:
        for char in list(chars)[:MAX_PROBE_CHARS]:
            yield char * length + PROBE_END


def check_pattern(pattern: str, *, seconds: float = PROBE_SECONDS) -> None:
    """Refuse (PatternRefused) a pattern that does not compile, or that takes more than ``seconds`` on a
    probe input: such a pattern backtracks catastrophically (nested repetition like ``(a|aa)+$``)."""
    if not pattern:
        raise PatternRefused("Enter a regular expression.")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise PatternRefused(f"A regular expression has at most {MAX_PATTERN_CHARS} characters.")
    compiled = compile_pattern(pattern)
    for probe in probes(pattern):
        try:
            compiled.search(probe, timeout=seconds)
        except TimeoutError:
            shown = probe[0] if probe[0] != " " else "space"
            raise PatternRefused(
                f"This expression takes too long on some texts (for instance {len(probe) - 1} × “{shown}”): "
                "it backtracks over nested or overlapping repetition, such as (a|aa)+ or (\\w+\\s?)+. "
                "Simplify the repetition."
            ) from None


def one_of_values(value: str) -> list[str]:
    """The choices of an "is one of" condition: one per line, blank lines ignored."""
    return [line.strip().casefold() for line in value.splitlines() if line.strip()]


def _holds(operator: str, text: str, value: str, timeout: float) -> bool:
    """Whether ``text`` satisfies the positive form of ``operator``."""
    if operator == "regex":
        try:
            return compile_pattern(value).search(text, timeout=timeout) is not None
        except TimeoutError:
            raise MatchTimedOut(value) from None
    folded, wanted = text.casefold(), value.casefold()
    if operator in ("equals", "not_equals"):
        return folded.strip() == wanted.strip()
    if operator in ("contains", "not_contains"):
        return wanted in folded
    if operator == "starts_with":
        return folded.startswith(wanted)
    if operator == "ends_with":
        return folded.endswith(wanted)
    if operator == "one_of":
        return folded.strip() in one_of_values(value)
    raise ValueError(f"Unknown operator {operator!r}")


NEGATIVE = ("not_equals", "not_contains")


def matches(operator: str, texts: Sequence[str], value: str, *, timeout: float) -> bool:
    """Whether the texts a condition looks at satisfy it. A field has one text, a header one per time it
    occurs (none when it is absent): a positive operator holds when any text satisfies it, a negative one
    ("does not equal", "does not contain") when none satisfies its positive form (so also when the header
    is absent). Raises MatchTimedOut when a regular expression passes ``timeout`` seconds on a text."""
    found = any(_holds(operator, text, value, timeout) for text in texts)
    return not found if operator in NEGATIVE else found
