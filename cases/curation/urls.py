"""Staff-only preview URLs beside each public detail URL (…/preview/); see preview.py."""

from cases.curation.preview import urlpatterns as preview_urlpatterns

urlpatterns = preview_urlpatterns()
