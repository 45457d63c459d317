"""A filtered list page: the FilterSet bound to the URL, its facets, and the links that change the state.

The whole state lives in the query string with readable slugs, so a filtered view can be bookmarked or
handed to a class. Links that change a filter drop the page number (the result changes); sorting and
pagination keep the filters.
"""

from dataclasses import dataclass
from functools import wraps

from django.http import HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext

from cases.core.cache import cache_params
from cases.core.pages import paginate
from cases.find.filters import FacetFilter, SortFilter, YearFilter, shown


def listing_params(filterset_class):
    """Declares to the page cache what a list page reads (its filters, the page number and `more`), and sends a
    URL with empty fields to the clean one."""
    declare = cache_params("page", "more", filterset=filterset_class)
    # The default order goes without saying: `?sort=earliest` is the list as it comes.
    defaults = {name: f.default for name, f in filterset_class.base_filters.items() if isinstance(f, SortFilter)}

    def decorator(view):
        @wraps(view)
        def listing(request, *args, **kwargs):
            clean = _without_empty_fields(request, defaults)
            if clean is not None:
                return HttpResponseRedirect(clean)
            return view(request, *args, **kwargs)

        return declare(listing)

    return decorator


def _without_empty_fields(request, defaults):
    """The address without its empty parameters (`?year_from=&year_to=&stage=campaign` → `?stage=campaign`) and
    without a sort that is the default, or None when it has neither. A filter form sent without JavaScript sends
    every field, the empty ones too."""
    if request.method not in ("GET", "HEAD"):
        return None
    query = request.GET.copy()
    empty = [
        name
        for name, values in query.lists()
        if all(not value.strip() for value in values) or (name in defaults and values == [defaults[name]])
    ]
    partly = [name for name, values in query.lists() if name not in empty and any(not v.strip() for v in values)]
    if not empty and not partly:
        return None
    for name in empty:
        del query[name]
    for name in partly:
        query.setlist(name, [value for value in query.getlist(name) if value.strip()])
    encoded = query.urlencode()
    return request.path + (f"?{encoded}" if encoded else "")


@dataclass
class Chip:
    """One active filter value, with the link that removes it."""

    facet: str
    label: str
    remove_url: str
    unknown: bool = False


@dataclass
class FilterError:
    label: str
    message: str
    remove_url: str


class Listing:
    """Everything a list page needs: the page of results, facets, active filters, errors, links."""

    def __init__(self, request, filterset_class, queryset, facet_base, *, per_page, export_name=None):
        self.request = request
        self.filterset = filterset_class(request.GET, queryset=queryset, request=request)
        self.form = self.filterset.form
        self.valid = self.filterset.is_valid()
        self.state = self._state()
        self.expanded = self._expanded()
        self.facets = self.filterset.facets(facet_base, expand=self.expanded)
        self.page = paginate(request, self.filterset.qs, per_page=per_page)
        self.export_name = export_name
        self._decorate()

    def _expanded(self):
        """`?more=organisation` lists every option of that facet rather than the most frequent ones."""
        name = self.request.GET.get("more")
        current = self.filterset.filters.get(name) if name else None
        return name if isinstance(current, FacetFilter) else None

    # The state: {name: [values]} for the valid values of known filters, in the FilterSet's order.
    def _state(self):
        state = {}
        data = self.form.cleaned_data
        for name, current in self.filterset.filters.items():
            value = data.get(name)
            if value in (None, "", []):
                continue
            if isinstance(current, SortFilter) and value == current.default:
                continue
            state[name] = [str(item) for item in value] if isinstance(value, list) else [str(value)]
        return state

    def url(self, state=None, page=None):
        query = QueryDict(mutable=True)
        for name, values in (self.state if state is None else state).items():
            query.setlist(name, values)
        if page and page > 1:
            query["page"] = page
        encoded = query.urlencode()
        return f"{self.request.path}?{encoded}" if encoded else self.request.path

    def _with(self, name, values):
        state = {key: list(items) for key, items in self.state.items()}
        if values:
            state[name] = values
        else:
            state.pop(name, None)
        # keep the FilterSet's order so equal states give equal URLs
        return {key: state[key] for key in self.filterset.filters if key in state}

    def _decorate(self):
        self.chips = []
        for facet in self.facets:
            current = self.state.get(facet.name, [])
            labels = {}
            for option in facet.options:
                values = [v for v in current if v != option.value] if option.selected else [*current, option.value]
                option.url = self.url(self._with(facet.name, values))
                labels[option.value] = option.label
            for value in facet.selected:
                remove = self.url(self._with(facet.name, [v for v in current if v != value]))
                if value in labels:
                    self.chips.append(Chip(facet.label, labels[value], remove))
                else:
                    label = gettext("“%(value)s” (nothing published by that name)") % {"value": shown(value)}
                    self.chips.append(Chip(facet.label, label, remove, unknown=True))
            facet.visible = [o for o in facet.options[:8]] + [o for o in facet.options[8:] if o.selected]
            facet.more = [o for o in facet.options[8:] if not o.selected]
            facet.expanded = facet.name == self.expanded
            if facet.total > len(facet.options):
                query = self.url().partition("?")[2]
                facet.all_url = (
                    f"{self.request.path}?{query}{'&' if query else ''}more={facet.name}#facet-{facet.name}"
                )
        for name, current in self.filterset.filters.items():
            if isinstance(current, YearFilter) and name in self.state:
                self.chips.append(Chip(current.label, self.state[name][0], self.url(self._with(name, []))))
        self.errors = [
            FilterError(self._label(name), message, self.url(self._with(name, [])))
            for name, messages in self.form.errors.items()
            for message in messages
        ]
        sort_state = self.state.get("sort")
        self.clear_url = self.url({"sort": sort_state} if sort_state else {})
        self.has_filters = bool(self.chips)

    def _label(self, name):
        current = self.filterset.filters.get(name)
        return str(current.label) if current is not None and current.label else gettext("Filters")

    @property
    def sort_filter(self):
        for name, current in self.filterset.filters.items():
            if isinstance(current, SortFilter):
                return name, current
        return None

    def context(self, **extra):
        sort = self.sort_filter
        data = self.form.cleaned_data
        context = {
            "listing": self,
            "page_obj": self.page,
            "facets": self.facets,
            "chips": self.chips,
            "filter_errors": self.errors,
            "clear_url": self.clear_url,
            "has_filters": self.has_filters,
            "year_inputs": [
                {"name": name, "label": current.label, "value": self._raw(name)}
                for name, current in self.filterset.filters.items()
                if isinstance(current, YearFilter)
            ],
            "sort": {
                "name": sort[0],
                "value": data.get(sort[0]) or sort[1].default,
                "default": sort[1].default,
                "choices": list(sort[1].extra["choices"]),
            }
            if sort
            else None,
        }
        if self.export_name:
            query = self.url().partition("?")[2]
            context["exports"] = [
                (label, reverse(self.export_name, kwargs={"fmt": fmt}) + (f"?{query}" if query else ""))
                for label, fmt in (("CSV", "csv"), ("JSON", "json"))
            ]
        context.update(extra)
        return context

    def _raw(self, name):
        # A number input may only hold a number: an invalid value is named in the error message instead.
        value = self.form.cleaned_data.get(name)
        return "" if value is None else value
