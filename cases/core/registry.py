"""The entry-kind registry: the one list of the kinds of entries the archive publishes.

Each app declares its kinds once, in its AppConfig.ready(), with `register(EntryKind(...))`. Everything that
works across kinds reads this registry instead of keeping a list of its own: the publication gate (which relations
decide whether a row is public), search, citations, the sitemap and the feed, staff previews, revision history,
roles, reading lists, the API's JSON-LD types and the public-surface tests. Adding a kind is one declaration plus
the kind's own model, views and templates (CONTRIBUTING.md, "Adding a kind of entry").

The registry holds references, not imports: a declaration names views by dotted path and relations by name, so
`core` needs nothing from the apps above it.
"""

from dataclasses import dataclass, field

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SearchDocument:
    """How a kind is found: `builder(obj)` gives the fields of its search entry (None: not findable) and
    `queryset()` loads objects with what the builder reads (dotted paths, resolved when first used).

    - `watch`: {model label: lookup from the indexed model} for the other rows the document copies text from;
      a change to one re-indexes the entries it reaches ({"organisations.Organisation": "roles__organisation"}).
      A lookup that is one reverse foreign key ("roles") or a many-to-many field ("places") is followed directly.
    - `label`: the heading of its results (default: the kind's plural); `order`: where its results show.
    """

    builder: str
    queryset: str
    watch: dict = field(default_factory=dict)
    label: str = ""
    order: int = 100


@dataclass(frozen=True)
class EntryKind:
    """A kind of curated entry with a public page of its own.

    - `model`: the curated model ("app_label.ModelName").
    - `key`: the kind's public name ("case"): reading lists, search kinds, JSON and URL names of its downloads.
    - `url_prefix`: its pages live at /<url_prefix>/<slug>/ (and …/cite.bib, …/preview/).
    - `detail_view`: dotted path of the public detail view (the staff preview runs it).
    - `parts`: reverse relations whose rows belong to the entry (saved, versioned and restored with it), each with
      the other relations that must be published for a row to be public: {"roles": ("organisation",)}.
    - `search`: the entry's search document, or None.
    - `reading_lists`, `sitemap`, `feed`: whether it can be put on a reading list, is listed in sitemap.xml and
      announced in feed.atom.
    - `jsonld_type`: its schema.org type.
    """

    model: str
    key: str
    label: str
    plural: str
    url_prefix: str
    detail_view: str
    parts: dict = field(default_factory=dict)
    search: SearchDocument | None = None
    reading_lists: bool = True
    sitemap: bool = True
    feed: bool = True
    jsonld_type: str = "WebPage"

    @property
    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)

    @property
    def model_name(self):
        """The model name used in URL names: "intervention_detail", "intervention_cite", "intervention_preview"."""
        return self.model_class._meta.model_name

    @property
    def url_name(self):
        return f"{self.model_name}_detail"

    def view(self):
        return import_string(self.detail_view)


@dataclass(frozen=True)
class PartKind:
    """Rows that belong to other entries and have no page of their own (a case's events, a position's stances).

    `through`: the relations to curated entries that must all be published for a row to be public.
    `search`: the rows are also found on their own (events, evidence), as part of the entry they belong to.
    """

    model: str
    through: tuple
    search: SearchDocument | None = None
    key: str = ""
    label: str = ""


# Services an app above offers to the apps below it, by name: {"glossary": "dotted.path.to.callable"}.
_SERVICES: dict[str, str] = {}

_KINDS: dict[str, EntryKind] = {}
_PARTS: dict[str, PartKind] = {}
# Called with each kind declared from now on (an app that set itself up in ready() hears of later apps' kinds).
_LISTENERS = []
# Changes with every declaration, so what is derived from the registry can be kept until the next one.
_VERSION = [0]
_GATE_PATHS: dict[str, tuple] = {}


def version():
    """A number that changes whenever a kind is declared or removed (for caches of what is derived from them)."""
    return _VERSION[0]


def _changed(kind):
    _VERSION[0] += 1
    _GATE_PATHS.clear()
    for listener in _LISTENERS:
        listener(kind)


def on_register(callback):
    """Call `callback(kind)` for every kind declared later; the caller handles the kinds already declared."""
    _LISTENERS.append(callback)


def _label(model):
    return model if isinstance(model, str) else model._meta.label


def register(kind):
    """Declare a kind (an EntryKind or a PartKind). Declaring the same kind again replaces it (tests do this)."""
    if isinstance(kind, PartKind):
        _PARTS[kind.model.lower()] = kind
        _changed(kind)
        return kind
    for other in _KINDS.values():
        if other.key == kind.key and other.model.lower() != kind.model.lower():
            raise ValueError(f"Two kinds of entry share the key {kind.key!r}: {other.model} and {kind.model}.")
    _KINDS[kind.model.lower()] = kind
    _changed(kind)
    return kind


def kinds():
    """Every registered kind of entry, in the order of declaration."""
    return list(_KINDS.values())


def parts():
    return list(_PARTS.values())


def kind_for(model):
    """The EntryKind of a model or instance, or None."""
    if not isinstance(model, str):
        model = model._meta.concrete_model
    return _KINDS.get(_label(model).lower())


def kind_by_key(key):
    for kind in _KINDS.values():
        if kind.key == key:
            return kind
    raise LookupError(f"No kind of entry is called {key!r}.")


def gate_paths(model):
    """The relations whose entries must be published for a row of `model` to be public.

    A part is public when the entries it belongs to are: the entry holding it (found from each kind's `parts`) and
    the other entries the declaration names. A curated model's own status is checked by the gate itself.
    """
    from django.apps import apps

    label = _label(model if isinstance(model, str) else model._meta.concrete_model).lower()
    # Asked for on every public query and every row checked in hand: worked out once per model.
    if label in _GATE_PATHS:
        return _GATE_PATHS[label]
    paths = []
    part = _PARTS.get(label)
    if part:
        paths.extend(part.through)
    for kind in _KINDS.values():
        owner = apps.get_model(kind.model)
        for relation, others in kind.parts.items():
            related = owner._meta.get_field(relation)
            if related.related_model._meta.label.lower() != label:
                continue
            paths.append(related.field.name)
            paths.extend(others)
    _GATE_PATHS[label] = tuple(dict.fromkeys(paths))
    return _GATE_PATHS[label]


def provide(name, dotted_path):
    """Offer a service to the apps below (the glossary the scholarship app keeps, for linking terms in texts)."""
    _SERVICES[name] = dotted_path


def service(name):
    """The callable an app above offers under `name`, or a stand-in returning an empty list when none does."""
    path = _SERVICES.get(name)
    return import_string(path) if path else (lambda *args, **kwargs: [])
