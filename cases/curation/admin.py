"""The workflow log in the admin (read-only, filterable), and accounts that cannot grant themselves more power."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from cases.curation.models import StatusChange


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "entry_link", "content_type", "from_status", "to_status", "user", "note")
    list_filter = ("to_status", "from_status", "content_type", ("user", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("content_type", "user")
    search_fields = ("object_repr", "note", "user__username")
    date_hierarchy = "at"
    list_per_page = 100

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # "All status changes of this entry" links here with ?object_id=…
        object_id = request.GET.get("object_id")
        return queryset.filter(object_id=object_id) if object_id else queryset

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "object_id" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="Entry", ordering="object_repr")
    def entry_link(self, obj):
        try:
            url = reverse(f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return obj.object_repr
        return format_html('<a href="{}">{}</a>', url, obj.object_repr)

    # The log is written by the workflow only: nobody adds, edits or deletes its rows.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccountAdmin(UserAdmin):
    """Administrators manage accounts, but only a superuser can make a superuser or hand out single permissions:
    roles are given through groups (see cases/curation/roles.py)."""

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, "is_superuser", "user_permissions")
        return fields


class RoleAdmin(GroupAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, "permissions")
        return fields


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)
