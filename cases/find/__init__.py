"""Finding things in the lists: faceted filters, their counts, exports, and the state kept in the URL.

The FilterSets themselves live in each app's `filters.py`; this package holds what they share.
"""
