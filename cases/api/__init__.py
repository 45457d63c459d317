"""A read-only JSON API over the published archive, described by an OpenAPI schema.

Django REST framework serves it; drf-spectacular writes the schema. The lists use the same FilterSets as the
HTML pages and the exports, so `/api/cases/?organisation=hkc&stage=campaign` means what `/cases/?...` means.
"""
