"""Quotations checked against a source's text: is the quotation verbatim, and where does it sit?

Ground floor: no app imports, so the admin, `check_quotations`, `load_archive` and the tests share it.

The texts are plain-text extracts, with the artefacts of extraction left in (see fixtures/texts/README.md).
`normalise` makes a quotation and a text comparable: Unicode NFKC, every quotation mark and apostrophe
one plain mark (the extracts use „ and ‟ for both), every dash a hyphen, a hyphen inside a word dropped (so
a word hyphenated across a line break is joined, and "decade-long" matches "decade-" / "long"), whitespace
collapsed; case is kept.
`find` looks for a quotation in a text; "[...]" or "…" in the quotation marks an ellipsis, and the fragments
it separates must appear in order within one section; an editor's bracketed change ("[t]heir", "acknowledge[s]")
stands for at most one word of the text. `sections` splits a text into its sections:

- a heading is a short line that does not end a sentence, after a line that ends one and before a line that starts one
  ("Introduction", "Transnational Labour Campaigns"); text before the first heading has no heading;
- the notes start at a line of spaces only (the footnote rule of an extracted manuscript); each note
  starts at a line holding only its number, and the section is "Note n";
- elsewhere a line holding only a number is a footnote marker or a page number, and a longer line
  repeated word for word is a running header or footer: both are dropped;
- within a section a paragraph ends at a blank line after a line ending a sentence with two or more spaces
  or a tab (the extracts mark paragraph ends so), or at a blank line after a line of more than 200
  characters (text extracted one paragraph a line).
"""

import re
import unicodedata
from dataclasses import dataclass

# Single and double marks alike: the extracts use „ and ‟ for quotation marks and for apostrophes.
QUOTES = {ord(c): '"' for c in "'“”„‟«»″〝〞＂‘’‚‛′`´"}
DASHES = {ord(c): "-" for c in "‐‑‒–—―−﹘﹣－"}
ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|…|\.\.\.)\s*")
SENTENCE_END = (".", "?", "!", '"', ")", "'", ":")
NOTES_RULE = re.compile(r"^ {20,}$")


def normalise(text):
    """The text as compared: see the module's docstring. Case is kept."""
    text = unicodedata.normalize("NFKC", text or "").translate(QUOTES).translate(DASHES)
    text = text.replace("\u00ad", "")  # soft hyphen
    # A hyphen at a line break may be hyphenation ("organi-/zing") or a hyphen ("decade-/long"): the
    # extract cannot tell, so a hyphen inside a word is dropped on both sides ("decade-long" is "decadelong").
    text = re.sub(r"(?<=\w)-[ \t]*(?:\n\s*)?(?=\w)", "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Section:
    heading: str  # "" before the first heading; "Note n" in the notes
    paragraphs: tuple  # normalised paragraphs


@dataclass(frozen=True)
class Match:
    quotation: str
    section: str
    paragraph: int  # 1-based, within the section
    start: int  # offsets into the section's normalised text (paragraphs joined by a space)
    end: int
    context: str  # the match with some words either side, "…" where cut

    @property
    def note(self):
        return int(self.section.split()[1]) if self.section.startswith("Note ") else None


def _is_artefact(line, counts):
    key = line.strip()
    return key.isdigit() or counts.get(key, 0) > 1


def _is_heading(lines, i, previous_text, counts):
    line = lines[i].strip()
    if not line or len(line) > 100 or len(line.split()) > 12 or line.isdigit():
        return False
    if not (line[0].isupper() or line[0] == "("):
        return False
    if line[-1] in ".,;:" or re.search(r"\w-$", line):
        return False
    # A heading follows the end of a sentence (or another heading, or the start of the text)...
    if previous_text is not None and not previous_text.rstrip().endswith(SENTENCE_END):
        return False
    # ...and the next line of text starts a sentence.
    for following in lines[i + 1 :]:
        if following.strip() and not _is_artefact(following, counts):
            return following.strip()[0].isupper()
    return True


def sections(text):
    """The text's sections, in order: a list of Section (see the module's docstring)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    counts = {}
    for line in lines:
        key = line.strip()
        if len(key) > 15:
            counts[key] = counts.get(key, 0) + 1
    result = []
    heading, paragraphs, current = "", [], []
    previous_text = None  # the last line of running text (or heading) kept
    in_notes = False

    def end_paragraph():
        if current:
            paragraphs.append(normalise("\n".join(current)))
            current.clear()

    def end_section():
        end_paragraph()
        if paragraphs or heading:
            result.append(Section(heading, tuple(p for p in paragraphs if p)))
        paragraphs.clear()

    for i, raw in enumerate(lines):
        line = raw.strip()
        if not in_notes and NOTES_RULE.match(raw):
            end_section()
            heading, in_notes = "", True
            continue
        if in_notes and line.isdigit():
            end_section()
            heading = f"Note {int(line)}"
            continue
        if not line:
            if current and (re.search(r"[.?!\"'”’‟)](\s{2,}|\t)\s*$", current[-1]) or len(current[-1]) > 200):
                end_paragraph()
            continue
        if _is_artefact(line, counts):
            continue  # footnote marker, page number, running header or footer
        if not in_notes and _is_heading(lines, i, previous_text, counts):
            end_section()
            heading = line
            previous_text = "."
            continue
        current.append(raw)
        previous_text = raw
    end_section()
    return result


BRACKETS = re.compile(r"\[([^\]]{1,30})\]")


def _pattern(quotation):
    """A regular expression for the quotation: the fragments between ellipses in order (the gap within the
    section), and an editor's bracketed change ("acknowledge[s]", "[t]heir") standing for itself or for at
    most one word of the text ("[these]" matches "[these]", "these" or "the workers'")."""
    fragments = [normalise(part) for part in ELLIPSIS.split(normalise(quotation))]
    fragments = [part for part in fragments if part]
    if not fragments:
        return None
    pieces = []
    for fragment in fragments:
        parts, position = [], 0
        for bracket in BRACKETS.finditer(fragment):
            parts.append(re.escape(fragment[position : bracket.start()]))
            parts.append(rf"(?:{re.escape(bracket.group(0))}|[^ ]{{0,30}})")
            position = bracket.end()
        parts.append(re.escape(fragment[position:]))
        pieces.append("".join(parts))
    return re.compile("(?:.*?)".join(pieces))


def _context(haystack, start, end, words=12):
    before = haystack[:start].split(" ")
    after = haystack[end:].split(" ")
    head = " ".join(before[-words:]).lstrip()
    tail = " ".join(after[: words + 1]).rstrip()
    prefix = "…" if len(before) > words else ""
    suffix = "…" if len(after) > words + 1 else ""
    return f"{prefix}{head}{haystack[start:end]}{tail}{suffix}"


def find(quotation, text, parsed=None):
    """The first place the quotation sits in the text, as a Match, or None when it is not there verbatim.

    `parsed` may pass `sections(text)` already computed, when many quotations are checked against one text."""
    pattern = _pattern(quotation)
    if pattern is None:
        return None
    for section in parsed if parsed is not None else sections(text):
        haystack = " ".join(section.paragraphs)
        found = pattern.search(haystack)
        if found is None:
            continue
        start, end = found.span()
        offset, paragraph = 0, 1
        for number, body in enumerate(section.paragraphs, start=1):
            if start < offset + len(body) + 1:
                paragraph = number
                break
            offset += len(body) + 1
        return Match(quotation, section.heading, paragraph, start, end, _context(haystack, start, end))
    return None


def locator_names(locator, match):
    """Whether a locator names the place a match sits in.

    The rule: the locator names the match's section heading (compared normalised, ignoring case); a match
    in a note is named by "Note n" (the locator may also name the section the note is attached to); a match
    in a text without headings is named by "para. n", its paragraph; a locator that gives "Abstract" names
    the text before the first heading (an abstract page). Pages ("manuscript p. 10") may be added freely.
    """
    wanted = normalise(locator).casefold()
    if match.note is not None:
        return re.search(rf"\bnote {match.note}\b", wanted) is not None
    if match.section:
        return normalise(match.section).casefold() in wanted
    if re.search(rf"\bparas?\. {match.paragraph}\b", wanted):
        return True
    return "abstract" in wanted
