"""Instructors' reading lists (private pages) and the shared lists students open by link (public pages)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.citations.formats import csl_item, format_reference, page_item, to_bibtex, to_csl_json, to_ris
from cases.citations.works import distinct_works, works_cited
from cases.core import registry
from cases.teaching import selectors, services
from cases.teaching.forms import AddToListForm, ArchiveForm, ItemForm, MoveForm, ReadingListForm, ShareForm

PERMISSION = "teaching.add_readinglist"

EXPORTS = {
    "bib": (to_bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (to_ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (to_csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def is_instructor(user):
    return user.is_authenticated and user.has_perm(PERMISSION)


def instructor_required(view):
    """Signed-in instructors only; their pages are never stored by a browser or a cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied(gettext("Reading lists are for instructors."))
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def shared_page(view):
    """Shared lists: kept out of search engines and caches, and the token never leaks in a Referer header."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


# --- The instructor's pages ----------------------------------------------------------------------------------


def _and_list(words):
    """“cases, sources and concepts”, in the active language."""
    if len(words) < 2:
        return "".join(words)
    return gettext("%(items)s and %(last)s") % {
        "items": pgettext("list separator", ", ").join(words[:-1]),
        "last": words[-1],
    }


@instructor_required
@require_GET
def list_index(request):
    lists = list(selectors.lists_for_owner(request.user))
    context = {
        "active_lists": [rl for rl in lists if not rl.archived],
        "archived_lists": [rl for rl in lists if rl.archived],
        "form": ReadingListForm(),
        "kinds_text": _and_list([str(kind.plural).lower() for kind in registry.kinds() if kind.reading_lists]),
    }
    return render(request, "teaching/list_index.html", context)


@instructor_required
@require_http_methods(["GET", "POST"])
def list_create(request):
    form = ReadingListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reading_list = services.create_list(request.user, **form.cleaned_data)
        messages.success(request, gettext("Created the reading list “%(title)s”.") % {"title": reading_list.title})
        return redirect(reading_list)
    status = 400 if request.method == "POST" else 200
    return render(request, "teaching/list_form.html", {"form": form, "reading_list": None}, status=status)


def _detail_context(request, reading_list, **extra):
    items, removed = selectors.items_for_owner(reading_list)
    # Just after a removal the page offers to undo it at the top (?removed=<id> of an item removed from this list).
    just_removed = next((item for item in removed if str(item.pk) == request.GET.get("removed")), None)
    context = {
        "reading_list": reading_list,
        "items": items,
        "removed_items": removed,
        "just_removed": just_removed,
        "item_count": len(items),
        "unavailable_count": sum(1 for item in items if not item.is_available),
        "share_url": request.build_absolute_uri(reading_list.get_share_url()) if reading_list.is_shared else "",
    }
    context.update(extra)
    return context


@instructor_required
@require_GET
def list_detail(request, pk):
    reading_list = selectors.list_for_owner(request.user, pk)
    return render(request, "teaching/list_detail.html", _detail_context(request, reading_list))


@instructor_required
@require_http_methods(["GET", "POST"])
def list_edit(request, pk):
    reading_list = selectors.list_for_owner(request.user, pk)
    form = ReadingListForm(request.POST or None, instance=reading_list)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Saved the list’s details."))
        return redirect(reading_list)
    status = 400 if request.method == "POST" else 200
    return render(request, "teaching/list_form.html", {"form": form, "reading_list": reading_list}, status=status)


@instructor_required
@require_POST
def list_duplicate(request, pk):
    reading_list = selectors.list_for_owner(request.user, pk)
    copy = services.duplicate_list(reading_list)
    messages.success(
        request, gettext("Made a copy of “%(title)s”. The copy is not shared.") % {"title": reading_list.title}
    )
    return redirect(copy)


@instructor_required
@require_POST
def list_archive(request, pk):
    reading_list = selectors.list_for_owner(request.user, pk)
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            gettext("Say whether to archive or restore the list."), status=400, content_type="text/plain"
        )
    services.set_archived(reading_list, form.cleaned_data["archived"])
    messages.success(
        request, gettext("Archived the list.") if reading_list.archived else gettext("Restored the list.")
    )
    return redirect(reading_list)


@instructor_required
@require_http_methods(["GET", "POST"])
def list_delete(request, pk):
    reading_list = selectors.list_for_owner(request.user, pk)
    if request.method == "POST":
        title = reading_list.title
        reading_list.delete()
        messages.success(request, gettext("Deleted the reading list “%(title)s”.") % {"title": title})
        return redirect("teaching:list_index")
    return render(
        request,
        "teaching/list_confirm_delete.html",
        {"reading_list": reading_list, "item_count": reading_list.items.kept().count()},
    )


@instructor_required
@require_POST
def list_share(request, pk):
    reading_list = selectors.list_for_owner(request.user, pk)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return HttpResponse(gettext("Unknown sharing action."), status=400, content_type="text/plain")
    action = form.cleaned_data["action"]
    if action == "revoke":
        services.revoke(reading_list)
        messages.success(request, gettext("The share link no longer works. Students who had it cannot open the list."))
    else:
        services.share(reading_list)
        messages.success(
            request,
            gettext("Made a new share link: the old one no longer works.")
            if action == "renew"
            else gettext("Made a share link."),
        )
    return redirect(reading_list.get_absolute_url() + "#sharing")


@instructor_required
@require_http_methods(["GET", "POST"])
def add_to_list(request):
    """Add an archive entry to a list. Posted from the entry's page; GET shows the same form on its own page."""
    data = request.POST if request.method == "POST" else request.GET
    form = AddToListForm(data or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        reading_list = form.cleaned_data["reading_list"]
        if reading_list is None:
            reading_list = services.create_list(request.user, title=form.cleaned_data["new_title"].strip())
        entry = form.cleaned_data["entry_object"]
        _item, created = services.add_entry(reading_list, entry)
        # The entry's name and the list's link are escaped into the translated sentence.
        done = (
            gettext('Added “{entry}” to <a href="{url}">{title}</a>.')
            if created
            else gettext('“{entry}” is already on <a href="{url}">{title}</a>.')
        )
        message = format_html(done, entry=entry, url=reading_list.get_absolute_url(), title=reading_list.title)
        (messages.success if created else messages.info)(request, message)
        # Back to the page the form was on, so that a list is built without leaving the archive; the list itself
        # when the form came from elsewhere (or named a page on another site: never an open redirect).
        return redirect(_back_to(request) or reading_list)
    entry = None
    if request.method == "GET" and form.is_bound and form.is_valid():
        entry = form.cleaned_data["entry_object"]
    status = 400 if request.method == "POST" or (form.is_bound and not form.is_valid()) else 200
    return render(request, "teaching/add_to_list.html", {"form": form, "entry": entry}, status=status)


def _back_to(request):
    """The page a form was posted from (`next`: a path on this site), or None when there is none or it is not safe."""
    target = request.POST.get("next", "")
    if not target.startswith("/") or "\\" in target or "\x00" in target:
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target


@instructor_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk, item_pk):
    reading_list = selectors.list_for_owner(request.user, pk)
    item = selectors.item_for_list(reading_list, item_pk)
    form = ItemForm(request.POST or None, instance=item, questions=selectors.question_choices(item))
    if request.method == "POST" and form.is_valid():
        form.save()
        reading_list.save(update_fields=["updated_at"])
        messages.success(request, gettext("Saved your notes for “%(entry)s”.") % {"entry": item.label})
        return redirect(f"{reading_list.get_absolute_url()}#item-{item.pk}")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "reading_list": reading_list, "item": item}
    return render(request, "teaching/item_form.html", context, status=status)


@instructor_required
@require_POST
def item_move(request, pk, item_pk):
    reading_list = selectors.list_for_owner(request.user, pk)
    item = selectors.item_for_list(reading_list, item_pk)
    form = MoveForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.move_item(item, form.target(item.position))
        except ValidationError as exc:
            error = exc.messages[0]
    else:
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    if error:
        context = _detail_context(request, reading_list, move_error=error, move_item_pk=item.pk)
        return render(request, "teaching/list_detail.html", context, status=400)
    return redirect(f"{reading_list.get_absolute_url()}#item-{item.pk}")


@instructor_required
@require_POST
def item_remove(request, pk, item_pk):
    reading_list = selectors.list_for_owner(request.user, pk)
    item = selectors.item_for_list(reading_list, item_pk)
    services.remove_item(item)
    # No message: the page opens with "Removed …" and its Undo button (a message would say it twice).
    return redirect(f"{reading_list.get_absolute_url()}?removed={item.pk}#undo")


@instructor_required
@require_POST
def item_restore(request, pk, item_pk):
    """Undo a removal: the item goes back where it was, with its notes and questions."""
    reading_list = selectors.list_for_owner(request.user, pk)
    item = selectors.removed_item(reading_list, item_pk)
    services.restore_item(item)
    messages.success(
        request,
        gettext("Put “%(entry)s” back on the list, at position %(position)s.")
        % {"entry": item.label, "position": item.position},
    )
    return redirect(f"{reading_list.get_absolute_url()}#item-{item.pk}")


def _work_item(source, entries):
    """A work's CSL item; a work the archive knows only through another text notes where that text cites it."""
    item = csl_item(source)
    for entry in entries:
        for work in works_cited(entry):
            if work.source.pk == source.pk and work.via is not None:
                where = f", {work.via_locator}" if work.via_locator else ""
                item["note"] = f"Cited in {work.via.author_label} {work.via.year_display}{where}"
                return item
    return item


def _cited(item, request):
    """What a handout prints for an item: the works it rests on (with where), then the archive's page."""
    entry = item.published_entry
    works = [{"reference": format_reference(csl_item(work.source)), "work": work} for work in works_cited(entry)]
    return {"item": item, "works": works, "page": format_reference(page_item(entry, request))}


def _export_response(reading_list, items, fmt, request):
    if fmt not in EXPORTS:
        raise Http404("Unknown export format.")
    writer, content_type = EXPORTS[fmt]
    shown, _hidden = selectors.available_items(items)
    entries = [item.published_entry for item in shown]
    # The works the items rest on, once each; the archive's own pages only when asked for (?pages=1).
    records = [_work_item(source, entries) for source in distinct_works(entries)]
    if request.GET.get("pages") == "1":
        records += [page_item(entry, request) for entry in entries]
    body = writer(records)
    response = HttpResponse(body, content_type=content_type)
    filename = f"{slugify(reading_list.title) or 'reading-list'}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@instructor_required
@require_GET
def list_export(request, pk, fmt):
    reading_list = selectors.list_for_owner(request.user, pk)
    return _export_response(reading_list, list(selectors.items_for_list(reading_list)), fmt, request)


@instructor_required
@require_GET
def list_print(request, pk):
    reading_list = selectors.list_for_owner(request.user, pk)
    return _handout(request, reading_list)


# --- What students see ----------------------------------------------------------------------------------------


def _handout(request, reading_list):
    items, hidden = selectors.available_items(list(selectors.items_for_list(reading_list)))
    entries = [_cited(item, request) for item in items]
    references = sorted(
        (format_reference(csl_item(source)) for source in distinct_works([item.published_entry for item in items])),
        key=lambda reference: str(reference).lower(),
    )
    context = {"reading_list": reading_list, "entries": entries, "references": references, "hidden_count": hidden}
    return render(request, "teaching/handout.html", context)


@shared_page
@require_GET
def shared_list(request, token):
    reading_list = selectors.list_for_token(token)
    if request.GET.get("print") == "1":
        return _handout(request, reading_list)
    items, hidden = selectors.available_items(list(selectors.items_for_list(reading_list)))
    context = {"reading_list": reading_list, "items": items, "hidden_count": hidden, "token": token}
    return render(request, "teaching/shared_list.html", context)


@shared_page
@require_GET
def shared_print(request, token):
    return _handout(request, selectors.list_for_token(token))


@shared_page
@require_GET
def shared_export(request, token, fmt):
    reading_list = selectors.list_for_token(token)
    return _export_response(reading_list, list(selectors.items_for_list(reading_list)), fmt, request)
