"""No draft, entry in review or withdrawn entry on any public surface.

The test walks every URL pattern the project serves (tests/surfaces.py), fills its parameters from a small
published archive in which an unpublished entry of every curated model is linked to published ones (a draft
organisation with a role in a published case, a withdrawn source cited by a published one, a case in review
bearing on a published position...), and requests every URL with the usual query strings, anonymously and as an
instructor who put the unpublished entries on a shared reading list. No unpublished entry's words may appear
anywhere, no link may lead to one, and its own URLs answer 404.
"""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from cases.curation import roles
from cases.keeping.versions import fill_pending, record_missing
from tests import surfaces

STATUSES = ("draft", "review", "withdrawn")


def test_every_url_pattern_is_covered():
    """A new URL must be fillable here, or listed as private with a reason (see tests/surfaces.py)."""
    world = surfaces.World("published", slugs=dict.fromkeys(surfaces.SLUG_MODELS.values(), "x"))
    unknown = [f"{r.name} ({r.route})" for r in surfaces.all_routes() if surfaces.fill(r, world) is None]
    assert not unknown, f"Add these URLs to FILLERS or PRIVATE in tests/surfaces.py: {unknown}"


def test_every_curated_model_has_an_unpublished_maker():
    missing = {m._meta.label_lower for m in surfaces.curated_models()} - set(surfaces.UNPUBLISHED_MAKERS)
    assert not missing, f"Add a maker to UNPUBLISHED_MAKERS in tests/surfaces.py for: {missing}"


@pytest.fixture
def archive(db):
    pub = surfaces.build_published()
    markers, worlds = {}, []
    for status in STATUSES:
        world, made = surfaces.build_unpublished(status, pub)
        markers.update(made)
        worlds.append(world)
    # The published entries' first public versions, as publishing them would record (their pages rendered now:
    # the test's transaction never commits), so /…/v/1/ and /changes/ are walked with content.
    record_missing()
    fill_pending()
    call_command("setup_roles", stdout=io.StringIO())
    instructor = User.objects.create_user("instructor", password="x")
    instructor.groups.add(Group.objects.get(name=roles.INSTRUCTORS))
    unpublished = list(markers.values())
    pub.extra["reading_list"] = surfaces.add_reading_list(instructor, pub, unpublished)
    for world in worlds:
        world.extra["reading_list"] = pub.extra["reading_list"]
    return pub, worlds, markers, instructor


def _urls(route, world):
    from django.urls import NoReverseMatch

    urls = []
    for kwargs in surfaces.fill(route, world) or []:
        try:
            path = reverse(route.name, kwargs=kwargs) if route.name != route.route else "/" + route.route
        except NoReverseMatch:
            continue
        urls.append(path)
        if not kwargs:
            extra = surfaces.QUERIES_FOR.get(route.name)
            urls += [path + q for q in (extra(world) if extra else surfaces.QUERIES)]
    return urls


def _unpublished_paths(markers):
    paths = {}
    for word, entry in markers.items():
        try:
            path = entry.get_absolute_url()
        except Exception:  # noqa: BLE001 - an entry without a page of its own has no path to leak
            continue
        if entry.slug in path:  # its own page (a discussion question's URL is its case's page)
            paths[path] = (word, entry.slug)
    return paths


def _leaks(client, archive, routes):
    pub, worlds, markers, instructor = archive
    paths = _unpublished_paths(markers)
    leaks, requested = [], 0
    # The published world must render: otherwise the test would pass by showing nothing at all.
    case_page = client.get(reverse("intervention_detail", kwargs={"slug": pub.slugs["published-case"]}))
    assert case_page.status_code == 200 and pub.extra["case"].title in case_page.content.decode()

    def check(who, url, response, expect_404=False):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace").lower()
        for word in markers:
            if word in text:
                leaks.append(f"{who} {url} ({response.status_code}) shows {word}")
        for path, (word, slug) in paths.items():
            if path.lower() in text and slug not in url:
                leaks.append(f"{who} {url} links to unpublished {path} ({word})")
        if expect_404 and response.status_code != 404:
            leaks.append(f"{who} {url} answers {response.status_code} for an unpublished entry, not 404")
        if response.status_code >= 500:
            leaks.append(f"{who} {url} answers {response.status_code}")

    for who in ("anonymous", "instructor"):
        if who == "instructor":
            client.force_login(instructor)
        for route in routes:
            for url in _urls(route, pub):
                check(who, url, client.get(url))
                requested += 1
            for world in worlds:
                if route.params and "slug" in route.params:
                    for url in _urls(route, world):
                        check(who, url, client.get(url), expect_404=True)
                        requested += 1
    return sorted(set(leaks)), requested


def test_no_unpublished_entry_on_any_public_surface(client, archive):
    routes = list(surfaces.all_routes())
    leaks, requested = _leaks(client, archive, routes)
    assert requested > 300
    assert not leaks, "\n".join(leaks)


def test_a_withdrawn_entry_answers_410_with_the_title_it_was_published_under_and_nothing_else(client, db):
    """A cited link to a withdrawn entry says what was there (410 Gone), with only what the public once saw: the
    title of the published row, never the edits made since, nor those saved together with the withdrawal."""
    from cases.core import registry
    from cases.curation import workflow

    pub = surfaces.build_published()
    checked = 0
    for kind in registry.kinds():
        model = kind.model_class
        label = model._meta.label_lower
        if label not in surfaces.UNPUBLISHED_MAKERS:
            continue
        public_word, draft_word = f"zqseen{model._meta.model_name}zq", f"zqdraft{model._meta.model_name}zq"
        entry = surfaces.UNPUBLISHED_MAKERS[label]("published", pub, f"{public_word} quokka")
        address = entry.get_absolute_url()
        assert client.get(address).status_code == 200
        # The withdrawing save itself rewrites every text: none of it was ever public.
        for name, value in surfaces.text_values(model, f"{draft_word} quokka").items():
            setattr(entry, name, value)
        workflow.transition(entry, "withdrawn")
        response = client.get(address)
        page = response.content.decode().lower()
        assert response.status_code == 410, (label, response.status_code)
        assert public_word in page and "withdrawn" in page
        assert draft_word not in page, f"{label}: the 410 page shows text that was never published"
        assert f'href="{reverse(f"{kind.model_name}_list")}"' in page  # the list of its kind
        assert f'href="{reverse("search")}?q=' in page
        # Edited after withdrawal, moved back to draft: the old address still shows only the published title.
        entry.refresh_from_db()
        workflow.transition(entry, "draft")
        page = client.get(address).content.decode().lower()
        assert public_word in page and draft_word not in page
        checked += 1
    assert checked >= 5
    # A draft that was never published is a plain 404, as before.
    never = surfaces.UNPUBLISHED_MAKERS["interventions.intervention"]("draft", pub, "zqneverzq quokka")
    response = client.get(never.get_absolute_url())
    assert response.status_code == 404 and b"zqneverzq" not in response.content
