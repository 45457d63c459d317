"""The curators' admin for sources, their authors, methods and citations, and places."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.core.models import Author, Citation, Place, ResearchMethod, Source, SourceAuthor
from cases.curation.admin_base import (
    ArchiveModelAdmin,
    ArchiveStackedInline,
    ArchiveTabularInline,
    CuratedAdmin,
    source_authors,
    sources_with_authors,
)
from cases.curation.quotation_check import recheck


class SourceAuthorInline(ArchiveTabularInline):
    model = SourceAuthor
    fields = ("position", "author")
    autocomplete_fields = ("author",)
    ordering = ("position",)
    show_change_link = False


class ResearchMethodInline(ArchiveStackedInline):
    model = ResearchMethod
    fields = (("position", "kind"), "description", ("count", "count_unit", "period"), "locator")
    ordering = ("position",)


class CitationInline(ArchiveTabularInline):
    model = Citation
    fk_name = "citing"
    fields = ("cited", "locator")
    autocomplete_fields = ("cited",)
    verbose_name = _("work this source cites")
    verbose_name_plural = _("works this source cites")


@admin.register(Source)
class SourceAdmin(CuratedAdmin):
    list_display = ("__str__", "year", "kind", "container_title", "is_seed", "needs_checking", "status")
    list_display_links = ("__str__",)
    list_filter = ("status", "kind", "is_seed", "needs_checking")
    search_fields = (
        "title",
        "short_title",
        "slug",
        "container_title",
        "doi",
        "year",
        "authors__family_name",
        "authors__given_names",
        "curator_note",
    )
    identity_fields = ("authors__family_name", "title", "short_title", "year", "slug")
    # Among works of one author, the archive's seed texts (what evidence cites) first, then the most recent.
    search_tiebreak = ("-is_seed", "-year")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (SourceAuthorInline, ResearchMethodInline, CitationInline)
    fieldsets = (
        (None, {"fields": ("title", "short_title", "slug", "kind", "year", "is_seed", "needs_checking")}),
        (
            _("Publication details"),
            {
                "fields": (
                    "container_title",
                    "editors",
                    ("volume", "issue", "pages"),
                    ("publisher", "publisher_place"),
                    "doi",
                    "url",
                )
            },
        ),
        (_("Abstract"), {"fields": ("abstract",)}),
        (
            _("Text (private to curators)"),
            {
                "classes": ("collapse",),
                "description": _(
                    "The full text, never shown on public pages: quotations from this source are "
                    "checked against it when saved, and when it changes."
                ),
                "fields": ("text",),
            },
        ),
        CuratedAdmin.publication_fieldset,
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "text" in form.changed_data and form.instance.pk is not None:
            failures = recheck([form.instance])
            if failures:
                self.message_user(
                    request,
                    gettext("%(count)s quotation(s) from this source are not found verbatim in its text: %(list)s")
                    % {"count": len(failures), "list": "; ".join(str(f) for f in failures[:5])},
                    messages.WARNING,
                )

    def get_queryset(self, request):
        # The changelist, the autocomplete results and the change page all print the author label.
        return super().get_queryset(request).prefetch_related(source_authors())

    def choice_label(self, obj):
        """“Pringle (2018) — A Solidarity Machine?”: author and year as cited, then the title."""
        title = obj.title or gettext("title not on record")
        return f"{obj.author_label} ({obj.year_display}) — {title}"

    def choice_queryset(self):
        return sources_with_authors()


@admin.register(Author)
class AuthorAdmin(ArchiveModelAdmin):
    list_display = ("family_name", "given_names", "slug", "source_count")
    ordering = ("family_name", "given_names")
    search_fields = ("family_name", "given_names", "slug")
    identity_fields = ("family_name", "given_names", "slug")
    prepopulated_fields = {"slug": ("given_names", "family_name")}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("authorships"))

    @admin.display(description=_("Sources"), ordering="source_count")
    def source_count(self, obj):
        return obj.source_count


@admin.register(SourceAuthor)
class SourceAuthorAdmin(ArchiveModelAdmin):
    list_display = ("source", "position", "author")
    list_select_related = ("source", "author")
    search_fields = ("source__title", "source__slug", "author__family_name", "author__given_names")
    autocomplete_fields = ("source", "author")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(source_authors("source__authorships"))


@admin.register(Citation)
class CitationAdmin(ArchiveModelAdmin):
    list_display = ("citing", "cited", "locator")
    list_select_related = ("citing", "cited")
    search_fields = ("citing__title", "citing__slug", "cited__title", "cited__slug", "locator")
    autocomplete_fields = ("citing", "cited")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                source_authors("citing__authorships"),
                source_authors("cited__authorships"),
            )
        )


@admin.register(ResearchMethod)
class ResearchMethodAdmin(ArchiveModelAdmin):
    list_display = ("__str__", "source", "kind", "count", "count_unit", "locator")
    list_filter = ("kind",)
    list_select_related = ("source",)
    search_fields = ("description", "source__title", "source__slug", "period")
    autocomplete_fields = ("source",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(source_authors("source__authorships"))


@admin.register(Place)
class PlaceAdmin(CuratedAdmin):
    list_display = ("name", "name_zh_hans", "kind", "parent", "latitude", "longitude", "status")
    list_filter = ("status", "kind")
    list_select_related = ("parent",)
    search_fields = ("name", "name_zh_hans", "name_zh_hant", "name_pinyin", "slug", "description", "locator")
    identity_fields = ("name", "name_zh_hans", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "source")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    ("name_zh_hans", "name_zh_hant", "name_pinyin"),
                    "slug",
                    "kind",
                    "parent",
                    ("latitude", "longitude"),
                )
            },
        ),
        (_("Description"), {"fields": ("description", "source", "locator")}),
        CuratedAdmin.publication_fieldset,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def choice_label(self, obj):
        """“Shenzhen (city in Guangdong)”: a place with its kind and the region it lies in."""
        kind = obj.get_kind_display().lower()
        if obj.parent_id:
            return gettext("%(name)s (%(kind)s in %(parent)s)") % {
                "name": obj.name,
                "kind": kind,
                "parent": obj.parent.name,
            }
        return f"{obj.name} ({kind})"

    def choice_queryset(self):
        return Place.objects.select_related("parent")
