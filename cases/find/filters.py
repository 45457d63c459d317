"""The building blocks of the FilterSets: slug-valued facets, year ranges, sorting.

One FilterSet per list drives the HTML page, its CSV and JSON exports and the API, so a URL such as
`?organisation=hkc&stage=campaign` means the same thing everywhere. Several values of one filter are
combined with OR, different filters with AND. Values are validated before any query runs: a value that is
not a slug (a NUL byte, a very long string) is a form error, never a database error.
"""

import datetime
import re
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When, Window
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.drainage import set_override

from cases.core.chinese import ChineseName, local_label
from cases.core.gate import is_curated, published_q

SLUG = re.compile(r"[-\w]{1,120}", re.ASCII)
MAX_VALUES = 30
YEAR_MIN, YEAR_MAX = 1800, 2100
INTEGER = IntegerField()


def describe(filter_, schema, description):
    """The filter's OpenAPI schema, for the API's documentation (drf-spectacular reads it)."""
    set_override(filter_, "field", {**schema, "description": description})


def shown(value, limit=40):
    """A visitor's value, safe to repeat in a message: printable characters only, and not too long."""
    text = "".join(ch for ch in str(value) if ch.isprintable())
    if not text:
        return gettext("(unprintable characters)")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SlugListField(forms.Field):
    """Every value of a repeated parameter (`?issue=a&issue=b`), each a slug; duplicates dropped."""

    widget = forms.SelectMultiple  # reads all values of the parameter, not only the last

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = [value]
        return list(dict.fromkeys(str(item).strip() for item in value if str(item).strip()))

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_VALUES:
            raise ValidationError(gettext("Choose at most %(limit)s values.") % {"limit": MAX_VALUES}, code="too_many")
        for item in value:
            if not SLUG.fullmatch(item):
                # The value goes in as a parameter: a "%" in it must not be read as a format directive.
                raise ValidationError(
                    gettext("“%(value)s” is not a value this filter knows: choose one of the listed options."),
                    code="invalid_choice",
                    params={"value": shown(item)},
                )


class ChoiceListField(SlugListField):
    """Like SlugListField, but only the given choices are allowed."""

    def __init__(self, *, choices=(), **kwargs):
        self.allowed = [slug for slug, _label in choices]
        # Readers are told the choices as the page names them ("Not achieved"), never by their codes.
        self.labels = [label for _slug, label in choices]
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        for item in value:
            if item not in self.allowed:
                raise ValidationError(
                    gettext("“%(value)s” is not one of the choices: %(choices)s."),
                    code="invalid_choice",
                    params={"value": shown(item), "choices": ", ".join(str(label) for label in self.labels)},
                )


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""


@dataclass
class FacetResult:
    name: str
    label: str
    options: list
    selected: list
    unknown: list = field(default_factory=list)
    total: int = 0  # options with any entry, of which `options` may show only the first
    all_url: str = ""  # the link that lists every option, when some are not shown


class FacetFilter(django_filters.Filter):
    """A filter shown as a facet: several values combine with OR, and each option is counted."""

    def options(self, base, selected, limit):
        """([(value, label, count)], total): the options with cases in `base`, the selected ones first, at most
        `limit` (None: all), and how many options there are in all."""
        raise NotImplementedError


class RelatedFilter(FacetFilter):
    """Entries linked to a related entry, named by its slug (`?organisation=hkc`).

    `path` leads from the listed model to the related one. Only published related entries
    are options and match when the related model is curated, so a draft organisation filters nothing in.
    """

    field_class = SlugListField

    def __init__(self, *, model, path, label_fields=("name",), formatter=None, weigh=(), then=(), **kwargs):
        """`weigh`: counts over the link rows that rank an option before the plain count does (the cases an
        organisation led, before those it took any part in); `then`: fields of the option model that order options
        of equal counts before their labels do (named organisations before unnamed groups)."""
        self.option_model, self.path = model, path
        self.weigh, self.then = weigh, then
        if formatter is None and label_fields == ("name",) and issubclass(model, ChineseName):
            # A Chinese page names the options (and the chips) as the map and the entry pages do.
            label_fields, formatter = ("name", "name_zh_hans", "name_zh_hant"), local_label
        self.label_fields = label_fields
        self.formatter = formatter or (lambda *values: values[0])
        self.curated = is_curated(model)
        super().__init__(**kwargs)
        slug = {"type": "string", "pattern": r"^[-\w]{1,120}$"}
        describe(self, {"type": "array", "items": slug}, f"{self.label}: slugs, repeat to combine with OR.")

    def filter(self, qs, value):
        if not value:
            return qs
        # One filter() call: across a many-valued relation, two calls would match the slug and the state on
        # different rows (a case with a draft organisation of that slug and another, published one).
        condition = Q(**{f"{self.path}__slug__in": value})
        if self.curated:
            condition &= published_q(self.path)
        matching = qs.model._default_manager.filter(condition)
        # A subquery rather than a join: a case linked to two of the values is listed once, without DISTINCT.
        return qs.filter(pk__in=matching.values("pk"))

    def options(self, base, selected, limit):
        """Counted on the link rows of the narrowed cases only, grouped by option: one aggregate query.

        The most frequent options come first (the selected ones before them; `weigh` and `then` refine the
        order), with their labels joined in;
        only a selected option that no narrowed case has (count 0) costs one more query, for its label. The number of
        options with any case comes with the rows (a window count), for the "show all" link.
        """
        # One filter() call, so that both conditions and the values below share one join of the link table.
        condition = published_q(self.path) if self.curated else Q(**{f"{self.path}__isnull": False})
        linked = base.order_by().filter(condition)
        labels = [f"{self.path}__{name}" for name in self.label_fields]
        chosen = Case(When(**{f"{self.path}__slug__in": selected}, then=Value(0)), default=Value(1))
        weights = {f"weight_{i}": weight for i, weight in enumerate(self.weigh)}
        then = [f"{self.path}__{name}" for name in self.then]
        rows = list(
            linked.values(f"{self.path}__slug", *labels)
            .annotate(
                n=Count("pk", distinct=True),
                total=Window(Count("*")),
                chosen=Max(chosen, output_field=INTEGER),
                **weights,
            )
            .order_by("chosen", *(f"-{name}" for name in weights), "-n", *then, *labels, f"{self.path}__slug")
            .values_list(f"{self.path}__slug", "n", "total", *labels)[:limit]
        )
        total = rows[0][2] if rows else 0
        found = {row[0] for row in rows}
        options = [(slug, self.formatter(*label), n) for slug, n, _total, *label in rows]
        missing = [slug for slug in selected if slug not in found]
        if missing:
            # Named only when a public entry of the list links to it: a vocabulary term used by drafts alone (a
            # tactic whose slug is guessed) is not named, whatever the other filters narrowed away.
            listed = base.model._default_manager
            listed = listed.published() if is_curated(base.model) else listed.all()
            condition = Q(**{f"{self.path}__slug__in": missing})
            if self.curated:
                condition &= published_q(self.path)
            extra = listed.filter(condition).order_by().values_list(f"{self.path}__slug", *labels).distinct()
            zero = {slug: self.formatter(*label) for slug, *label in extra}
            chosen_rows = [option for option in options if option[0] in selected]
            rest = [option for option in options if option[0] not in selected]
            options = chosen_rows + [(slug, zero[slug], 0) for slug in missing if slug in zero] + rest
            total += len(zero)
        return options, total


class ChoicesFilter(FacetFilter):
    """A field with fixed choices (`?stage=campaign&stage=social_movement_project`).

    `choices` are (slug, label) pairs; `values` maps a slug to the stored value when they differ.
    """

    field_class = ChoiceListField

    def __init__(self, *, choices, values=None, **kwargs):
        self.choice_list = [(str(slug), label) for slug, label in choices]
        self.values = values or {}
        super().__init__(choices=self.choice_list, **kwargs)
        enum = {"type": "string", "enum": [slug for slug, _label in self.choice_list]}
        describe(self, {"type": "array", "items": enum}, f"{self.label}: repeat to combine with OR.")

    def stored(self, slug):
        return self.values.get(slug, slug)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": [self.stored(slug) for slug in value]})

    def options(self, base, selected, limit):
        counts = dict(base.order_by().values_list(self.field_name).annotate(n=Count("pk")))
        rows = [(slug, label, counts.get(self.stored(slug), 0)) for slug, label in self.choice_list]
        rows = [row for row in rows if row[2] or row[0] in selected]
        return rows[:limit], len(rows)


class YearFilter(django_filters.NumberFilter):
    """A year between 1800 and 2100; the FilterSet's method decides what it bounds."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(**kwargs)
        describe(self, {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}, str(self.label))


class SortFilter(django_filters.Filter):
    """`?sort=latest`: `orderings` is [(slug, label, (order_by terms...))]; the first is the default."""

    field_class = forms.ChoiceField

    def __init__(self, *, orderings, **kwargs):
        self.orderings = {slug: terms for slug, _label, terms in orderings}
        self.default = orderings[0][0]
        super().__init__(choices=[(slug, label) for slug, label, _terms in orderings], **kwargs)
        enum = {"type": "string", "enum": list(self.orderings)}
        describe(self, enum, f"Order of the results (default {self.default}).")

    def filter(self, qs, value):
        return qs.order_by(*self.orderings[value]) if value else qs


def year_start(year):
    return datetime.date(year, 1, 1)


def year_end(year):
    return datetime.date(year, 12, 31)


class FindForm(forms.Form):
    """Cross-field checks of a filter form."""

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first is not None and last is not None and first > last:
            self.add_error(
                "year_to",
                ValidationError(
                    gettext_lazy("The last year (%(last)s) is before the first (%(first)s): swap them."),
                    params={"last": last, "first": first},
                ),
            )
        return data


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose facets are counted given the other filters, with sorting applied last."""

    # The most frequent options shown per facet (the chosen ones are listed first, so all MAX_VALUES of them
    # fit); `?more=<facet>` lists all.
    facet_limit = 30

    class Meta:
        form = FindForm

    def filter_queryset(self, queryset, without=None, sort=True):
        sort_filter = None
        for name, value in self.form.cleaned_data.items():
            current = self.filters[name]
            if isinstance(current, SortFilter):
                sort_filter = (current, value)
            elif name != without:
                queryset = current.filter(queryset, value)
        if sort and sort_filter:
            queryset = sort_filter[0].filter(queryset, sort_filter[1])
        return queryset

    def facets(self, base, expand=None):
        """One FacetResult per facet filter; each costs one aggregate query over `base` narrowed by the others
        (and one more for a related facet with chosen values). `expand` names a facet to list in full."""
        self.errors  # noqa: B018 -- validates the form, so cleaned_data holds only valid values
        results = []
        for name, current in self.filters.items():
            if not isinstance(current, FacetFilter):
                continue
            selected = self.form.cleaned_data.get(name) or []
            limit = None if name == expand else self.facet_limit
            rows, total = current.options(self.filter_queryset(base, without=name, sort=False), selected, limit)
            options = [Option(value, label, count, value in selected) for value, label, count in rows]
            known = {option.value for option in options}
            unknown = [value for value in selected if value not in known]
            results.append(FacetResult(name, current.label, options, selected, unknown, total))
        return results
