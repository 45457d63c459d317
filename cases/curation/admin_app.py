"""Django's admin, with the archive's site (cases/curation/admin_search.py) as `admin.site`."""

from django.contrib.admin.apps import AdminConfig


class ArchiveAdminConfig(AdminConfig):
    default_site = "cases.curation.admin_search.ArchiveAdminSite"
