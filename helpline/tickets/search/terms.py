"""What a person typed in the search box, as terms, and each database's query built from them.

The syntax is small on purpose: words (all must match, stemmed), "phrases in double quotes", and a trailing
``*`` for a prefix. Nothing else is an operator: NEAR, OR, -, parentheses, colons and stray quotes are
ordinary characters. Every term is passed to the engine quoted (FTS5) or as a bound parameter to a
function that parses no syntax (PostgreSQL), so no input can make the query fail to parse.
"""

import re
from dataclasses import dataclass

MAX_TERMS = 12
MAX_TERM_CHARS = 100
# A phrase in double quotes (the closing quote may be missing), or a run of anything else but spaces.
_TOKEN = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # the letters and digits of the term, in order: a phrase when more than one
    prefix: bool = False  # the last word is a prefix ("print*")


def parse(text: str) -> list[Term]:
    """The terms of ``text``; a term with no letter or digit in it is left out (it could match nothing)."""
    terms: list[Term] = []
    for match in _TOKEN.finditer(text.replace("\x00", " ")):
        phrase, bare = match.groups()
        raw = (phrase if phrase is not None else bare)[: MAX_TERM_CHARS * 4]
        words = tuple(word[:MAX_TERM_CHARS] for word in _WORD.findall(raw))[:MAX_TERMS]
        if words:
            terms.append(Term(words, prefix=bare is not None and bare.endswith("*")))
        if len(terms) == MAX_TERMS:
            break
    return terms


def fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: each term a quoted string (a phrase of its words), all of them required.
    The words hold only letters, digits and underscores, so the quoting needs no escape."""
    return " ".join(f'"{" ".join(term.words)}"' + ("*" if term.prefix else "") for term in terms)


def tsquery_parts(terms: list[Term]) -> tuple[str, list[str]]:
    """A PostgreSQL tsquery expression (English configuration) and its parameters: phraseto_tsquery for a
    word or a phrase (it parses no operators), to_tsquery of quoted words for a prefix. Joined by &&."""
    parts, params = [], []
    for term in terms:
        if term.prefix:
            # Quoted lexemes joined by "followed by", the last one a prefix: only \\w characters inside.
            parts.append("to_tsquery('english', %s)")
            params.append(" <-> ".join(f"'{word}'" for word in term.words) + ":*")
        else:
            parts.append("phraseto_tsquery('english', %s)")
            params.append(" ".join(term.words))
    return "(" + " && ".join(parts) + ")", params
