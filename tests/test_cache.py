"""The anonymous page cache: hits cost no query, and no reader ever sees a stale, draft or withdrawn entry."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

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
    # A junk parameter is a page of its own: it neither reads nor replaces the clean query's page.
    assert client.get(url + "&junk=%3Cb%3E")["X-Cache"] == "MISS"
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
    assert client.get(case.get_absolute_url()).status_code == 404


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
