"""Running a parsed query: the best the database offers, the same results page on both.

Two queries answer a page: one ranks every match and counts them per kind with window functions
(returning only the rows the page shows), one fetches highlighted titles and snippets for those rows.
Chinese is searched as words, in either script, and by pinyin (cases/search/chinese.py): what is highlighted
is the indexed copy of a text, shown again as the text was written (`chinese.shown`).
When nothing matches, misspelt words are corrected against the vocabulary of published entries
(pg_trgm similarity on PostgreSQL, difflib on SQLite) and the corrected query is run instead.
"""

import difflib
from dataclasses import dataclass, field

from django.db import connection
from django.db.models.functions import Length
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .chinese import has_chinese, shown
from .documents import MARK_END, MARK_START, choices
from .models import SearchTerm

PER_KIND = 5
PER_PAGE = 20
SNIPPET_WORDS = 28
TABLE = "search_searchentry"
# A body is read again only to show its snippet as it was written, when the index read a copy of it.
BODY_IF_CUT = "CASE WHEN e.body_words IS NULL THEN NULL ELSE e.body END"


def marked(text):
    """HTML for text carrying highlight markers: everything escaped, then the markers become <mark>."""
    html = escape(text)
    opened = html.count(MARK_START) - html.count(MARK_END)
    html = html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html + "</mark>" * max(opened, 0))  # noqa: S308 (escaped above; only our tags added)


@dataclass
class Hit:
    kind: str
    title: str
    snippet: str
    url: str
    context: str


@dataclass
class Group:
    kind: str
    label: str
    count: int
    hits: list = field(default_factory=list)


def _params_sql(count):
    return ", ".join(["%s"] * count)


class Backend:
    vendor = None

    def match_expression(self, parsed):
        raise NotImplementedError

    def ranked_sql(self):
        raise NotImplementedError

    def details_sql(self, count):
        raise NotImplementedError

    def ranked(self, parsed, kind=None, offset=0, limit=PER_KIND):
        """[(id, kind, rn, count in kind, rank)] for the rows to show, plus one row of every other kind (its count)."""
        inner = self.ranked_sql()
        if kind:
            where, params = "rn = 1 OR (kind = %s AND rn > %s AND rn <= %s)", [kind, offset, offset + limit]
        else:
            where, params = "rn <= %s", [limit]
        sql = (
            "SELECT id, kind, rn, cnt, r FROM (SELECT id, kind, r, "
            "row_number() OVER (PARTITION BY kind ORDER BY r DESC, id) AS rn, "
            f"count(*) OVER (PARTITION BY kind) AS cnt FROM ({inner}) AS matches) AS ranked "
            f"WHERE {where} ORDER BY kind, rn"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_expression(parsed), *params])
            return cursor.fetchall()

    def details(self, parsed, ids):
        if not ids:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(self.details_sql(len(ids)), [self.match_expression(parsed), *ids])
            rows = cursor.fetchall()
        found = {}
        for pk, title_marked, summary_snippet, body_snippet, title, summary, body, url, context in rows:
            title_marked = shown(title_marked, title)
            summary_snippet, body_snippet = shown(summary_snippet, summary), shown(body_snippet, body)
            snippet = next((s for s in (summary_snippet, body_snippet) if s and MARK_START in s), None)
            if snippet is None:
                words = summary.split()
                snippet = " ".join(words[:SNIPPET_WORDS]) + (" …" if len(words) > SNIPPET_WORDS else "")
            found[pk] = (marked(title_marked), marked(snippet), url, context)
        return found

    def known_words(self, words):
        return set(SearchTerm.objects.filter(word__in=words).values_list("word", flat=True))

    def closest_word(self, word):
        raise NotImplementedError


class SQLiteBackend(Backend):
    """FTS5 with bm25 ranking (title weighs most), highlight() and snippet()."""

    vendor = "sqlite"

    def match_expression(self, parsed):
        return parsed.fts5()

    def ranked_sql(self):
        # bm25() is smaller for better matches; negate it so that larger is better on both databases.
        return (
            "SELECT rowid AS id, kind, -bm25(search_fts, 10.0, 4.0, 1.0, 4.0) AS r "
            "FROM search_fts WHERE search_fts MATCH %s"
        )

    def details_sql(self, count):
        marks = f"char({ord(MARK_START)}), char({ord(MARK_END)})"
        return (
            f"SELECT e.id, highlight(search_fts, 0, {marks}), snippet(search_fts, 1, {marks}, '…', {SNIPPET_WORDS}), "
            f"snippet(search_fts, 2, {marks}, '…', {SNIPPET_WORDS}), "
            f"e.title, e.summary, {BODY_IF_CUT}, e.url, e.context "
            f"FROM search_fts JOIN {TABLE} AS e ON e.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND search_fts.rowid IN ({_params_sql(count)})"
        )

    def closest_word(self, word):
        # Candidates share the first letter and are about as long; difflib picks the nearest spelling.
        candidates = (
            SearchTerm.objects.annotate(size=Length("word"))
            .filter(word__startswith=word[0], size__gte=len(word) - 2, size__lte=len(word) + 2)
            .values_list("word", flat=True)
        )
        matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.75)
        return matches[0] if matches else None


class PostgresBackend(Backend):
    """The generated weighted tsvector with its GIN index, websearch_to_tsquery, ts_rank, ts_headline, pg_trgm."""

    vendor = "postgresql"
    HEADLINE = f"StartSel={MARK_START}, StopSel={MARK_END}"

    def match_expression(self, parsed):
        return parsed.websearch()

    def ranked_sql(self):
        return (
            f"SELECT e.id, e.kind, ts_rank(e.search_vector, q) AS r FROM {TABLE} AS e, "
            "websearch_to_tsquery('english', %s) AS q WHERE e.search_vector @@ q"
        )

    def details_sql(self, count):
        title = f"HighlightAll=true, {self.HEADLINE}"
        snippet = f'MaxFragments=2, MaxWords={SNIPPET_WORDS}, MinWords=10, FragmentDelimiter=" … ", {self.HEADLINE}'
        return (
            f"SELECT e.id, ts_headline('english', coalesce(e.title_words, e.title), q, '{title}'), "
            f"ts_headline('english', coalesce(e.summary_words, e.summary), q, '{snippet}'), "
            f"ts_headline('english', coalesce(e.body_words, e.body), q, '{snippet}'), "
            f"e.title, e.summary, {BODY_IF_CUT}, e.url, e.context "
            f"FROM {TABLE} AS e, websearch_to_tsquery('english', %s) AS q WHERE e.id IN ({_params_sql(count)})"
        )

    def closest_word(self, word):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_searchterm WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, entries DESC, word LIMIT 1",
                [word, word],
            )
            row = cursor.fetchone()
        return row[0] if row else None


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


@dataclass
class Results:
    parsed: object
    kind: str = ""
    groups: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    corrected: object = None
    page: int = 1

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def kind_counts(self):
        return [(value, label, self.counts[value]) for value, label in choices() if value in self.counts]

    @property
    def kind_count(self):
        return self.counts.get(self.kind, 0)

    @property
    def has_next(self):
        return bool(self.kind) and self.page * PER_PAGE < self.kind_count


def _run(engine, parsed, kind, page):
    offset = (page - 1) * PER_PAGE if kind else 0
    rows = engine.ranked(parsed, kind=kind or None, offset=offset, limit=PER_PAGE if kind else PER_KIND)
    counts = {}
    shown = []
    for pk, row_kind, rn, cnt, _rank in rows:
        counts[row_kind] = cnt
        if not kind or (row_kind == kind and rn > offset):
            shown.append((pk, row_kind))
    details = engine.details(parsed, [pk for pk, _ in shown])
    groups = {}
    for pk, row_kind in shown:
        if pk in details:
            title, snippet, url, context = details[pk]
            groups.setdefault(row_kind, []).append(Hit(row_kind, title, snippet, url, context))
    # Groups in a fixed order (cases first): ranks of different kinds of text are not comparable.
    ordered = [Group(k, label, counts[k], groups[k]) for k, label in choices() if k in groups]
    return counts, ordered


def search(parsed, kind="", page=1):
    """Search the index; kind narrows to one kind and pages through it."""
    engine = backend()
    results = Results(parsed=parsed, kind=kind, page=page)
    if not parsed:
        return results
    results.counts, results.groups = _run(engine, parsed, kind, page)
    if results.total == 0:
        corrections = suggest(engine, parsed)
        if corrections:
            corrected = parsed.replace_words(corrections)
            results.corrected = corrected
            results.counts, results.groups = _run(engine, corrected, kind, page)
    return results


def suggest(engine, parsed):
    """{misspelt word: the published word it most likely meant}, for words no published entry uses."""
    words = [w for w in dict.fromkeys(parsed.words) if w.isalpha() and len(w) >= 4 and not has_chinese(w)]
    if not words:
        return {}
    known = engine.known_words(words)
    corrections = {}
    for word in words:
        if word not in known:
            closest = engine.closest_word(word)
            if closest and closest != word:
                corrections[word] = closest
    return corrections
