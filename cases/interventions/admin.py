from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from cases.curation.admin_base import (
    ArchiveModelAdmin,
    ArchiveStackedInline,
    ArchiveTabularInline,
    CuratedAdmin,
    CuratedAdminForm,
    QuotationCheckAdminMixin,
    QuotationModelForm,
    QuotationRowForm,
    source_authors,
)
from cases.curation.admin_mixins.translations import TranslationReviewAdminMixin

from .models import Event, Evidence, Figure, Intervention, Issue, Role, RoleKind, Tactic


def _row_value(row, name):
    """A field of an inline row: what the curator entered, else (a row left as it was) what it holds."""
    cleaned = getattr(row, "cleaned_data", None) or {}
    return cleaned.get(name.removesuffix("_id"), getattr(row.instance, name, None))


class RoleInline(ArchiveTabularInline):
    model = Role
    fields = ("organisation", "kind", "note", "source", "locator")
    autocomplete_fields = ("organisation", "source")


class EventInline(TranslationStackedInline, ArchiveStackedInline):
    model = Event
    fields = (
        ("position", "title"),
        ("date", "precision", "qualifier"),
        ("end_date", "end_precision"),
        "description",
        "place",
        ("source", "locator"),
    )
    autocomplete_fields = ("place", "source")
    ordering = ("position", "date")


class EvidenceInline(QuotationCheckAdminMixin, ArchiveStackedInline):
    model = Evidence
    form = QuotationRowForm
    fields = ("position", "quotation", "quotation_check", "attribution", "note", ("source", "locator"))
    readonly_fields = ("quotation_check",)
    autocomplete_fields = ("source",)


class FigureInline(ArchiveTabularInline):
    model = Figure
    fields = ("position", "label", "value", "source", "locator")
    autocomplete_fields = ("source",)


class InterventionAdminForm(CuratedAdminForm):
    """Checks that the issues and tactics marked as the archive's coding are among the case's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("issues_by_archive", "tactics_by_archive"):
            if name in self.fields:
                # The callable default (list) would add a hidden "initial" input that decides whether the field
                # changed; the stored list is the initial value, as for every other field of the form.
                self.fields[name].show_hidden_initial = False

    # An empty box means "none": the column holds a list, never null.
    def clean_issues_by_archive(self):
        return self.cleaned_data.get("issues_by_archive") or []

    def clean_tactics_by_archive(self):
        return self.cleaned_data.get("tactics_by_archive") or []

    def clean(self):
        cleaned = super().clean()
        slugs = {}
        for name in ("issues", "tactics"):
            chosen = cleaned.get(name)
            slugs[name] = [term.slug for term in chosen] if chosen is not None else []
        try:
            self.instance.issues_by_archive = cleaned.get("issues_by_archive") or []
            self.instance.tactics_by_archive = cleaned.get("tactics_by_archive") or []
            self.instance.clean_archive_coding(slugs["issues"], slugs["tactics"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return cleaned


@admin.register(Intervention)
class InterventionAdmin(TranslationReviewAdminMixin, CuratedAdmin):
    form = InterventionAdminForm
    actions = (*CuratedAdmin.actions, *TranslationReviewAdminMixin.review_actions)
    list_display = ("title", "kind", "stage", "outcome", "period_display", "source", "status")
    list_filter = ("status", "kind", "stage", "outcome", "issues", "tactics")
    list_select_related = ("source",)
    search_fields = (
        "title",
        "slug",
        "summary",
        "roles__organisation__name",
        "roles__organisation__short_name",
        "roles__organisation__name_zh_hans",
        "places__name",
        "locator",
        "evidence__quotation",
        "evidence__locator",
        "events__title",
    )
    identity_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("parent", "places", "issues", "tactics", "source")
    date_hierarchy = "start_date"
    # The scholarship app adds its stances inline (cases/scholarship/admin.py): it sits above this one.
    inlines = (RoleInline, EventInline, EvidenceInline, FigureInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "parent", "summary", "narrative")}),
        (
            _("When and where"),
            {
                "description": _("Give dates at the precision the source gives them: a year, a month or a day."),
                "fields": (("start_date", "start_precision"), ("end_date", "end_precision"), "places"),
            },
        ),
        (
            _("What about, and how"),
            {
                "description": _(
                    "List, by slug, the issues and tactics the archive assigns without the source "
                    'stating them, e.g. ["workplace-safety"]: the case page marks them as the archive\'s coding.'
                ),
                "fields": ("issues", "tactics", "issues_by_archive", "tactics_by_archive"),
            },
        ),
        (
            _("Movement process and outcome"),
            {
                "description": _(
                    "Tick “archive's coding” where the archive, not the source, assigns the stage or "
                    "classes the outcome."
                ),
                "fields": ("stage", "stage_note", "stage_by_archive", "outcome", "outcome_note", "outcome_by_archive"),
            },
        ),
        (_("Source"), {"fields": ("source", "locator")}),
        TranslationReviewAdminMixin.translation_fieldset,
        CuratedAdmin.publication_fieldset,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(source_authors("source__authorships"))

    @admin.display(description=_("When"), ordering="start_date")
    def period_display(self, obj):
        return obj.period_display

    def proposed_for_publication(self, form, formsets):
        proposed = {}
        for name in ("issues", "tactics"):
            if name in form.cleaned_data:
                proposed[f"has_{name[:-1]}"] = bool(form.cleaned_data[name])
        for formset in formsets:
            if formset.model is Role:
                formset.is_valid()  # cleans the rows (validation happens once; the admin asks again later)
                proposed["has_lead"] = any(
                    _row_value(row, "kind") == RoleKind.LEAD and not row.cleaned_data.get("DELETE")
                    for row in formset.forms
                    if _row_value(row, "organisation_id")
                )
        return proposed

    def choice_label(self, obj):
        """A case's title with its period: episodes of one campaign can share words of their titles."""
        return f"{obj.title} ({obj.period_display})"


class TermAdmin(ArchiveModelAdmin):
    list_display = ("name", "name_zh_hans", "name_pinyin", "slug", "description")
    search_fields = ("name", "name_zh_hans", "name_zh_hant", "name_pinyin", "slug", "description")
    identity_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Issue)
class IssueAdmin(TermAdmin):
    pass


@admin.register(Tactic)
class TacticAdmin(TermAdmin):
    pass


class InterventionPartAdmin(ArchiveModelAdmin):
    """A row that belongs to one intervention (usually edited inline there)."""

    list_select_related = ("intervention", "source")
    autocomplete_fields = ("intervention", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(source_authors("source__authorships"))


@admin.register(Role)
class RoleAdmin(InterventionPartAdmin):
    list_display = ("organisation", "kind", "intervention", "locator")
    list_filter = ("kind",)
    list_select_related = ("intervention", "organisation", "source")
    search_fields = ("organisation__name", "organisation__short_name", "intervention__title", "note", "locator")
    autocomplete_fields = ("intervention", "organisation", "source")


@admin.register(Event)
class EventAdmin(TranslationAdmin, InterventionPartAdmin):
    list_display = ("title", "date_display", "intervention", "place", "locator")
    list_filter = ("precision",)
    list_select_related = ("intervention", "place", "source")
    search_fields = ("title", "description", "intervention__title", "place__name", "locator")
    autocomplete_fields = ("intervention", "place", "source")

    @admin.display(description=_("Date"), ordering="date")
    def date_display(self, obj):
        return obj.date_display


@admin.register(Evidence)
class EvidenceAdmin(QuotationCheckAdminMixin, InterventionPartAdmin):
    form = QuotationModelForm
    list_display = ("__str__", "intervention", "source", "locator", "quotation_checked")
    readonly_fields = ("quotation_check",)
    search_fields = ("quotation", "attribution", "note", "intervention__title", "locator")


@admin.register(Figure)
class FigureAdmin(InterventionPartAdmin):
    list_display = ("label", "value", "intervention", "source", "locator")
    search_fields = ("label", "value", "intervention__title", "locator")
