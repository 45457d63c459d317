"""The workflow log in the admin (read-only, filterable), and accounts that cannot grant themselves more power."""

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.core.public_versions import PublicVersion
from cases.curation import admin_review, privilege  # noqa: F401 - admin_review registers the approval page
from cases.curation.admin_mixins import LogAdminMixin
from cases.curation.models import StatusChange


@admin.register(StatusChange)
class StatusChangeAdmin(LogAdminMixin, admin.ModelAdmin):
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

    @admin.display(description=_("Entry"), ordering="object_repr")
    def entry_link(self, obj):
        try:
            url = reverse(f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return obj.object_repr
        return format_html('<a href="{}">{}</a>', url, obj.object_repr)


@admin.register(PublicVersion)
class PublicVersionAdmin(LogAdminMixin, admin.ModelAdmin):
    """The public change log as curators see it: each version with who approved it (the public sees /changes/)."""

    list_display = ("at", "title", "content_type", "number", "change", "note", "approved_by", "public_link")
    list_filter = ("change", "content_type", ("approved_by", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("content_type", "approved_by")
    search_fields = ("title", "slug", "note", "approved_by__username")
    date_hierarchy = "at"
    list_per_page = 100
    exclude = ("content", "stylesheets")

    @admin.display(description="Public page")
    def public_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.url, obj.url) if obj.url else "—"


class AccountAdmin(UserAdmin):
    """Administrators manage accounts within their own permissions (see cases/curation/privilege.py): roles are
    given through groups, and only a superuser makes staff, superusers or single grants."""

    actions = ["deactivate"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, *privilege.SUPERUSER_ONLY_FIELDS)
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = privilege.grantable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # The password view asks has_change_permission too, so this also guards `…/password/`.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or privilege.may_take_over(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or privilege.may_take_over(request.user, obj))

    @admin.action(permissions=["change"], description=_("Deactivate the selected accounts"))
    def deactivate(self, request, queryset):
        refused = [user for user in queryset if not privilege.may_deactivate(request.user, user)]
        if refused:
            names = ", ".join(user.get_username() for user in refused)
            self.message_user(
                request,
                gettext("Nothing was changed: you may not deactivate %(names)s.") % {"names": names},
                messages.ERROR,
            )
            return
        count = queryset.update(is_active=False)
        self.message_user(
            request,
            gettext("%(count)s account(s) deactivated; they can no longer sign in.") % {"count": count},
            messages.SUCCESS,
        )


class RoleAdmin(GroupAdmin):
    """A group is changed, deleted or filled with permissions only within the acting account's own permissions."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "permissions":
            kwargs["queryset"] = privilege.grantable_permissions(request.user).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or privilege.may_change_group(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or privilege.may_change_group(request.user, obj))


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)
