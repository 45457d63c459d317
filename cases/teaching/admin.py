from django.contrib import admin

from cases.curation.admin_base import CuratedAdmin
from cases.teaching.models import DiscussionQuestion, ReadingList, ReadingListItem


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


class ReadingListItemInline(admin.TabularInline):
    model = ReadingListItem
    extra = 0
    fields = ["position", "intervention", "position_entry", "source", "organisation", "concept", "pages"]
    raw_id_fields = ["intervention", "position_entry", "source", "organisation", "concept"]


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
class ReadingListItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reading_list", "position"]
    list_select_related = ["reading_list", "intervention", "position_entry", "source", "organisation", "concept"]
    search_fields = ["reading_list__title", "note", "pages"]
    raw_id_fields = ["reading_list", "intervention", "position_entry", "source", "organisation", "concept"]
    filter_horizontal = ["questions"]
