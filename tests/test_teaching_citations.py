"""What an instructor hands out cites the scholarship: each item cites the published work it rests on, with where
(a position known through another text "as cited in" it), then the archive's page on the address served at."""

import json
import re

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from cases.core.models import Source
from cases.interventions.models import Intervention
from cases.scholarship.models import Position
from tests.teaching_helpers import add, make_instructor, make_list

HOST = "teaching.example:8123"


@pytest.mark.usefixtures("canonical_archive")  # `load_archive` once for the whole class
@pytest.mark.django_db
class TestAListCitesTheScholarship:
    @pytest.fixture
    def shared(self, client):
        instructor = make_instructor()
        reading_list = make_list(instructor, title="Solidarity machines")
        add(
            reading_list,
            Intervention.objects.get(slug="hkc-cadmium-compensation-campaign"),
            Position.objects.get(slug="lee-shen-anti-solidarity-machine"),
            Source.objects.get(slug="pringle-2018"),
        )
        reading_list.share_token = "t" * 43
        reading_list.save()
        return reading_list

    def get(self, client, name, fmt=None, **query):
        args = ["t" * 43] + ([fmt] if fmt else [])
        response = client.get(reverse(f"teaching:{name}", args=args), query, HTTP_HOST=HOST)
        assert response.status_code == 200
        return response.content.decode()

    def test_the_handout_cites_pringle_and_lee_and_shen_as_cited_in_pringle(self, client, settings, shared):
        settings.SITE_URL = ""
        html = self.get(client, "shared_print")
        position = Position.objects.get(slug="lee-shen-anti-solidarity-machine")
        items = re.findall(r'<li class="handout__item">(.*?)</li>\s*(?=<li class="handout__item">|</ol>)', html, re.S)
        assert len(items) == 3
        case, lee_shen, pringle = items
        assert "Pringle, T. (2018). A Solidarity Machine?" in case and "At: " in case
        assert "Lee, C. K., &amp; Shen, Y. (2011)." in lee_shen
        assert f"Cited in Pringle (2018), {position.reported_locator}" in lee_shen and "?." not in lee_shen
        assert "Pringle, T. (2018)" in pringle
        # The archive's pages follow, on the address the site was served at; never a default port.
        for item in items:
            assert "In the archive: Labour NGO Case Archive" in item or "In the archive:" in item
        archive_urls = set(re.findall(r"https?://[^\s<\"]+", html)) - {
            u for u in re.findall(r"https://doi\.org/\S+", html)
        }
        assert archive_urls and all(url.startswith(f"http://{HOST}/") for url in archive_urls), archive_urls
        assert ":8000" not in html
        # The references at the end list each work once.
        references = html.split('id="references"', 1)[1]
        assert references.count("Pringle, T. (2018)") == 1 and references.count("Lee, C. K., &amp; Shen, Y.") == 1

    def test_the_exports_hold_the_works_once_each_and_the_pages_only_when_asked(self, client, shared):
        bib = bibtexparser.parse_string(self.get(client, "shared_export", "bib"))
        titles = sorted(entry.fields_dict["title"].value for entry in bib.entries)
        assert len(bib.entries) == 2 and any("Solidarity Machine" in t for t in titles)
        assert any("Anti-Solidarity Machine" in t for t in titles)
        ris = rispy.loads(self.get(client, "shared_export", "ris"))
        assert len(ris) == 2
        csl = json.loads(self.get(client, "shared_export", "json"))
        lee_shen = next(item for item in csl if item["id"] == "lee-shen-2011")
        assert lee_shen["note"].startswith("Cited in Pringle 2018")
        with_pages = json.loads(self.get(client, "shared_export", "json", pages="1"))
        assert len(with_pages) == 5 and sum(item["type"] == "webpage" for item in with_pages) == 3


@pytest.mark.django_db
def test_cite_this_page_offers_the_original_first(client):
    from tests import factories as f

    pringle = f.SourceFactory(title="A Solidarity Machine?", year=2018)
    f.SourceAuthorFactory(source=pringle, author=f.AuthorFactory(family_name="Pringle", given_names="Tim"))
    case = f.InterventionFactory(status="published", source=pringle, locator="Transnational Labour Campaigns")
    html = client.get(case.get_absolute_url()).content.decode()
    original, page = html.index('id="cite-original"'), html.index('id="cite-page"')
    assert original < page
    block = html[original:page]
    assert "Pringle, T. (2018). A Solidarity Machine?" in block and "At: Transnational Labour Campaigns." in block
    draft = f.SourceFactory(title="Unpublished work", status="draft")
    other = f.InterventionFactory(status="published", source=draft)
    text = client.get(other.get_absolute_url()).content.decode()
    assert 'id="cite-original"' not in text and "Unpublished work" not in text
