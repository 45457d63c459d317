"""Quotations checked against their source's text, and the result recorded on each row (`quotation_checked`),
so that public pages show the "checked against the text" mark without running the check.

Who runs it: the admin, on saving a row whose quotation or source changed (QuotationCheckFormMixin); the admin of
sources, when a source's text changes (recheck); `load_archive` and `manage.py check_quotations` over everything.
The rules of the comparison are in cases/core/quotations.py.
"""

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.core.models import Source
from cases.core.quotations import find, sections

NOT_FOUND = _(
    "Not found verbatim in the source’s text. Copy the words exactly: mark a gap with “[...]” and a changed letter "
    "with brackets (“[t]heir”); quotation marks, dashes, line breaks and hyphenation need not match."
)


@dataclass(frozen=True)
class Quoted:
    """A model with a quotation field, and the source fields it is checked against (the first one filled)."""

    label: str
    field: str
    sources: tuple
    locator: str

    @property
    def model(self):
        return apps.get_model(self.label)

    def source_id(self, row):
        for name in self.sources:
            value = getattr(row, f"{name}_id")
            if value is not None:
                return value
        return None


QUOTED = (
    Quoted("interventions.Evidence", "quotation", ("source",), "locator"),
    Quoted("scholarship.Stance", "sentence", ("source",), "locator"),
    # A position quotes its scholar as the reporting source cites them.
    Quoted("scholarship.Position", "key_quotation", ("reported_in", "source"), "reported_locator"),
)


@dataclass
class Failure:
    row: object
    field: str
    source: object

    def __str__(self):
        return f"{self.row._meta.label} {self.row.pk} ({self.row}): {self.field} not found in {self.source.slug}"


def recheck(sources=None):
    """Check every quotation (resting on `sources`, when given) and store the results.

    Returns the failures: quotations whose source has a text that does not hold them. A quotation whose source
    has no text is recorded as unchecked, and is no failure."""
    query = Source.objects.exclude(text="")
    if sources is not None:
        query = query.filter(pk__in=[s.pk for s in sources])
    texts = {source.pk: source for source in query.only("pk", "slug", "text")}
    parsed = {}
    failures = []
    for quoted in QUOTED:
        model = quoted.model
        rows = model._default_manager.all()
        if sources is not None:
            condition = None
            for name in quoted.sources:
                q = model._default_manager.filter(**{f"{name}__in": [s.pk for s in sources]})
                condition = q if condition is None else condition | q
            rows = condition
        changed = []
        for row in rows.only("pk", quoted.field, "quotation_checked", *(f"{n}_id" for n in quoted.sources)):
            source = texts.get(quoted.source_id(row))
            quotation = getattr(row, quoted.field)
            checked = False
            if source is not None and quotation:
                if source.pk not in parsed:
                    parsed[source.pk] = sections(source.text)
                checked = find(quotation, source.text, parsed[source.pk]) is not None
                if not checked:
                    failures.append(Failure(row, quoted.field, source))
            if row.quotation_checked != checked:
                row.quotation_checked = checked
                changed.append(row)
        model._default_manager.bulk_update(changed, ["quotation_checked"], batch_size=200)
    return failures


class QuotationCheckFormMixin:
    """For the admin form of a row with a quotation: a quotation not in its source's text is refused, and a
    found one is recorded (`quotation_checked`) with its place (`quotation_match`, shown on the change page).

    Runs only when the quotation or its source changed: a save that leaves them as they were costs nothing."""

    quotation_match = None

    def _quoted(self):
        label = type(self.instance)._meta.label
        return next((q for q in QUOTED if q.label == label), None)

    def clean(self):
        cleaned = super().clean()
        quoted = self._quoted()
        if quoted is None or quoted.field not in self.fields:
            return cleaned
        watched = {quoted.field, *quoted.sources}
        if self.instance.pk is not None and not watched & set(self.changed_data):
            return cleaned
        source = None
        for name in quoted.sources:
            source = cleaned.get(name) if name in self.fields else getattr(self.instance, name, None)
            if source is not None:
                break
        quotation = cleaned.get(quoted.field)
        text = getattr(source, "text", "") if source is not None else ""
        self.instance.quotation_checked = False
        if not quotation or not text:
            return cleaned
        match = find(quotation, text)
        if match is None:
            self.add_error(quoted.field, forms.ValidationError(NOT_FOUND, code="quotation_not_verbatim"))
        else:
            self.instance.quotation_checked = True
            self.quotation_match = match
        return cleaned


def describe(row):
    """Where the row's quotation sits in its source's text, for the change page: section and context."""
    quoted = next((q for q in QUOTED if q.label == row._meta.label), None)
    if quoted is None or row.pk is None:
        return ""
    source_id = quoted.source_id(row)
    text = Source.objects.filter(pk=source_id).values_list("text", flat=True).first() if source_id else ""
    quotation = getattr(row, quoted.field)
    if not text:
        return gettext("The source has no text: the quotation cannot be checked.")
    if not quotation:
        return ""
    match = find(quotation, text)
    if match is None:
        return gettext("Not found verbatim in the source’s text.")
    where = match.section or gettext("para. %(number)s") % {"number": match.paragraph}
    return gettext("Found in “%(where)s”: %(context)s") % {"where": where, "context": match.context}
