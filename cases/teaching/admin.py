from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from cases.curation.admin_base import CuratedAdmin
from cases.teaching.models import DiscussionQuestion, ReadingList, ReadingListItem, listable_kinds


@admin.register(DiscussionQuestion)
class DiscussionQuestionAdmin(CuratedAdmin):
    """Questions for discussing a case; published ones show on the case page and can be chosen for lists."""

    list_display = ("text", "intervention", "position", "status")
    list_filter = ("status",)
    list_select_related = ("intervention",)
    search_fields = ("text", "intervention__title", "slug")
    autocomplete_fields = ("intervention",)
    ordering = ("intervention__title", "position")
    fieldsets = (
        (None, {"fields": ("intervention", "position", "text", "slug")}),
        CuratedAdmin.publication_fieldset,
    )


class ListableKindsOnly:
    """The content type of an item is offered only among the kinds reading lists may hold."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            kwargs["queryset"] = ContentType.objects.filter(pk__in=listable_kinds())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadingListItemInline(ListableKindsOnly, admin.TabularInline):
    model = ReadingListItem
    extra = 0
    fields = ["position", "content_type", "object_id", "pages"]


@admin.register(ReadingList)
class ReadingListAdmin(admin.ModelAdmin):
    """For administrators helping an instructor; instructors use the reading-list pages themselves."""

    list_display = ["title", "owner", "course", "archived", "is_shared", "updated_at"]
    list_filter = ["archived"]
    list_select_related = ["owner"]
    search_fields = ["title", "course", "owner__username"]
    # The share token is a secret between the instructor and the class: the admin never shows it.
    exclude = ["share_token"]
    readonly_fields = ["shared_at", "created_at", "updated_at"]
    inlines = [ReadingListItemInline]

    @admin.display(boolean=True, description="Shared")
    def is_shared(self, obj):
        return obj.is_shared


@admin.register(ReadingListItem)
class ReadingListItemAdmin(ListableKindsOnly, admin.ModelAdmin):
    list_display = ["__str__", "entry_name", "reading_list", "position"]
    list_select_related = ["reading_list"]
    search_fields = ["reading_list__title", "note", "pages"]
    raw_id_fields = ["reading_list"]
    filter_horizontal = ["questions"]

    def get_queryset(self, request):
        # The entries of a page of items: one query per kind, whatever their state (staff see drafts).
        return super().get_queryset(request).prefetch_related("entry")

    @admin.display(description="Entry")
    def entry_name(self, obj):
        return obj.entry if obj.entry is not None else "(deleted)"
