"""One search index across every kind of public entry.

A `SearchEntry` row is a denormalised copy of what a published entry says, in three weighted parts
(title, summary, body). Only published content is ever copied here, so the search page cannot leak
a draft. The database-specific full-text index over these rows is created by migration 0002:
a generated, weighted `tsvector` column with a GIN index on PostgreSQL, an FTS5 table kept in step
by triggers on SQLite.
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
