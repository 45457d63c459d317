"""What every archive admin gets from curation: revision history with readable differences, and for curated
entries the workflow (checked transitions, the status log panel, preview links, bulk actions).

One module a concern: `history` (versions and their comparison), `status_form` (checked transitions in the
change form), `status_log` (the workflow history panel), `preview_links`, `bulk_actions`, `log` (read-only logs).
"""

from cases.curation.admin_mixins.bulk_actions import BulkStatusActionsMixin
from cases.curation.admin_mixins.history import HistoryAdminMixin
from cases.curation.admin_mixins.log import LogAdminMixin
from cases.curation.admin_mixins.preview_links import PreviewLinksMixin
from cases.curation.admin_mixins.status_form import StatusFormMixin
from cases.curation.admin_mixins.status_log import StatusLogMixin

__all__ = [
    "BulkStatusActionsMixin",
    "HistoryAdminMixin",
    "LogAdminMixin",
    "PreviewLinksMixin",
    "StatusFormMixin",
    "StatusLogMixin",
    "WorkflowAdminMixin",
]


class WorkflowAdminMixin(StatusFormMixin, PreviewLinksMixin, StatusLogMixin, BulkStatusActionsMixin):
    """The publication workflow in the admin: every status change goes through cases.curation.workflow."""

    workflow_readonly_fields = ("preview_link", "workflow_history")

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.workflow_readonly_fields)
