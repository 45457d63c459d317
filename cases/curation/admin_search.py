"""Admin search that puts what a curator means first, and choice labels that tell records apart.

A curator who types "Pringle" into a source's autocomplete box means Pringle's works, not the twenty works whose
curator notes say they are cited in Pringle 2018; "Shenzhen" means the city, not Huizhou, whose description names
its neighbour. Django's admin search only filters, then sorts by the model's ordering. Here each admin names its
*identity* fields (names, titles, authors, years, slugs) and the matches are ranked, term by term:

    0  a field equals the term          ("pringle" = Pringle)
    1  a field starts with the term     ("shen" → Shenzhen)
    2  a word in a field starts with it ("solidarity" → "A Solidarity Machine?")
    3  a field contains it
    4  only the other search fields (summaries, quotations, notes) contain it

The ranks of the terms of a search add up, and ties are broken by the admin's `search_tiebreak` (a source: the
archive's seed texts first, then the most recent), then its usual order. Curators' private notes are searched in
the changelist (ranked last) but never in an autocomplete box, where they only bury the record meant.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

RANK = "search_rank"
# Searched in the changelist, never in an autocomplete box.
PRIVATE_SEARCH_FIELDS = ("curator_note",)
OTHER_FIELDS = 4


def is_autocomplete(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


def search_terms(search_term):
    """The terms of a search as Django's admin splits them (quoted phrases kept together)."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit.strip():
            terms.append(bit)
    return terms


class RankedSearchMixin:
    """Ranked admin search (see the module's docstring) and `choice_label`, the label of a record in choices."""

    # Names, titles, authors, years, slugs: what a curator types to find a record. Default: the first search field.
    identity_fields = ()
    search_tiebreak = ()

    def get_identity_fields(self):
        return self.identity_fields or tuple(self.search_fields[:1])

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if is_autocomplete(request):
            fields = tuple(f for f in fields if f.split("__")[-1] not in PRIVATE_SEARCH_FIELDS)
        return fields

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        terms = search_terms(search_term)
        if not terms or (ORDER_VAR in request.GET and not is_autocomplete(request)):
            return found, may_have_duplicates  # nothing to rank, or the curator sorted by a column
        if may_have_duplicates:
            # One row per record, so the rank can be annotated and survive the changelist.
            found = queryset.filter(pk__in=found.values("pk"))
        rank = sum((self._term_rank(term) for term in terms), Value(0))
        ordering = [*self.search_tiebreak, *(queryset.query.order_by or self.model._meta.ordering), "pk"]
        return found.annotate(**{RANK: rank}).order_by(RANK, *ordering), False

    def _term_rank(self, term):
        whens = []
        for level, lookups in enumerate(
            (("iexact",), ("istartswith",), ("icontains",), ("icontains",)),
        ):
            value = f" {term}" if level == 2 else term
            condition = Q()
            for field in self.get_identity_fields():
                for lookup in lookups:
                    condition |= self._match(field, lookup, value)
            whens.append(When(condition, then=Value(level)))
        return Case(*whens, default=Value(OTHER_FIELDS), output_field=IntegerField())

    def _match(self, field, lookup, value):
        """A match on `field`; across a relation as an EXISTS, so a record is never counted twice."""
        if "__" not in field:
            return Q(**{f"{field}__{lookup}": value})
        rows = self.model._base_manager.filter(pk=OuterRef("pk"), **{f"{field}__{lookup}": value})
        return Q(Exists(rows))

    def choice_label(self, obj):
        """How a record is named in autocomplete results and select boxes: enough to tell it from its namesakes."""
        return str(obj)

    def choice_queryset(self):
        """The records offered as choices, with what `choice_label` reads."""
        return self.model._default_manager.all()


class LabelledAutocompleteView(AutocompleteJsonView):
    """The autocomplete results, labelled by the target admin's `choice_label`."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "choice_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


def labelled_choices(model_admin, db_field, kwargs):
    """Choices of a relation labelled and fetched as the target's admin says (None: the default)."""
    target = model_admin.admin_site._registry.get(db_field.related_model)
    if target is None or not isinstance(target, RankedSearchMixin):
        return None
    if "queryset" not in kwargs:
        kwargs["queryset"] = target.choice_queryset()
    return target.choice_label


class ArchiveAdminSite(admin.AdminSite):
    """The archive's admin: named as the site is, with autocomplete results labelled to tell records apart."""

    site_header = _("Labour NGO Case Archive: curation")
    site_title = _("Labour NGO Case Archive curation")
    index_title = _("Curate the archive")

    def autocomplete_view(self, request):
        return LabelledAutocompleteView.as_view(admin_site=self)(request)
