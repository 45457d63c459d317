from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from cases.curation.admin_base import CuratedAdmin
from cases.curation.admin_mixins import LogAdminMixin
from cases.teaching.models import DiscussionQuestion, ReadingList, ReadingListItem, SupportAccess, listable_kinds


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


SUPPORT = "teaching.support_readinglist"


def may_support(request):
    return request.user.has_perm(SUPPORT)


def log_support(request, action, reading_list=None):
    """Record a support opening of lists that are not the acting account's own (never of one's own lists)."""
    if reading_list is not None and reading_list.owner_id == request.user.pk:
        return
    SupportAccess.objects.create(
        user=request.user,
        username=request.user.get_username(),
        action=action,
        reading_list=reading_list,
        list_title=reading_list.title if reading_list else "",
        owner_username=reading_list.owner.get_username() if reading_list else "",
        path=request.get_full_path()[:500],
    )


class OwnedAdmin(admin.ModelAdmin):
    """Reading lists belong to their owner in the admin too: a staff account that is also an instructor sees and
    changes its own only, unless it holds the separate support permission, whose every use is logged."""

    owner_path = "owner"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if may_support(request) else queryset.filter(**{self.owner_path: request.user})

    def reading_list_of(self, obj):
        return obj

    def changelist_view(self, request, extra_context=None):
        if may_support(request) and self.get_queryset(request).exclude(**{self.owner_path: request.user}).exists():
            log_support(request, SupportAccess.Action.LIST)
        return super().changelist_view(request, extra_context)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            if request.method == "POST":
                action = SupportAccess.Action.DELETE if "/delete/" in request.path else SupportAccess.Action.CHANGE
            else:
                action = SupportAccess.Action.VIEW
            log_support(request, action, self.reading_list_of(obj))
        return obj


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
class ReadingListAdmin(OwnedAdmin):
    """Instructors use the reading-list pages themselves; this is their own lists, or support work."""

    list_display = ["title", "owner", "course", "archived", "is_shared", "updated_at"]
    list_filter = ["archived"]
    list_select_related = ["owner"]
    search_fields = ["title", "course", "owner__username"]
    # The share token is a secret between the instructor and the class: the admin never shows it.
    exclude = ["share_token"]
    readonly_fields = ["owner", "shared_at", "created_at", "updated_at"]
    inlines = [ReadingListItemInline]

    @admin.display(boolean=True, description=_("Shared"))
    def is_shared(self, obj):
        return obj.is_shared

    def save_model(self, request, obj, form, change):
        # The owner is never chosen in a form: a new list is the acting account's, and a list keeps its owner.
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReadingListItem)
class ReadingListItemAdmin(ListableKindsOnly, OwnedAdmin):
    owner_path = "reading_list__owner"
    list_display = ["__str__", "entry_name", "reading_list", "position"]
    list_select_related = ["reading_list"]
    search_fields = ["reading_list__title", "note", "pages"]
    raw_id_fields = ["reading_list"]
    filter_horizontal = ["questions"]

    def reading_list_of(self, obj):
        return obj.reading_list

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reading_list" and not may_support(request):
            kwargs["queryset"] = ReadingList.objects.owned_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # The entries of a page of items: one query per kind, whatever their state (staff see drafts).
        return super().get_queryset(request).prefetch_related("entry")

    @admin.display(description=_("Entry"))
    def entry_name(self, obj):
        return obj.entry if obj.entry is not None else "(deleted)"


@admin.register(SupportAccess)
class SupportAccessAdmin(LogAdminMixin, admin.ModelAdmin):
    """The log of support openings of others' lists: written by the admin only, never edited."""

    list_display = ["at", "username", "action", "list_title", "owner_username", "path"]
    list_filter = ["action"]
    search_fields = ["username", "list_title", "owner_username"]
    date_hierarchy = "at"
