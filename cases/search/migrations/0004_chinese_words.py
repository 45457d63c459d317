"""The full-text index reads Chinese cut into words (cases/search/chinese.py).

Each entry gains the copies of its texts the index reads when they hold Chinese (null otherwise) and the words it
is found by without showing them. The database's index is made again over them: on PostgreSQL the generated
tsvector (the hidden words weighted B, as a summary); on SQLite the FTS5 table, whose content is now a view that
gives each text's indexed copy where there is one, with its triggers. The entries already indexed get their
copies here, so the index is whole at once; what the documents now add (places, the Chinese names of a case's
places and organisations, the pinyin of names) comes with `manage.py rebuild_search_index`, run once after.

A later migration that alters search_searchentry on SQLite rebuilds the table and drops the triggers: it must
create them again (reuse SQLITE_CREATE, after SQLITE_DROP).
"""

from importlib import import_module

from django.db import migrations, models

from cases.search.chinese import has_chinese, hidden_words, indexed_text

_0002 = import_module("cases.search.migrations.0002_fulltext_index")

ZWSP = "U&'\\200B'"

POSTGRES_DROP = [
    "DROP INDEX IF EXISTS searchentry_vector_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]
POSTGRES_CREATE = [
    # The separator between Chinese words is made a space here, so the words come apart whatever the locale.
    f"""
    ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, replace(coalesce(title_words, title, ''), {ZWSP}, ' ')), 'A')
        || setweight(to_tsvector('english'::regconfig, replace(coalesce(summary_words, summary, ''), {ZWSP}, ' ')), 'B')
        || setweight(to_tsvector('english'::regconfig, replace(coalesce(body_words, body, ''), {ZWSP}, ' ')), 'C')
        || setweight(to_tsvector('english'::regconfig, coalesce(hidden_words, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX searchentry_vector_gin ON search_searchentry USING gin (search_vector)",
]


def _texts(row):
    """What the index reads of a row of search_searchentry, in a trigger (`new` or `old`)."""
    return (
        f"coalesce({row}.title_words, {row}.title), coalesce({row}.summary_words, {row}.summary), "
        f"coalesce({row}.body_words, {row}.body), {row}.hidden_words, {row}.kind"
    )


SQLITE_CREATE = [
    """
    CREATE VIEW search_fts_text AS SELECT e.id, coalesce(e.title_words, e.title) AS title,
        coalesce(e.summary_words, e.summary) AS summary, coalesce(e.body_words, e.body) AS body,
        e.hidden_words AS hidden, e.kind FROM search_searchentry AS e
    """,
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title, summary, body, hidden, kind UNINDEXED,
        content='search_fts_text', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title, summary, body, hidden, kind)
        VALUES (new.id, {_texts("new")});
    END
    """,
    f"""
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, body, hidden, kind)
        VALUES ('delete', old.id, {_texts("old")});
    END
    """,
    f"""
    CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, body, hidden, kind)
        VALUES ('delete', old.id, {_texts("old")});
        INSERT INTO search_fts(rowid, title, summary, body, hidden, kind)
        VALUES (new.id, {_texts("new")});
    END
    """,
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [*_0002.SQLITE_BACKWARD, "DROP VIEW IF EXISTS search_fts_text"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def cut_chinese_words(apps, schema_editor):
    """Give the entries already indexed their copies, and drop Chinese runs from the misspelling vocabulary (it
    corrects alphabetic words only)."""
    entries = apps.get_model("search", "SearchEntry").objects.using(schema_editor.connection.alias)
    for entry in entries.all().iterator():
        texts = [entry.title, entry.summary, entry.body]
        if not any(has_chinese(text) for text in texts):
            continue
        entry.title_words, entry.summary_words, entry.body_words = (indexed_text(text) for text in texts)
        entry.hidden_words = hidden_words([entry.title], texts)
        entry.save(update_fields=["title_words", "summary_words", "body_words", "hidden_words"])
    terms = apps.get_model("search", "SearchTerm").objects.using(schema_editor.connection.alias)
    terms.filter(pk__in=[term.pk for term in terms.all() if has_chinese(term.word)]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0003_kinds_from_the_registry")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}),
            _run({"postgresql": _0002.POSTGRES_FORWARD[1:3], "sqlite": _0002.SQLITE_FORWARD}),
        ),
        migrations.AddField(
            model_name="searchentry", name="title_words", field=models.TextField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="searchentry", name="summary_words", field=models.TextField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="searchentry", name="body_words", field=models.TextField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="searchentry", name="hidden_words", field=models.TextField(blank=True, default="")
        ),
        migrations.RunPython(cut_chinese_words, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}),
            _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}),
        ),
    ]
