from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.curation.admin_base import ArchiveModelAdmin, ArchiveTabularInline, CuratedAdmin, source_authors

from .models import Organisation, OrganisationRelation


class OrganisationRelationInline(ArchiveTabularInline):
    model = OrganisationRelation
    fk_name = "subject"
    fields = ("kind", "object", "description", "source", "locator")
    autocomplete_fields = ("object", "source")
    verbose_name = _("relation to another organisation")
    verbose_name_plural = _("relations to other organisations")


@admin.register(Organisation)
class OrganisationAdmin(CuratedAdmin):
    list_display = ("name", "short_name", "name_zh_hans", "kind", "base", "is_pseudonym", "status")
    list_filter = ("status", "kind", "base", "is_pseudonym", "is_unnamed")
    search_fields = ("name", "short_name", "name_zh_hans", "name_zh_hant", "name_pinyin", "slug", "summary", "locator")
    identity_fields = ("name", "short_name", "name_zh_hans", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("base_place", "source")
    inlines = (OrganisationRelationInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "short_name",
                    ("name_zh_hans", "name_zh_hant", "name_pinyin"),
                    "slug",
                    ("kind", "base", "base_place"),
                    ("is_pseudonym", "is_unnamed"),
                )
            },
        ),
        (_("What the sources say"), {"fields": ("summary", "source", "locator")}),
        CuratedAdmin.publication_fieldset,
    )

    def choice_label(self, obj):
        """“ACFTU — All-China Federation of Trade Unions (Official union)”: short name, name and kind."""
        name = f"{obj.short_name} — {obj.name}" if obj.short_name and obj.short_name != obj.name else obj.name
        return f"{name} ({obj.get_kind_display()})"


@admin.register(OrganisationRelation)
class OrganisationRelationAdmin(ArchiveModelAdmin):
    list_display = ("subject", "kind", "object", "source", "locator")
    list_filter = ("kind",)
    list_select_related = ("subject", "object", "source")
    search_fields = (
        "subject__name",
        "subject__short_name",
        "subject__slug",
        "object__name",
        "object__short_name",
        "object__slug",
        "description",
    )
    autocomplete_fields = ("subject", "object", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(source_authors("source__authorships"))
