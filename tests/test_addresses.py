"""Absolute addresses come from SITE_URL where it is set, else from the address the request came to: a site served
on another host or port cites itself there, never on a default host or port."""

import json
import re

import pytest

from cases.core.addresses import absolute_url, base_url
from tests import factories as f

pytestmark = pytest.mark.django_db

ELSEWHERE = "archive.test:8123"


@pytest.fixture
def case(db):
    return f.InterventionFactory(status="published", title="Cadmium campaign", slug="cadmium")


def absolute_urls(text):
    return set(re.findall(r"https?://[^\s\"'<>)\\]+", text))


def own_urls(text):
    return {url for url in absolute_urls(text) if "/cases/" in url or "/sources/" in url or url.endswith("/")}


def test_without_site_url_every_address_is_on_the_host_and_port_asked_for(client, settings, case):
    settings.SITE_URL = ""
    pages = [
        client.get(case.get_absolute_url(), HTTP_HOST=ELSEWHERE).content.decode(),
        b"".join(client.get("/cases/export.json", HTTP_HOST=ELSEWHERE).streaming_content).decode(),
        client.get("/feed.atom", HTTP_HOST=ELSEWHERE).content.decode(),
    ]
    found = set().union(*(own_urls(text) for text in pages))
    assert f"http://{ELSEWHERE}/cases/cadmium/" in found
    archive = {url for url in found if "archive.test" in url or "127.0.0.1" in url or "localhost" in url}
    assert archive and all(url.startswith(f"http://{ELSEWHERE}/") for url in archive), archive
    assert not any(":8000" in url for url in found)


def test_the_case_page_cites_itself_on_the_address_it_was_served_at(client, settings, case):
    settings.SITE_URL = ""
    text = client.get(case.get_absolute_url(), HTTP_HOST=ELSEWHERE, secure=True).content.decode()
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert jsonld and f"https://{ELSEWHERE}/cases/cadmium/" in json.loads(jsonld.group(1)).get("url", "") + text
    assert f'<link rel="canonical" href="https://{ELSEWHERE}/cases/cadmium/"' in text


def test_site_url_wins_over_the_request(client, settings, case):
    settings.SITE_URL = "https://archive.example.org/"
    text = client.get(case.get_absolute_url(), HTTP_HOST=ELSEWHERE).content.decode()
    assert "https://archive.example.org/cases/cadmium/" in text
    assert ELSEWHERE not in text


def test_outside_a_request_without_site_url_there_is_no_made_up_host(settings):
    settings.SITE_URL = ""
    assert base_url() == "" and absolute_url("/cases/") == "/cases/"


def test_no_default_address_is_configured(monkeypatch):
    import importlib

    from labourarchive.settings import base

    monkeypatch.delenv("SITE_URL", raising=False)
    assert importlib.reload(base).SITE_URL == ""
