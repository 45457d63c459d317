"""The anonymous page cache: hits cost no query, and no reader ever sees a stale, draft or withdrawn entry."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from cases.core.cache import PAGE_KEY_PREFIX, query_params
from tests.accounts_helpers import sign_in_verified
from tests.factories import InterventionFactory, OrganisationFactory, PlaceFactory, RoleFactory

SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case():
    case = InterventionFactory(title="Cadmium poisoning campaign")
    RoleFactory(intervention=case, organisation=OrganisationFactory(name="Workers' Centre"))
    return case


def pages_of(case):
    organisation = case.roles.get().organisation
    return [
        reverse("home"),
        reverse("intervention_list"),
        case.get_absolute_url(),
        organisation.get_absolute_url(),
        reverse("search") + "?q=cadmium",
    ]


def test_second_anonymous_request_is_served_from_the_cache_without_a_query(client, case, django_assert_num_queries):
    for url in pages_of(case):
        first = client.get(url)
        assert first.status_code == 200
        assert first["X-Cache"] == "MISS"
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second["X-Cache"] == "HIT"
        assert second.content == first.content


def test_head_is_answered_from_the_page_a_get_cached(client, case, django_assert_num_queries):
    client.get(case.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.head(case.get_absolute_url())
    assert response.status_code == 200


def test_cached_page_keeps_every_security_header_and_gets_a_fresh_request_id(client, case):
    url = case.get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert second["X-Cache"] == "HIT"
    for header in SECURITY_HEADERS:
        assert second[header] == first[header]
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert "Set-Cookie" not in second


def test_query_strings_are_cached_separately(client, case):
    other = InterventionFactory(title="Pension arrears campaign", stage="campaign")
    page_one = client.get(reverse("intervention_list"))
    assert b"Pension arrears campaign" in page_one.content
    # A different query string is a different page; it must never be answered with the first one.
    response = client.get(reverse("intervention_list") + "?page=99")
    assert response.get("X-Cache") != "HIT"
    assert other.title.encode() in client.get(reverse("intervention_list")).content


def test_search_answers_are_cached_per_query_string_and_bad_input_never(client, case):
    url = reverse("search") + "?q=cadmium"
    first = client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    # A parameter the search does not read is rendered, never stored: it neither reads nor replaces the clean page.
    assert "X-Cache" not in client.get(url + "&junk=%3Cb%3E")
    again = client.get(url)
    assert again["X-Cache"] == "HIT"
    assert again.content == first.content
    for bad in ["?q=cadmium%00", "?q=" + "w" * 5000]:
        for _ in range(2):
            response = client.get(reverse("search") + bad)
            assert response.status_code == 400
            assert "X-Cache" not in response


def test_publishing_a_draft_shows_at_once_everywhere(client, case):
    draft = InterventionFactory(title="Draft wage arrears case", status="draft")
    RoleFactory(intervention=draft, organisation=case.roles.get().organisation)
    for url in pages_of(case):
        assert b"Draft wage arrears case" not in client.get(url).content
    assert client.get(draft.get_absolute_url()).status_code == 404

    draft.status = "published"
    draft.save()

    assert b"Draft wage arrears case" in client.get(reverse("intervention_list")).content
    assert b"Draft wage arrears case" in client.get(case.roles.get().organisation.get_absolute_url()).content
    detail = client.get(draft.get_absolute_url())
    assert detail.status_code == 200
    assert detail["X-Cache"] == "MISS"


# Transactional: the search index is written when a transaction commits, which a test inside one never does.
@pytest.mark.django_db(transaction=True)
def test_withdrawing_removes_the_entry_at_once_from_list_detail_and_related_pages(client, case):
    organisation = case.roles.get().organisation
    search = reverse("search") + "?q=cadmium"
    for url in pages_of(case):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    assert f'href="{case.get_absolute_url()}"'.encode() in client.get(search).content

    case.status = "withdrawn"
    case.save()

    assert b"Cadmium poisoning campaign" not in client.get(reverse("intervention_list")).content
    assert b"Cadmium poisoning campaign" not in client.get(reverse("home")).content
    assert b"Cadmium poisoning campaign" not in client.get(organisation.get_absolute_url()).content
    assert f'href="{case.get_absolute_url()}"'.encode() not in client.get(search).content
    assert client.get(case.get_absolute_url()).status_code == 410  # a withdrawn entry's address says it is gone


def test_an_edit_shows_at_once(client, case):
    client.get(case.get_absolute_url())
    case.title = "Cadmium poisoning compensation campaign"
    case.save()
    response = client.get(case.get_absolute_url())
    assert b"Cadmium poisoning compensation campaign" in response.content


def test_a_related_row_added_or_deleted_invalidates(client, case):
    place = PlaceFactory(name="Shenzhen")
    client.get(case.get_absolute_url())
    case.places.add(place)  # m2m_changed
    assert b"Shenzhen" in client.get(case.get_absolute_url()).content
    client.get(case.get_absolute_url())
    case.roles.get().delete()  # post_delete
    assert b"Workers&#x27; Centre" not in client.get(case.get_absolute_url()).content


def test_a_signed_in_user_never_gets_nor_fills_a_cached_page(client, case, django_assert_num_queries):
    user = get_user_model().objects.create_user("curator", password="x", is_staff=True)
    url = case.get_absolute_url()
    client.get(url)  # an anonymous reader fills the cache

    sign_in_verified(client, user)
    signed_in = client.get(url)
    assert signed_in.status_code == 200
    assert "X-Cache" not in signed_in  # rendered for this reader, neither read from nor written to the cache

    cache.clear()
    client.get(url)
    client.logout()
    assert client.get(url)["X-Cache"] == "MISS"  # the signed-in request above stored nothing


def test_pages_that_set_cookies_or_forbid_caching_are_never_stored(client):
    for url in [reverse("admin:login"), reverse("health")]:
        client.get(url)
        assert "X-Cache" not in client.get(url)


def test_posts_are_never_cached(client, case):
    assert "X-Cache" not in client.post(reverse("intervention_list"))


def test_without_the_cache_pages_still_render(client, case, settings):
    settings.PAGE_CACHE_ENABLED = False
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert "X-Cache" not in response


def test_a_page_carrying_the_readers_csrf_token_is_never_stored(client, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    for _ in range(2):
        response = client.get("/test-errors/form/")
        assert b"csrfmiddlewaretoken" in response.content
        assert "X-Cache" not in response
    other_reader = Client()
    assert other_reader.get("/test-errors/form/").get("X-Cache") != "HIT"


def test_pages_render_when_the_shared_cache_is_down(client, case, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "down": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    settings.PAGE_CACHE_ALIAS = "down"
    for _ in range(2):
        response = client.get(case.get_absolute_url())
        assert response.status_code == 200
        assert b"Cadmium poisoning campaign" in response.content
    case.title = "Edited while the cache is down"
    case.save()  # the invalidation fails quietly: a curator's save never depends on the cache
    assert b"Edited while the cache is down" in client.get(case.get_absolute_url()).content


def _cache_prefix(monkeypatch, database_url):
    import importlib

    import labourarchive.settings.base as base

    monkeypatch.delenv("CACHE_KEY_PREFIX", raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    try:
        return importlib.reload(base).CACHES["default"]["KEY_PREFIX"]
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_two_archives_never_share_cached_pages_but_servers_of_one_do(monkeypatch):
    one = _cache_prefix(monkeypatch, "postgres://postgres@127.0.0.1:5432/archive_one")
    again = _cache_prefix(monkeypatch, "postgres://postgres@127.0.0.1:5432/archive_one")
    other = _cache_prefix(monkeypatch, "postgres://postgres@127.0.0.1:5432/archive_two")
    local = _cache_prefix(monkeypatch, "sqlite:////srv/archive.sqlite3")
    assert one == again
    assert len({one, other, local}) == 3


def stored_pages():
    """The page entries in the test cache (local memory)."""
    return [key for key in cache._cache if PAGE_KEY_PREFIX in key]


def test_junk_parameters_write_no_entry(client, case):
    url = reverse("intervention_list")
    assert client.get(url)["X-Cache"] == "MISS"
    for n in range(200):
        response = client.get(f"{url}?junk={n}")
        assert response.status_code == 200
        assert "X-Cache" not in response
    for junk in ["?stage=campaign&junk=1", "?utm_source=x", "?Stage=campaign", "?page=2&page%00=1"]:
        assert "X-Cache" not in client.get(url + junk)
    assert len(stored_pages()) == 1
    # Views that read no parameter at all (a case page, the API's detail) store only their bare URL.
    for path in [case.get_absolute_url(), reverse("api-case-detail", args=[case.slug]), reverse("about")]:
        for n in range(20):
            assert "X-Cache" not in client.get(f"{path}?n={n}")
    assert len(stored_pages()) == 1


def test_parameter_order_and_repeats_map_to_one_entry(client, case):
    cases = reverse("intervention_list")
    same = [
        ("?stage=campaign&kind=campaign", "?kind=campaign&stage=campaign"),
        ("?stage=campaign&stage=social_movement_project", "?stage=social_movement_project&stage=campaign"),
        ("?stage=campaign", "?stage=campaign&stage=campaign"),
        ("?sort=title&page=1", "?page=1&sort=title&sort=title"),
    ]
    for first, second in same:
        assert client.get(cases + first)["X-Cache"] == "MISS"
        assert client.get(cases + second)["X-Cache"] == "HIT", (first, second)
    # A one-value parameter given twice is read as its last value (QueryDict.get), so keyed by it alone.
    search = reverse("search")
    assert client.get(search + "?q=cadmium")["X-Cache"] == "MISS"
    assert client.get(search + "?q=wages&q=cadmium")["X-Cache"] == "HIT"
    assert client.get(search + "?q=cadmium&q=wages")["X-Cache"] == "MISS"
    api = reverse("api-case-list")
    assert client.get(api + "?stage=campaign&page=1")["X-Cache"] == "MISS"
    assert client.get(api + "?page=1&stage=campaign")["X-Cache"] == "HIT"
    assert "X-Cache" not in client.get(api + "?page=1&stage=campaign&junk=1")


def test_the_scheme_is_part_of_the_key(client, case):
    # Absolute links (the API's next page, citations) are built from the scheme: an http page is not an https one.
    url = reverse("api-case-list")
    assert client.get(url)["X-Cache"] == "MISS"
    secure = client.get(url, secure=True)
    assert secure["X-Cache"] == "MISS"
    assert client.get(url, secure=True)["X-Cache"] == "HIT"
    assert client.get(url)["X-Cache"] == "HIT"


def test_the_active_language_is_part_of_the_key(client, case):
    url = case.get_absolute_url()
    assert client.get(url)["X-Cache"] == "MISS"
    for language in ("zh-hans", "zh-hant"):
        # The address names the language (/zh-hans/cases/…): a page is one language's, never another's.
        with translation.override(language):
            translated = case.get_absolute_url()
        assert translated != url
        assert client.get(translated)["X-Cache"] == "MISS"
        assert client.get(translated)["X-Cache"] == "HIT"
    assert client.get(url)["X-Cache"] == "HIT"
    assert len(stored_pages()) == 3


def test_query_params_are_read_as_the_view_reads_them():
    params = query_params("page", sets=["stage"], lists=["cases"])
    assert params.canonical(QueryDict("page=1&page=2&stage=b&stage=a&stage=b")) == [
        ("page", ["2"]),
        ("stage", ["a", "b"]),
    ]
    # The order of compared cases is the order of the columns: never sorted.
    assert params.canonical(QueryDict("cases=b&cases=a")) != params.canonical(QueryDict("cases=a&cases=b"))
    assert params.canonical(QueryDict("page=1&other=1")) is None
    assert params.canonical(QueryDict("")) == []
    # A FilterSet's filters that take several values are sets; the others take one value.
    from cases.interventions.filters import InterventionFilterSet

    listed = query_params("page", filterset=InterventionFilterSet)
    assert {"organisation", "stage", "issue", "place"} <= listed.sets
    assert {"page", "year_from", "year_to", "sort"} <= listed.single


def test_every_page_that_takes_parameters_declares_them():
    """A view that reads the query string declares what it reads, or none of its pages with one is cached."""
    from cases.core.cache import view_params

    factory = RequestFactory()
    declared = {
        "intervention_list": {"stage", "organisation", "page", "more", "sort", "year_from"},
        "organisation_list": {"kind", "page", "more"},
        "position_list": {"stance", "scholar", "page"},
        "source_list": {"type", "page"},
        "timeline": {"stage", "page", "more"},
        "search": {"q", "kind", "page"},
        "network": {"relation", "case"},
        "compare": {"cases"},
        "api-case-list": {"stage", "page", "page_size", "format"},
    }
    for name, expected in declared.items():
        params = view_params(factory.get(reverse(name)))
        assert expected <= params.single | params.sets | params.lists, name


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [("file:///srv/archive-cache", "FileBasedCache"), ("locmem://", "LocMemCache"), ("", "FileBasedCache")],
)
def test_the_file_and_local_memory_caches_are_bounded(monkeypatch, cache_url, backend):
    caches = _settings_with(monkeypatch, CACHE_URL=cache_url)["default"]
    assert caches["BACKEND"].endswith(backend)
    assert caches["OPTIONS"]["MAX_ENTRIES"] == 10000


def test_the_documented_redis_is_bounded_with_an_lru_policy():
    config = (Path(settings.BASE_DIR) / "deploy" / "redis.conf").read_text()
    directives = dict(line.split(None, 1) for line in config.splitlines() if line.strip() and line[0] != "#")
    assert directives["maxmemory"].strip().endswith(("mb", "gb"))
    assert directives["maxmemory-policy"].strip() == "allkeys-lru"


def test_the_page_cache_stays_within_max_entries(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "bounded",
            "OPTIONS": {"MAX_ENTRIES": 20},
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    from django.core.cache import caches

    for n in range(60):
        assert client.get(reverse("search") + f"?q=word{n}")["X-Cache"] == "MISS"
    assert len(caches["pages"]._cache) <= 20
    caches["pages"].clear()


def _settings_with(monkeypatch, **environ):
    """CACHES as the settings build it from this environment."""
    import copy
    import importlib

    import labourarchive.settings.base as base

    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    try:
        return copy.deepcopy(importlib.reload(base).CACHES)
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_a_page_cached_by_another_release_of_the_code_is_not_served(client, case, settings, tmp_path):
    from cases.core import cache as page_cache

    url = case.get_absolute_url()
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    # A deploy changes a template: the cache, shared and kept across restarts, still holds the old page.
    settings.BASE_DIR = tmp_path
    for folder in page_cache._RELEASE_FOLDERS:
        (tmp_path / folder).mkdir()
    (tmp_path / "templates" / "base.html").write_text("the new release")
    page_cache.code_release.cache_clear()
    try:
        assert client.get(url)["X-Cache"] == "MISS"
        assert client.get(url)["X-Cache"] == "HIT"
        settings.PAGE_CACHE_RELEASE = "a-named-release"
        page_cache.code_release.cache_clear()
        assert client.get(url)["X-Cache"] == "MISS"
    finally:
        page_cache.code_release.cache_clear()
