class LogAdminMixin:
    """For logs the code writes (status changes, support access): readable in the admin, never added, edited or
    deleted there, by anyone, superusers included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
