"""Every public URL the project serves, and how to fill its parameters: shared by the public-surface test (no
draft anywhere) and the cross-site-scripting test (every curated text inert on every page).

When you add a URL with parameters, tell these tests how to fill it:
- a `<slug>` in a URL named `<model>_…` (e.g. `intervention_cite`) is filled from that model automatically;
- a converter whose pattern is a list of words (`csv|json`) is filled with each word;
- anything else needs an entry in FILLERS (URL name → function(world) → list of kwargs), or, if the URL is not
  public at all, in PRIVATE with the reason.
A URL that is neither fillable nor listed makes test_every_url_pattern_is_covered fail.
"""

import itertools
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from cases.core import registry
from cases.core.models import Curated
from tests import factories as f

# URL namespaces (or names) that are not public surfaces, with the reason. Everything else is requested.
PRIVATE = {
    "admin": "the admin: staff only, behind a login; its own tests cover permissions",
}

# Model name prefix of a URL name → model label, for filling `<slug>` (intervention_detail, source_cite...): every
# registered kind of entry, and "case" for the routes named after the public word (case_network...).
SLUG_MODELS = {kind.model_name: kind.model.lower() for kind in registry.kinds()} | {
    "case": "interventions.intervention"
}
# Free parameters any URL may have, and what to fill them with (Django REST framework's format suffixes; the number of
# an entry's public version: /cases/<slug>/v/1/).
FREE_PARAMS = {"format": ["json"], "number": ["1"]}


@dataclass
class World:
    """The entries one round of requests is about: their slugs, and extra objects (reading lists...)."""

    status: str
    slugs: dict = field(default_factory=dict)  # model label -> slug
    extra: dict = field(default_factory=dict)


def _reading_list_kwargs(world, with_item=False):
    reading_list = world.extra.get("reading_list")
    if reading_list is None:
        return []
    kwargs = {"pk": reading_list.pk}
    if with_item:
        kwargs["item_pk"] = reading_list.items.first().pk
    return [kwargs]


def _shared(world):
    reading_list = world.extra.get("reading_list")
    return [{"token": reading_list.share_token}] if reading_list is not None else []


# URL name → function(world) → [kwargs]. Converter words (fmt=csv|json) are added to these automatically.
FILLERS = {
    "password_reset_confirm": lambda world: [{"uidb64": "MQ", "token": "set-password"}],
    "teaching:list_detail": _reading_list_kwargs,
    "teaching:list_edit": _reading_list_kwargs,
    "teaching:list_duplicate": _reading_list_kwargs,
    "teaching:list_archive": _reading_list_kwargs,
    "teaching:list_delete": _reading_list_kwargs,
    "teaching:list_share": _reading_list_kwargs,
    "teaching:list_print": _reading_list_kwargs,
    "teaching:list_export": _reading_list_kwargs,
    "teaching:item_edit": lambda world: _reading_list_kwargs(world, with_item=True),
    "teaching:item_move": lambda world: _reading_list_kwargs(world, with_item=True),
    "teaching:item_remove": lambda world: _reading_list_kwargs(world, with_item=True),
    "teaching:item_restore": lambda world: _reading_list_kwargs(world, with_item=True),
    "teaching:shared": _shared,
    "teaching:shared_print": _shared,
    "teaching:shared_export": _shared,
    # Open data: the releases in RELEASES_DIR (none in a test run unless one is made: the URLs then answer 404).
    "data_release": lambda world: [{"version": "v1"}],
    "data_file": lambda world: [{"version": "v1", "name": "cases.csv"}],
    "data_latest_file": lambda world: [{"name": "cases.csv"}],
}

# Query strings to try on URLs without parameters (lists, search, exports, feeds, maps...), besides none.
# They never contain an unpublished entry's title, so a title found in a response is a leak, not an echo.
QUERIES = [
    "?q=quokka",
    "?page=2",
    "?format=json",
    "?format=csv",
    "?status=draft",
    "?status=withdrawn",
    "?sort=title",
    "?stage=campaign",
    "?kind=campaign",
]
QUERIES_FOR = {
    # Draft slugs in a query (compare a published case with a draft) are echoes of the reader's input: allowed
    # in the page; their titles are not.
    "compare": lambda world: [
        f"?cases={world.slugs['published-case']}&cases={world.slugs.get('interventions.intervention', '')}",
    ],
    "search": lambda world: ["?q=quokka", "?q=quokka&kind=case", "?q=quokka&page=2"],
    # Harvesting every record and header (withdrawn entries made here were never published: no record at all).
    "oai": lambda world: [
        "?verb=ListRecords&metadataPrefix=oai_dc",
        "?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "?verb=ListSets",
        "?verb=Identify",
        f"?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:testserver:case/{world.slugs['published-case']}",
    ],
}


@dataclass
class Route:
    name: str  # namespaced URL name, or the route when the pattern has no name
    route: str
    params: dict  # parameter -> list of literal words it accepts, or None when free


def _words(regex):
    return regex.split("|") if re.fullmatch(r"[\w.-]+(\|[\w.-]+)+|[\w.-]+", regex or "") else None


def _params(pattern):
    if isinstance(pattern, RoutePattern):
        return {name: _words(converter.regex) for name, converter in pattern.converters.items()}
    if isinstance(pattern, RegexPattern):
        return {name: _words(group) for name, group in re.findall(r"\(\?P<(\w+)>([^()]*)\)", pattern._regex)}
    return {}


def all_routes():
    """Every URL pattern of the project except those under PRIVATE namespaces, with its parameters."""
    routes = []

    def walk(resolver, prefix, namespace, params):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                if inner in PRIVATE:
                    continue
                walk(entry, prefix + str(entry.pattern), inner, {**params, **_params(entry.pattern)})
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                route = prefix + str(entry.pattern)
                if (name or route) in PRIVATE:
                    continue
                routes.append(Route(name or route, route, {**params, **_params(entry.pattern)}))

    walk(get_resolver(), "", None, {})
    return routes


def fill(route, world):
    """[kwargs] for `route` in `world`, or None when the test does not know how to fill it."""
    params = {name: FREE_PARAMS.get(name) if words is None else words for name, words in route.params.items()}
    route = Route(route.name, route.route, params)
    free = [name for name, words in route.params.items() if words is None]
    if not route.params:
        return [{}]
    base_list = None
    if route.name in FILLERS:
        base_list = FILLERS[route.name](world)
    elif free == ["slug"]:
        model = SLUG_MODELS.get(re.split(r"[_-]", route.name.split(":")[-1].removeprefix("api-"))[0])
        if model is None:
            return None
        base_list = [{"slug": world.slugs[model]}] if model in world.slugs else []
    elif not free:
        base_list = [{}]
    else:
        return None
    word_params = {name: words for name, words in route.params.items() if words is not None}
    filled = []
    for base in base_list:
        missing = {name: words for name, words in word_params.items() if name not in base}
        for combo in itertools.product(*missing.values()):
            filled.append({**base, **dict(zip(missing, combo, strict=True))})
    return filled


def curated_models():
    return [m for m in apps.get_models() if issubclass(m, Curated)]


# --- Building the data ------------------------------------------------------------------------------------------


def text_values(model, text, skip=()):
    """Every free-text field of `model` set to `text` (cut to the field's length): titles, names, narratives..."""
    values = {}
    for model_field in model._meta.concrete_fields:
        if model_field.name in skip or model_field.choices or not model_field.editable:
            continue
        if model_field.get_internal_type() not in ("CharField", "TextField"):
            continue
        if model_field.name in ("slug", "status", "doi", "url") or model_field.is_relation:
            continue
        limit = model_field.max_length or 10_000
        if limit < len(text.split()[0]):
            continue
        values[model_field.name] = text[:limit]
    return values


def build_published(text=None, suffix=""):
    """A small published archive where every curated model has an entry, all connected.

    With `text`, every free-text field of every entry holds it (used to feed payloads through every page). With
    `suffix`, every slug ends with it, so that several such archives, unconnected, can live in one database.
    """

    def t(model, **extra):
        return {**(text_values(model, text) if text else {}), **extra}

    from cases.core.models import Author, Citation, Place, Source, SourceAuthor
    from cases.interventions.models import Event, Evidence, Figure, Intervention, Role
    from cases.organisations.models import Organisation, OrganisationRelation
    from cases.scholarship.models import Concept, Position, Stance

    source = f.SourceFactory(status="published", slug=f"pub-source{suffix}", **t(Source))
    author = f.AuthorFactory(slug=f"pub-author{suffix}", **t(Author))
    f.SourceAuthorFactory(source=source, author=author, **t(SourceAuthor))
    cited = f.SourceFactory(status="published", slug=f"pub-cited{suffix}", **t(Source))
    f.CitationFactory(citing=source, cited=cited, **t(Citation))
    f.ResearchMethodFactory(source=source, **t(apps.get_model("core.researchmethod")))
    place = f.PlaceFactory(status="published", slug=f"pub-place{suffix}", **t(Place))
    org = f.OrganisationFactory(
        status="published", slug=f"pub-org{suffix}", source=source, base_place=place, **t(Organisation)
    )
    other = f.OrganisationFactory(status="published", slug=f"pub-org-2{suffix}", source=source, **t(Organisation))
    f.OrganisationRelationFactory(subject=org, object=other, source=source, **t(OrganisationRelation))
    case = f.InterventionFactory(
        status="published",
        slug=f"pub-case{suffix}",
        source=source,
        stage="campaign",
        **t(Intervention, narrative=(text or "The case mentions wombatdraft and wombatreview and wombatwithdrawn.")),
    )
    case.places.add(place)
    f.RoleFactory(intervention=case, organisation=org, kind="lead", source=source, **t(Role))
    f.EventFactory(intervention=case, place=place, source=source, **t(Event))
    f.EvidenceFactory(intervention=case, source=source, **t(Evidence))
    f.FigureFactory(intervention=case, source=source, **t(Figure))
    position = f.PositionFactory(status="published", slug=f"pub-position{suffix}", source=source, **t(Position))
    f.StanceFactory(position=position, intervention=case, source=source, **t(Stance))
    concept = f.ConceptFactory(status="published", slug=f"pub-concept{suffix}", source=source, **t(Concept))
    world = World(
        "published",
        slugs={
            "core.source": source.slug,
            "core.place": place.slug,
            "organisations.organisation": org.slug,
            "interventions.intervention": case.slug,
            "scholarship.position": position.slug,
            "scholarship.concept": concept.slug,
            "published-case": case.slug,
        },
        extra={"source": source, "place": place, "org": org, "case": case, "position": position, "concept": concept},
    )
    if apps.is_installed("cases.teaching"):
        question = apps.get_model("teaching.discussionquestion").objects.create(
            intervention=case,
            status="published",
            slug=f"pub-question{suffix}",
            **t(apps.get_model("teaching.discussionquestion"), text=text or "Why?"),
        )
        world.extra["question"] = question
    return world


def marker(status, model):
    """A word that appears in every text of one unpublished entry and nowhere else (lower case, no spaces)."""
    return f"zq{status}{model._meta.model_name}zq"


def _after_last(rows):
    """A free position among a case's rows (the factories number positions in one sequence for the whole run)."""
    return max(rows.values_list("position", flat=True), default=0) + 1


def _make_source(status, pub, text):
    from cases.core.models import Source

    source = f.SourceFactory(status=status, slug=f"{status}-source", **text_values(Source, text))
    f.SourceAuthorFactory(source=source, author=f.AuthorFactory(slug=f"{status}-author"))
    f.CitationFactory(citing=pub.extra["source"], cited=source, locator="p. 1")  # cited by a published source
    f.CitationFactory(citing=source, cited=pub.extra["source"], locator="p. 2")  # citing a published source
    # A published evidence row that (wrongly) still rests on this unpublished source.
    case = pub.extra["case"]
    f.EvidenceFactory(intervention=case, source=source, position=_after_last(case.evidence), quotation="Q.")
    return source


def _make_place(status, pub, text):
    from cases.core.models import Place

    place = f.PlaceFactory(
        status=status, slug=f"{status}-place", parent=pub.extra["place"], **text_values(Place, text)
    )
    pub.extra["case"].places.add(place)
    case = pub.extra["case"]
    f.EventFactory(intervention=case, place=place, position=_after_last(case.events), title="Meeting")
    f.OrganisationFactory(status="published", slug=f"org-based-in-{status}", base_place=place)
    return place


def _make_organisation(status, pub, text):
    from cases.interventions.models import Role
    from cases.organisations.models import Organisation, OrganisationRelation

    org = f.OrganisationFactory(
        status=status, slug=f"{status}-org", base_place=pub.extra["place"], **text_values(Organisation, text)
    )
    f.RoleFactory(intervention=pub.extra["case"], organisation=org, kind="partner", **text_values(Role, text))
    f.OrganisationRelationFactory(subject=org, object=pub.extra["org"], **text_values(OrganisationRelation, text))
    f.OrganisationRelationFactory(
        subject=pub.extra["org"], object=org, kind="funder", **text_values(OrganisationRelation, text)
    )
    return org


def _make_intervention(status, pub, text):
    from cases.interventions.models import Event, Evidence, Figure, Intervention, Role
    from cases.scholarship.models import Stance

    case = f.InterventionFactory(
        status=status,
        slug=f"{status}-case",
        parent=pub.extra["case"],
        stage="campaign",
        kind="campaign",
        **text_values(Intervention, text),
    )
    case.places.add(pub.extra["place"])
    f.RoleFactory(intervention=case, organisation=pub.extra["org"], kind="lead", **text_values(Role, text))
    f.EventFactory(intervention=case, place=pub.extra["place"], **text_values(Event, text))
    f.EvidenceFactory(intervention=case, source=pub.extra["source"], **text_values(Evidence, text))
    f.FigureFactory(intervention=case, **text_values(Figure, text))
    f.StanceFactory(intervention=case, position=pub.extra["position"], **text_values(Stance, text))
    return case


def _make_position(status, pub, text):
    from cases.scholarship.models import Position, Stance

    position = f.PositionFactory(
        status=status, slug=f"{status}-position", source=pub.extra["source"], **text_values(Position, text)
    )
    f.StanceFactory(intervention=pub.extra["case"], position=position, **text_values(Stance, text))
    return position


def _make_concept(status, pub, text):
    from cases.scholarship.models import Concept

    # Its alias is in the published case's narrative: a glossary link to it would be a leak.
    concept = f.ConceptFactory(
        status=status,
        slug=f"{status}-concept",
        **text_values(Concept, text, skip=("aliases",)),
        aliases=f"wombat{status}",
    )
    concept.related.add(pub.extra["concept"])
    return concept


def _make_question(status, pub, text):
    model = apps.get_model("teaching.discussionquestion")
    return model.objects.create(
        intervention=pub.extra["case"],
        status=status,
        slug=f"{status}-question",
        position=9,
        **text_values(model, text),
    )


# Curated model label → how to make an unpublished entry of it, connected to the published world.
UNPUBLISHED_MAKERS = {
    "core.source": _make_source,
    "core.place": _make_place,
    "organisations.organisation": _make_organisation,
    "interventions.intervention": _make_intervention,
    "scholarship.position": _make_position,
    "scholarship.concept": _make_concept,
    "teaching.discussionquestion": _make_question,
}


def build_unpublished(status, pub):
    """One entry of every curated model in `status`, each linked to the published world. Returns (world, markers)."""
    world = World(status, slugs={"published-case": pub.slugs["published-case"]})
    markers = {}
    for model in curated_models():
        label = model._meta.label_lower
        word = marker(status, model)
        entry = UNPUBLISHED_MAKERS[label](status, pub, f"{word} quokka")
        markers[word] = entry
        world.slugs[label] = entry.slug
    return world, markers


def add_reading_list(owner, pub, unpublished_entries):
    """A shared reading list holding published and unpublished entries of every kind it can hold."""
    from cases.teaching import services
    from cases.teaching.models import ReadingList, kind_of, new_share_token

    reading_list = ReadingList.objects.create(owner=owner, title="Week 3", share_token=new_share_token())
    for entry in [pub.extra["case"], pub.extra["position"], *unpublished_entries]:
        if kind_of(entry) is not None:
            services.add_entry(reading_list, entry)
    return reading_list
