"""Plain text for the search index, which every kind's search document is made of."""

# Characters the search highlighter uses as markers; never let content carry them into the index.
MARK_START = "\x02"
MARK_END = "\x03"
# The index's separator between Chinese words (a zero-width space): content carries none, so it means only that.
WORD_SEPARATOR = "\u200b"
_STRIP = str.maketrans({MARK_START: " ", MARK_END: " ", "\x00": " ", WORD_SEPARATOR: " "})


def clean(*parts):
    """The parts that say something, joined by spaces, without the highlighter's markers or NUL bytes."""
    return " ".join(str(p) for p in parts if p).translate(_STRIP).strip()
