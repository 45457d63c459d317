from django.contrib import admin

from cases.curation.admin_base import CuratedAdmin

from .models import Leaflet


@admin.register(Leaflet)
class LeafletAdmin(CuratedAdmin):
    list_display = ("title", "status")
    search_fields = ("title",)
    fieldsets = ((None, {"fields": ("title", "slug", "summary")}), CuratedAdmin.publication_fieldset)
