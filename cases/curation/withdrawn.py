"""What a withdrawn entry's old address says: a cited link answers 410 Gone with the title the entry was
published under, when it was withdrawn, and where to go instead, instead of a bare 404.

Offered to the error pages in cases/core as the `withdrawn_entry` service. Only what the public once saw is told:
the name and address recorded from the published row when it left the public site (StatusChange.public_title),
never the entry's current text, which curators may have changed since. An entry that was never published (or left
it before this was recorded) stays a plain 404, and so does one published again at another address.
"""

from django.contrib.contenttypes.models import ContentType

from cases.core.gate import is_public
from cases.core.models import Status
from cases.curation.models import StatusChange


def withdrawn_entry(kind, slug):
    """{"title", "withdrawn_at"} for the entry of `kind` withdrawn from /<url_prefix>/<slug>/, or None."""
    model = kind.model_class
    change = (
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            from_status=Status.PUBLISHED,
            public_slug=slug,
        )
        .exclude(public_title="")
        .order_by("-at", "-pk")
        .first()
    )
    if change is None:
        return None
    entry = model._base_manager.filter(pk=change.object_id).first()
    if entry is not None and is_public(entry):
        return None  # published again, at another address
    return {"title": change.public_title, "withdrawn_at": change.at}
