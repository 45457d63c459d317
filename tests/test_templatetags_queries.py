"""Template tags and filters never query the database: views fetch through selectors and pass the data in.

A query that a tag runs is invisible in the view and easy to multiply (a tag in a loop is an N+1), so every
page is rendered here with a database hook that looks at the Python stack of each query. A query fails the
test when it runs:
- inside a function of a `templatetags` module of the project (a tag or filter that queries, or that walks a
  relation the view did not prefetch), or
- while Django renders the output of one of the project's `simple_tag` / `inclusion_tag` tags (a tag that
  hands a lazy queryset to its template).
Every public URL (tests/surfaces.py) is requested anonymously and as an instructor, who sees the "Add to
reading list" form.
"""

import ast
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

import cases
from cases.core.models import Source
from tests import surfaces
from tests.teaching_helpers import make_instructor

CASES_DIR = Path(cases.__file__).resolve().parent
TAG_MODULES = sorted(str(path) for path in CASES_DIR.glob("*/templatetags/*.py") if path.name != "__init__.py")
LIBRARY_FILE = str(Path(sys.modules["django.template.library"].__file__).resolve())


def _tag_on_stack(frame):
    """The project's tag or filter that this query runs under, or None."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename in TAG_MODULES:
            return f"{Path(filename).parent.parent.name}/templatetags/{Path(filename).name}:{frame.f_code.co_name}"
        if filename == LIBRARY_FILE and frame.f_code.co_name == "render":
            func = getattr(frame.f_locals.get("self"), "func", None)
            if func is not None and getattr(func, "__module__", "").startswith("cases."):
                return f"{func.__module__}.{func.__name__} (its template)"
        frame = frame.f_back
    return None


class TagQueryGuard:
    """A database execute wrapper that records every query run on behalf of a template tag."""

    def __init__(self):
        self.found = []

    def __call__(self, execute, sql, params, many, context):
        tag = _tag_on_stack(sys._getframe(1))
        if tag is not None:
            self.found.append((tag, sql))
        return execute(sql, params, many, context)


def test_the_guard_sees_the_tag_modules():
    names = {Path(path).name for path in TAG_MODULES}
    assert {"archive.py", "visual.py", "teaching.py", "citations.py"} <= names


def test_no_tag_module_reads_through_a_selector_or_a_manager():
    """A cheap check for code paths no page exercises here: tag modules import no selectors, use no `.objects`."""
    found = []
    for path in TAG_MODULES:
        for node in ast.walk(ast.parse(Path(path).read_text(), path)):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Attribute) and node.attr == "objects":
                names = ["<manager>.objects"]
            else:
                continue
            found += [
                f"{path}:{node.lineno} {name}" for name in names if name.split(".")[-1] in {"selectors", "objects"}
            ]
    assert not found, "\n".join(found)


def test_the_guard_catches_a_filter_that_walks_a_relation_the_view_did_not_prefetch():
    """The guard itself: `author_names` on a source fetched without its authors queries, and is caught."""
    from tests.factories import AuthorFactory, SourceAuthorFactory, SourceFactory

    SourceAuthorFactory(source=SourceFactory(), author=AuthorFactory())
    source = Source.objects.get()  # no prefetch
    guard = TagQueryGuard()
    with connection.execute_wrapper(guard):
        Template("{% load archive %}{{ source|author_names }}").render(Context({"source": source}))
    assert guard.found and guard.found[0][0] == "core/templatetags/archive.py:author_names"


def test_the_guard_catches_an_inclusion_tag_that_hands_its_template_a_lazy_queryset(monkeypatch):
    from cases.teaching import selectors
    from cases.teaching.templatetags import teaching

    instructor = make_instructor()
    surfaces_world = surfaces.build_published()
    lazy = selectors.active_lists_for_owner(instructor)  # a queryset, not yet evaluated
    template = Template("{% load teaching %}{% add_to_list_form entry lists %}")

    class Request:
        user = instructor

        def get_full_path(self):
            return "/cases/"

    guard = TagQueryGuard()
    with connection.execute_wrapper(guard):
        template.render(Context({"request": Request(), "entry": surfaces_world.extra["case"], "lists": lazy}))
    assert guard.found and "add_to_list_form" in guard.found[0][0], guard.found
    assert teaching  # the module under test is the one the template loads


@pytest.fixture
def world(db):
    pub = surfaces.build_published()
    instructor = make_instructor()
    pub.extra["reading_list"] = surfaces.add_reading_list(instructor, pub, [])
    return pub, instructor


def _urls(world):
    for route in surfaces.all_routes():
        for kwargs in surfaces.fill(route, world) or []:
            try:
                yield reverse(route.name, kwargs=kwargs) if route.name != route.route else "/" + route.route
            except NoReverseMatch:
                continue


def test_no_page_runs_a_query_inside_a_template_tag(client, world):
    pub, instructor = world
    urls = sorted(set(_urls(pub)))
    assert len(urls) > 40
    guard = TagQueryGuard()
    rendered, problems = 0, []
    with connection.execute_wrapper(guard):
        for who in ("anonymous", "instructor"):
            if who == "instructor":
                client.force_login(instructor)
            for url in urls:
                response = client.get(url)
                assert response.status_code < 500, (who, url)
                rendered += response.status_code == 200
                problems += [f"{who} {url}: {tag} queried: {sql[:120]}" for tag, sql in guard.found]
                guard.found.clear()
    assert not problems, "\n".join(sorted(set(problems)))
    assert rendered > 40
    # The pages with tags were really rendered, with what the tags show.
    client.force_login(instructor)
    case_page = client.get(pub.extra["case"].get_absolute_url()).content.decode()
    assert "Add to reading list" in case_page and "Questions for discussion" in case_page
    assert "spectrum-map" in client.get(reverse("position_list")).content.decode()
