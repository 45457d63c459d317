"""One search index across every kind of public entry.

A `SearchEntry` row is a denormalised copy of what a published entry says, in three weighted parts
(title, summary, body), with a copy of any Chinese text cut into words and the words it is found by without
showing them (pinyin). Only published content is ever copied here, so the search page cannot leak a draft.
The database-specific full-text index over these rows is created by migrations 0002 and 0004: a generated,
weighted `tsvector` column with a GIN index on PostgreSQL, an FTS5 table kept in step by triggers on SQLite.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """What the search page finds: one row per published entry of any kind."""

    # The key of a registered kind or part with a search document ("case", "event"): cases/search/documents.py.
    kind = models.CharField(max_length=12)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=400)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    context = models.CharField(max_length=300, blank=True, help_text=_("Shown under the title, e.g. the case."))
    # What the full-text index reads when a text holds Chinese (cases/search/chinese.py): its words apart, in
    # simplified characters. Null (no copy: the database's coalesce() reads the text itself) when it is the text
    # itself, so English entries are stored once.
    title_words = models.TextField(null=True, blank=True)  # noqa: DJ001
    summary_words = models.TextField(null=True, blank=True)  # noqa: DJ001
    body_words = models.TextField(null=True, blank=True)  # noqa: DJ001
    # Indexed, never shown: the pinyin of Chinese titles and names, and the words inside long Chinese words.
    hidden_words = models.TextField(blank=True, default="")

    class Meta:
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique_object")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class SearchTerm(models.Model):
    """A word of the published titles and summaries, with how many entries use it.

    The vocabulary the "did you mean" fallback corrects misspellings against ("cadmuim" → cadmium).
    It is built from published entries only, so no suggestion can reveal the words of a draft.
    """

    word = models.CharField(max_length=60, unique=True)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(entries__gte=1), name="searchterm_used")]

    def __str__(self):
        return self.word
