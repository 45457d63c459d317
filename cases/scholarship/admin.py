from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.curation.admin_base import (
    ArchiveModelAdmin,
    ArchiveStackedInline,
    CuratedAdmin,
    QuotationCheckAdminMixin,
    QuotationCuratedForm,
    QuotationModelForm,
    QuotationRowForm,
    source_authors,
)
from cases.curation.admin_mixins.translations import TranslationReviewAdminMixin
from cases.interventions.admin import InterventionAdmin

from .models import Concept, Position, Stance


class StanceInline(QuotationCheckAdminMixin, ArchiveStackedInline):
    model = Stance
    form = QuotationRowForm
    fields = (("position", "relation"), "sentence", "quotation_check", "explanation", ("source", "locator"))
    readonly_fields = ("quotation_check",)
    autocomplete_fields = ("position", "source")
    verbose_name = _("bearing on a scholarly position")
    verbose_name_plural = _("bearings on scholarly positions")


# A case's bearings on the debate are edited on the case's page; this app contributes the inline to it.
InterventionAdmin.inlines = (*InterventionAdmin.inlines, StanceInline)


class PositionStanceInline(QuotationCheckAdminMixin, ArchiveStackedInline):
    model = Stance
    form = QuotationRowForm
    fields = (("intervention", "relation"), "sentence", "quotation_check", "explanation", ("source", "locator"))
    readonly_fields = ("quotation_check",)
    autocomplete_fields = ("intervention", "source")
    verbose_name = _("case bearing on this position")
    verbose_name_plural = _("cases bearing on this position")


@admin.register(Position)
class PositionAdmin(QuotationCheckAdminMixin, TranslationReviewAdminMixin, CuratedAdmin):
    form = QuotationCuratedForm
    actions = (*CuratedAdmin.actions, *TranslationReviewAdminMixin.review_actions)
    readonly_fields = (*CuratedAdmin.readonly_fields, "quotation_check")
    list_display = ("title", "scholar", "outlook", "rank", "source", "status")
    list_filter = ("status", "outlook")
    list_select_related = ("source", "reported_in")
    search_fields = ("title", "scholar", "slug", "claim", "key_quotation", "cited_pages", "reported_locator")
    identity_fields = ("title", "scholar", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("source", "reported_in")
    inlines = (PositionStanceInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "scholar", "claim", "key_quotation", "quotation_check")}),
        (_("On the spectrum"), {"fields": (("outlook", "rank"), "outlook_note")}),
        (_("Where it comes from"), {"fields": (("source", "cited_pages"), ("reported_in", "reported_locator"))}),
        TranslationReviewAdminMixin.translation_fieldset,
        CuratedAdmin.publication_fieldset,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(source_authors("source__authorships"))


@admin.register(Stance)
class StanceAdmin(QuotationCheckAdminMixin, ArchiveModelAdmin):
    form = QuotationModelForm
    readonly_fields = ("quotation_check",)
    list_display = ("intervention", "relation", "position", "locator")
    list_filter = ("relation",)
    list_select_related = ("intervention", "position")
    search_fields = (
        "intervention__title",
        "position__title",
        "position__scholar",
        "sentence",
        "explanation",
        "locator",
    )
    autocomplete_fields = ("position", "intervention", "source")


@admin.register(Concept)
class ConceptAdmin(TranslationReviewAdminMixin, CuratedAdmin):
    actions = (*CuratedAdmin.actions, *TranslationReviewAdminMixin.review_actions)
    list_display = ("term", "name_zh_hans", "aliases", "is_framework_stage", "status")
    list_filter = ("status", "is_framework_stage")
    search_fields = ("term", "name_zh_hans", "name_zh_hant", "name_pinyin", "aliases", "slug", "definition", "locator")
    identity_fields = ("term", "name_zh_hans", "aliases", "slug")
    prepopulated_fields = {"slug": ("term",)}
    autocomplete_fields = ("related", "source")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "term",
                    ("name_zh_hans", "name_zh_hant", "name_pinyin"),
                    "slug",
                    "aliases",
                    "is_framework_stage",
                )
            },
        ),
        (_("Definition"), {"fields": ("definition", "related", "source", "locator")}),
        TranslationReviewAdminMixin.translation_fieldset,
        CuratedAdmin.publication_fieldset,
    )
