"""A throwaway kind of entry (leaflets), declared once, to prove that the registry is the only list of kinds.

tests/test_registry.py runs tests/kindapp/kind_checks.py in a process of its own with this app installed: the
leaflet must then be found by search, listed in the sitemap and the feed, citable, previewable by staff,
versioned, covered by the curators' roles and the backup, put on reading lists (shown to students only while
published), and offered by nothing that keeps its own list of kinds.
"""
