"""The curators' admin for what every app shares: sources, authors, places, and the base classes the other
apps' admins build on (publication actions, read-only timestamps, source choices without N+1 queries)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.db.models import Count, Prefetch
from django.urls import NoReverseMatch

from .models import Author, Citation, Place, ResearchMethod, Source, SourceAuthor, Status


def source_authors(path="authorships"):
    """Prefetch a source's ordered author list at `path` (e.g. "source__authorships").

    A source's `str()` is its author label, which reads that list: without this, one query per source shown.
    """
    return Prefetch(path, queryset=SourceAuthor.objects.select_related("author"))


def sources_with_authors():
    return Source.objects.prefetch_related(source_authors())


class SourceChoicesMixin:
    """A source's label lists its authors: fetch them with the choices, not one query per option."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Source and "queryset" not in kwargs:
            kwargs["queryset"] = sources_with_authors()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ArchiveInlineMixin(SourceChoicesMixin):
    extra = 0
    show_change_link = True


class ArchiveTabularInline(ArchiveInlineMixin, admin.TabularInline):
    pass


class ArchiveStackedInline(ArchiveInlineMixin, admin.StackedInline):
    pass


class ArchiveModelAdmin(SourceChoicesMixin, admin.ModelAdmin):
    """Defaults for every admin of the archive."""

    save_on_top = True
    list_per_page = 50
    list_max_show_all = 500


class CuratedAdmin(ArchiveModelAdmin):
    """An entry a curator writes and publishes: status in lists and filters, the publication actions,
    timestamps read-only, and a link to the public page once the entry is published."""

    readonly_fields = ("published_at", "created_at", "updated_at")
    actions = ("publish_selected", "send_to_review", "withdraw_selected")
    publication_fieldset = (
        "Publication",
        {"fields": ("status", "curator_note", "published_at", "created_at", "updated_at")},
    )

    def view_on_site(self, obj):
        # Drafts are not public: a link to them would only lead to a 404.
        if not obj.is_published:
            return None
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:  # the public page is not wired (yet): show no link rather than fail
            return None

    def _set_status(self, request, queryset, status, done):
        changed = 0
        # Each entry goes through save(): it stamps updated_at and, on first publication, published_at.
        for obj in queryset.exclude(status=status):
            obj.status = status
            obj.save(update_fields=["status", "published_at", "updated_at"])
            self.log_change(request, obj, f"Status set to “{Status(status).label}” by a bulk action.")
            changed += 1
        if changed:
            self.message_user(
                request, f"{changed} {model_ngettext(self.opts, changed)} {done}.", level=messages.SUCCESS
            )
        else:
            self.message_user(request, f"Nothing changed: the selected entries were already {done}.")

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description="Send selected %(verbose_name_plural)s to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self._set_status(request, queryset, Status.REVIEW, "sent to review")

    @admin.action(description="Withdraw selected %(verbose_name_plural)s", permissions=["change"])
    def withdraw_selected(self, request, queryset):
        self._set_status(request, queryset, Status.WITHDRAWN, "withdrawn")


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
    verbose_name = "work this source cites"
    verbose_name_plural = "works this source cites"


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
    )
    prepopulated_fields = {"slug": ("title",)}
    inlines = (SourceAuthorInline, ResearchMethodInline, CitationInline)
    fieldsets = (
        (None, {"fields": ("title", "short_title", "slug", "kind", "year", "is_seed", "needs_checking")}),
        (
            "Publication details",
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
        ("Abstract", {"fields": ("abstract",)}),
        CuratedAdmin.publication_fieldset,
    )

    def get_queryset(self, request):
        # The changelist, the autocomplete results and the change page all print the author label.
        return super().get_queryset(request).prefetch_related(source_authors())


@admin.register(Author)
class AuthorAdmin(ArchiveModelAdmin):
    list_display = ("family_name", "given_names", "slug", "source_count")
    ordering = ("family_name", "given_names")
    search_fields = ("family_name", "given_names", "slug")
    prepopulated_fields = {"slug": ("given_names", "family_name")}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("authorships"))

    @admin.display(description="Sources", ordering="source_count")
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
    list_display = ("name", "chinese_name", "kind", "parent", "latitude", "longitude", "status")
    list_filter = ("status", "kind")
    list_select_related = ("parent",)
    search_fields = ("name", "chinese_name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "source")
    fieldsets = (
        (None, {"fields": ("name", "chinese_name", "slug", "kind", "parent", ("latitude", "longitude"))}),
        ("Description", {"fields": ("description", "source", "locator")}),
        CuratedAdmin.publication_fieldset,
    )
