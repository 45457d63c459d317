"""Reading what a person typed: words, "quoted phrases", -excluded words and `or`.

The parsed query is written out again for each database from its words alone, so no character a person
types can reach FTS5's MATCH syntax or PostgreSQL's tsquery parser unescaped. A word with Chinese in it is
written out as the words the index holds for it (cases/search/chinese.py): 集体谈判 is the phrase "集体 谈判",
廣州 is 广州. The parsed query keeps what was typed, to show it.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

from .chinese import has_chinese, query_words, typed_words

MAX_LENGTH = 200
MAX_TERMS = 12
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+")


class QueryError(ValueError):
    """The text cannot be searched; the message says why, in words for the person who typed it."""


@dataclass
class ParsedQuery:
    # Every clause must match; a clause matches if any of its alternatives does; an alternative is a phrase.
    clauses: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.clauses)

    @property
    def words(self):
        return [word for clause in self.clauses for phrase in clause for word in phrase]

    def replace_words(self, corrections):
        def fix(phrase):
            return tuple(corrections.get(w, w) for w in phrase)

        return ParsedQuery([[fix(p) for p in clause] for clause in self.clauses], list(self.excluded))

    def display(self):
        def phrase(words):
            return " ".join(words) if len(words) == 1 else '"' + " ".join(words) + '"'

        parts = [" or ".join(phrase(p) for p in clause) for clause in self.clauses]
        parts += ["-" + phrase(p) for p in self.excluded]
        return " ".join(parts)

    def words_apart(self):
        """The same search with each Chinese phrase's words apart: each must match, anywhere in an entry (a run
        typed without spaces is a phrase: 广州最低工资 looks for 广州 next to 最低工资). None when it has none."""
        clauses, changed = [], False
        for clause in self.clauses:
            words = [part for word in clause[0] for part in typed_words(word)] if len(clause) == 1 else []
            if len(words) > 1 and any(has_chinese(word) for word in words):
                clauses += [[(word,)] for word in words]
                changed = True
            else:
                clauses.append(clause)
        return ParsedQuery(clauses, list(self.excluded)) if changed else None

    def fts5(self):
        """The query in FTS5 syntax: every phrase double-quoted (its words are letters and digits only)."""

        def quoted(words):
            return '"' + " ".join(indexed(words)).replace('"', '""') + '"'

        text = " AND ".join("(" + " OR ".join(quoted(p) for p in clause) + ")" for clause in self.clauses)
        for phrase in self.excluded:
            text += f" NOT {quoted(phrase)}"
        return text

    def websearch(self):
        """The query in PostgreSQL's websearch_to_tsquery syntax."""

        def quoted(words):
            return '"' + " ".join(indexed(words)) + '"'

        parts = [" or ".join(quoted(p) for p in clause) for clause in self.clauses]
        parts += ["-" + quoted(p) for p in self.excluded]
        return " ".join(parts)


def indexed(phrase):
    """The words of a phrase as the index holds them (a Chinese word becomes the words it is cut into)."""
    return [part for word in phrase for part in query_words(word)]


def clean_text(text):
    """Check the raw text; QueryError for what cannot be searched (NUL bytes, absurd length)."""
    if "\x00" in text:
        raise QueryError(gettext("The search text contains a NUL character. Type the words again and search."))
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise QueryError(
            gettext("The search text is too long: use at most %(limit)s characters.") % {"limit": MAX_LENGTH}
        )
    return text


def parse(text):
    """Parse cleaned text into a ParsedQuery (empty if it holds no word to look for)."""
    query = ParsedQuery()
    pending_or = False
    for match in TOKEN.finditer(text):
        negated, quoted_text, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            pending_or = bool(query.clauses)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        words = tuple(w.casefold() for w in WORD.findall(quoted_text if quoted_text is not None else bare))
        if not words:
            continue
        if negated:
            query.excluded.append(words)
        elif pending_or:
            query.clauses[-1].append(words)
        else:
            query.clauses.append([words])
        pending_or = False
        if len(query.clauses) + len(query.excluded) >= MAX_TERMS:
            break
    return query
