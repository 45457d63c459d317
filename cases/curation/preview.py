"""Staff preview of any entry, drafts included, through the public view and template themselves.

`…/preview/` beside each public detail URL runs the public view with the published() gate lifted for that one
entry (see `cases.core.gate.PREVIEWING`); related drafts stay hidden, so the preview shows exactly what the
public page will show once the entry is published. The page carries a "Preview — not published" banner, and
`X-Robots-Tag: noindex` and `Cache-Control: private, no-store`. Anyone without the right to view the entry in the
admin gets the same 404 as for a slug that does not exist, so a preview URL never reveals that a draft exists.
"""

import inspect
from contextlib import contextmanager
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from cases.core import registry
from cases.core.gate import PREVIEWING


@dataclass(frozen=True)
class PreviewInfo:
    """What the banner says (templates/curation/preview_banner.html)."""

    kind: str
    status_label: str
    is_published: bool
    admin_url: str
    note: str = ""  # said instead of the status (the preview of a change waiting for approval)


def url_name(model):
    return f"{model._meta.model_name}_preview"


def may_preview(user, model):
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    )


@contextmanager
def previewing(entry):
    token = PREVIEWING.set(entry)
    try:
        yield
    finally:
        PREVIEWING.reset(token)


def make_preview_view(model, public_view):
    # The public view without caching decorators: a preview must neither read nor fill a public cache.
    view = inspect.unwrap(public_view)

    def preview(request, slug):
        if not may_preview(request.user, model):
            raise Http404("No such page.")
        entry = get_object_or_404(model._default_manager, slug=slug)
        request.archive_preview = PreviewInfo(
            kind=model._meta.verbose_name,
            status_label=entry.get_status_display(),
            is_published=entry.is_published,
            admin_url=reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[entry.pk]),
        )
        with previewing(entry):
            response = view(request, slug=slug)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    preview.__name__ = f"{model._meta.model_name}_preview"
    preview.__doc__ = f"Staff preview of a {model._meta.verbose_name}, drafts included."
    return preview


def urlpatterns():
    """One preview URL per registered kind: the public detail URL followed by preview/."""
    return [
        path(
            f"{kind.url_prefix}/<slug:slug>/preview/",
            make_preview_view(kind.model_class, kind.view()),
            name=url_name(kind.model_class),
        )
        for kind in registry.kinds()
    ]
