"""OAI-PMH 2.0 at /oai/ (cases/keeping/oai.py): every response valid against the protocol's schema, every verb and
error, harvesting with sickle (every published entry once, resumption tokens on a generated archive, withdrawn
entries as deleted records), selective harvesting by date and set, and datestamps that move with the record."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.core import registry
from cases.interventions.models import Intervention
from cases.keeping import oai
from cases.organisations.models import Organisation
from tests import factories as f
from tests.oai_helpers import NS, error_code, harvester, valid_tree

ADMIN_EMAIL = "curators@archive.example.org"


@pytest.fixture(autouse=True)
def _oai_settings(settings):
    settings.OAI_ADMIN_EMAIL = ADMIN_EMAIL
    settings.OAI_REPOSITORY_IDENTIFIER = "archive.example.org"


def published_identifiers():
    return {
        f"oai:archive.example.org:{kind.key}/{slug}"
        for kind in registry.kinds()
        for slug in kind.model_class.objects.published().values_list("slug", flat=True)
    }


def get(client, query):
    return valid_tree(client.get("/oai/" + query))


def first_case():
    return Intervention.objects.published().order_by("pk").first()


ERRORS = [
    ("", "badVerb"),
    ("?verb=Dance", "badVerb"),
    ("?verb=Identify&verb=Identify", "badVerb"),
    ("?verb=Identify&junk=1", "badArgument"),
    ("?verb=ListRecords", "badArgument"),
    ("?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
    ("?verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
    ("?verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2021-01-01T00:00:00Z", "badArgument"),
    ("?verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-02&until=2021-01-01", "badArgument"),
    ("?verb=ListRecords&metadataPrefix=oai_dc&from=2020-02-30", "badArgument"),
    ("?verb=ListRecords&resumptionToken=abc&metadataPrefix=oai_dc", "badArgument"),
    ("?verb=GetRecord&metadataPrefix=oai_dc", "badArgument"),
    ("?verb=GetRecord&identifier=oai:x:case/a%00b&metadataPrefix=oai_dc", "badArgument"),
    ("?verb=ListRecords&resumptionToken=not-a-token", "badResumptionToken"),
    ("?verb=ListSets&resumptionToken=anything", "badResumptionToken"),
    ("?verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("?verb=GetRecord&identifier=oai:archive.example.org:case/nothing-here&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("?verb=GetRecord&identifier=oai:archive.example.org:leaflet/x&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("?verb=GetRecord&identifier=not-an-identifier&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("?verb=ListMetadataFormats&identifier=oai:archive.example.org:case/nothing", "idDoesNotExist"),
    ("?verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01", "noRecordsMatch"),
    ("?verb=ListIdentifiers&metadataPrefix=oai_dc&set=no-such-set", "noRecordsMatch"),
]


@pytest.mark.usefixtures("canonical_archive")
class TestTheCanonicalArchive:
    def test_identify(self, client):
        tree = get(client, "?verb=Identify")
        assert tree.findtext("oai:Identify/oai:baseURL", namespaces=NS) == "http://testserver/oai/"
        assert tree.findtext("oai:Identify/oai:deletedRecord", namespaces=NS) == "persistent"
        assert tree.findtext("oai:Identify/oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
        assert tree.findtext("oai:Identify/oai:adminEmail", namespaces=NS) == ADMIN_EMAIL

    def test_sets_are_the_registered_kinds_and_oai_dc_the_format(self, client):
        tree = get(client, "?verb=ListSets")
        specs = tree.xpath("//oai:setSpec/text()", namespaces=NS)
        assert specs == [kind.key for kind in registry.kinds()]
        assert {"case", "organisation", "position", "source", "concept", "place"} <= set(specs)
        tree = get(client, "?verb=ListMetadataFormats")
        assert tree.xpath("//oai:metadataPrefix/text()", namespaces=NS) == ["oai_dc"]
        case = first_case()
        tree = get(client, f"?verb=ListMetadataFormats&identifier=oai:archive.example.org:case/{case.slug}")
        assert tree.xpath("//oai:metadataPrefix/text()", namespaces=NS) == ["oai_dc"]

    @pytest.mark.parametrize(("query", "code"), ERRORS)
    def test_errors(self, client, query, code):
        tree = get(client, query)
        assert error_code(tree) == code
        request = tree.find("oai:request", NS)
        if code in ("badVerb", "badArgument"):
            assert dict(request.attrib) == {}  # the protocol: the base URL only after these two

    def test_get_record(self, client):
        case = first_case()
        tree = get(
            client, f"?verb=GetRecord&identifier=oai:archive.example.org:case/{case.slug}&metadataPrefix=oai_dc"
        )
        assert tree.findtext(".//dc:title", namespaces=NS) == case.title
        assert f"http://testserver{case.get_absolute_url()}" in tree.xpath("//dc:identifier/text()", namespaces=NS)
        assert tree.findtext(".//oai:header/oai:setSpec", namespaces=NS) == "case"

    def test_post_answers_as_get(self, client):
        query = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "organisation"}
        by_get = valid_tree(client.get("/oai/", query)).xpath("//oai:identifier/text()", namespaces=NS)
        by_post = valid_tree(client.post("/oai/", query)).xpath("//oai:identifier/text()", namespaces=NS)
        assert by_get == by_post and by_get

    def test_sickle_harvests_every_published_entry_once(self, client, monkeypatch, settings):
        settings.OAI_PAGE_SIZE = 40  # the canonical archive is a little over two pages
        sickle, transport = harvester(monkeypatch, client)
        harvested = [record.header.identifier for record in sickle.ListRecords(metadataPrefix="oai_dc")]
        assert len(harvested) == len(set(harvested))
        assert set(harvested) == published_identifiers()
        assert len(transport.requests) > 2 and "resumptionToken" in transport.requests[-1]

    def test_a_page_of_records_costs_the_same_queries_whatever_its_size(self, client, settings):
        counts = []
        for size in (5, 40):
            settings.OAI_PAGE_SIZE = size
            with CaptureQueriesContext(connection) as queries:
                get(client, "?verb=ListRecords&metadataPrefix=oai_dc&set=case")
            counts.append(len(queries))
        assert counts[0] == counts[1] == QUERIES_PER_CASE_PAGE

    def test_selective_harvesting_by_date_and_set(self, client):
        old = timezone.now() - timedelta(days=30)
        for kind in registry.kinds():
            kind.model_class.objects.update(updated_at=old)
        org = Organisation.objects.published().order_by("pk").first()
        org.summary += " Edited."
        org.save()
        stamp = oai.stamp(org.updated_at)
        day = (old + timedelta(days=1)).strftime("%Y-%m-%d")
        tree = get(client, f"?verb=ListIdentifiers&metadataPrefix=oai_dc&from={day}")
        identifiers = tree.xpath("//oai:identifier/text()", namespaces=NS)
        # The organisation, and the records that show it (its cases' contributors): nothing else.
        cases = Intervention.objects.published().filter(roles__organisation=org).distinct()
        expected = {f"oai:archive.example.org:organisation/{org.slug}"} | {
            f"oai:archive.example.org:case/{slug}" for slug in cases.values_list("slug", flat=True)
        }
        assert set(identifiers) == expected
        tree = get(client, f"?verb=ListIdentifiers&metadataPrefix=oai_dc&from={stamp}&until={stamp}&set=organisation")
        assert tree.xpath("//oai:identifier/text()", namespaces=NS) == [
            f"oai:archive.example.org:organisation/{org.slug}"
        ]
        until = oai.stamp(old)
        tree = get(client, f"?verb=ListIdentifiers&metadataPrefix=oai_dc&until={until}&set=organisation")
        assert f"oai:archive.example.org:organisation/{org.slug}" not in tree.xpath(
            "//oai:identifier/text()", namespaces=NS
        )

    def test_a_withdrawn_entry_is_a_deleted_record_and_a_draft_no_record(self, client):
        case = first_case()
        case.status = "withdrawn"
        case.save()
        f.InterventionFactory(status="draft", slug="a-draft-case", title="zqdraftzq")
        response = client.get("/oai/?verb=ListRecords&metadataPrefix=oai_dc&set=case")
        tree = valid_tree(response)
        assert b"zqdraftzq" not in response.content and b"a-draft-case" not in response.content
        record = tree.xpath(
            f"//oai:record[oai:header/oai:identifier='oai:archive.example.org:case/{case.slug}']", namespaces=NS
        )[0]
        assert record.find("oai:header", NS).get("status") == "deleted"
        assert record.find("oai:metadata", NS) is None
        assert case.title.encode() not in response.content
        tree = get(
            client, f"?verb=GetRecord&identifier=oai:archive.example.org:case/{case.slug}&metadataPrefix=oai_dc"
        )
        assert tree.find(".//oai:header", NS).get("status") == "deleted"
        assert tree.find(".//oai:metadata", NS) is None
        tree = get(
            client, "?verb=GetRecord&identifier=oai:archive.example.org:case/a-draft-case&metadataPrefix=oai_dc"
        )
        assert error_code(tree) == "idDoesNotExist"

    def test_sickle_sees_the_withdrawn_entry_as_deleted(self, client, monkeypatch):
        case = first_case()
        case.status = "withdrawn"
        case.save()
        sickle, _transport = harvester(monkeypatch, client)
        records = {r.header.identifier: r for r in sickle.ListRecords(metadataPrefix="oai_dc", set="case")}
        assert records[f"oai:archive.example.org:case/{case.slug}"].deleted
        assert sum(1 for record in records.values() if record.deleted) == 1

    def test_a_token_for_one_verb_is_refused_by_another_and_a_tampered_one_too(self, client, settings):
        settings.OAI_PAGE_SIZE = 5
        tree = get(client, "?verb=ListIdentifiers&metadataPrefix=oai_dc")
        token = tree.findtext(".//oai:resumptionToken", namespaces=NS)
        resumption = tree.find(".//oai:resumptionToken", NS)
        assert resumption.get("cursor") == "0" and int(resumption.get("completeListSize")) == len(
            published_identifiers()
        )
        assert error_code(get(client, f"?verb=ListRecords&resumptionToken={token}")) == "badResumptionToken"
        assert error_code(get(client, f"?verb=ListIdentifiers&resumptionToken={token}x")) == "badResumptionToken"
        tree = get(client, f"?verb=ListIdentifiers&resumptionToken={token}")
        assert tree.find(".//oai:resumptionToken", NS).get("cursor") == "5"


# One count per kind harvested and one page of headers, then the cases with their roles, places, issues, tactics,
# their sources' authorships and authors.
QUERIES_PER_CASE_PAGE = 9


class TestDatestampsMoveWithTheRecord:
    """What a case's record shows, changed anywhere, moves the case's datestamp (cases/keeping/datestamps.py)."""

    @pytest.fixture
    def case(self, db):
        with transaction.atomic():  # saved in a transaction of its own, as the admin would
            source = f.SourceFactory(status="published", slug="src")
            case = f.InterventionFactory(status="published", slug="case", source=source)
        long_ago = timezone.now() - timedelta(days=365)
        Intervention.objects.update(updated_at=long_ago)
        return case

    def moved(self, case):
        return Intervention.objects.get(pk=case.pk).updated_at > timezone.now() - timedelta(minutes=1)

    def test_an_organisation_renamed_or_withdrawn(self, case):
        org = f.OrganisationFactory(status="published", slug="org")
        f.RoleFactory(intervention=case, organisation=org, kind="lead")
        Intervention.objects.update(updated_at=timezone.now() - timedelta(days=365))
        org.name = "A new name"
        org.save()
        assert self.moved(case)
        Intervention.objects.update(updated_at=timezone.now() - timedelta(days=365))
        org.status = "withdrawn"
        org.save()
        assert self.moved(case)

    def test_a_role_added_or_deleted(self, case):
        role = f.RoleFactory(intervention=case, organisation=f.OrganisationFactory(status="published"), kind="lead")
        assert self.moved(case)
        Intervention.objects.update(updated_at=timezone.now() - timedelta(days=365))
        role.delete()
        assert self.moved(case)

    def test_a_place_linked_or_unlinked(self, case):
        place = f.PlaceFactory(status="published", slug="somewhere")
        case.places.add(place)
        assert self.moved(case)
        Intervention.objects.update(updated_at=timezone.now() - timedelta(days=365))
        place.interventions.remove(case)
        assert self.moved(case)

    def test_the_source_or_its_author(self, case):
        author = f.AuthorFactory(slug="writer")
        f.SourceAuthorFactory(source=case.source, author=author)
        assert self.moved(case)
        Intervention.objects.update(updated_at=timezone.now() - timedelta(days=365))
        author.family_name = "Renamed"
        author.save()
        assert self.moved(case)

    def test_the_entry_itself_and_its_status(self, case):
        case.status = "withdrawn"
        case.save()
        assert self.moved(case)

    def test_rows_saved_with_it_in_one_transaction_leave_its_own_time(self, case):
        with transaction.atomic():
            case.title = "Saved with its rows"
            case.save()
            stamped = case.updated_at
            f.RoleFactory(intervention=case, organisation=f.OrganisationFactory(status="published"), kind="lead")
            case.places.add(f.PlaceFactory(status="published", slug="with-it"))
        assert Intervention.objects.get(pk=case.pk).updated_at == stamped

    def test_unrelated_rows_leave_it(self, case):
        f.OrganisationFactory(status="published", slug="elsewhere").save()
        f.PlaceFactory(status="published", slug="nowhere").save()
        assert not self.moved(case)


@pytest.fixture(scope="class")
def generated_archive(django_db_setup, django_db_blocker):
    """A small generated archive (a few pages of records), made once for the class and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "generate_archive",
            verbosity=0,
            interventions=60,
            organisations=15,
            events=60,
            evidence=30,
            positions=5,
            sources=8,
            places=6,
            issues=4,
            tactics=4,
            concepts=5,
            seed=16,
        )
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("generated_archive")
class TestAGeneratedArchive:
    def test_sickle_follows_the_resumption_tokens_to_every_record_once(self, client, monkeypatch, settings):
        settings.OAI_PAGE_SIZE = 25
        expected = published_identifiers()
        assert len(expected) > 2 * settings.OAI_PAGE_SIZE
        sickle, transport = harvester(monkeypatch, client)
        harvested = [header.identifier for header in sickle.ListIdentifiers(metadataPrefix="oai_dc")]
        assert len(harvested) == len(set(harvested)) and set(harvested) == expected
        assert len(transport.requests) == -(-len(expected) // settings.OAI_PAGE_SIZE)
        records = [record for record in sickle.ListRecords(metadataPrefix="oai_dc", set="case")]
        assert len(records) == Intervention.objects.published().count()

    def test_every_page_is_valid_and_the_cursor_counts_what_came_before(self, client, settings):
        settings.OAI_PAGE_SIZE = 25
        tree = get(client, "?verb=ListRecords&metadataPrefix=oai_dc")
        seen, cursors = len(tree.xpath("//oai:record", namespaces=NS)), ["0"]
        token = tree.find(".//oai:resumptionToken", NS)
        while token is not None and token.text:
            tree = get(client, f"?verb=ListRecords&resumptionToken={token.text}")
            token = tree.find(".//oai:resumptionToken", NS)
            cursors.append(token.get("cursor"))
            seen += len(tree.xpath("//oai:record", namespaces=NS))
        assert seen == int(token.get("completeListSize")) == len(published_identifiers())
        assert cursors == [str(25 * n) for n in range(len(cursors))]

    def test_queries_per_page_as_on_the_canonical_archive(self, client, settings):
        settings.OAI_PAGE_SIZE = 40
        with CaptureQueriesContext(connection) as queries:
            get(client, "?verb=ListRecords&metadataPrefix=oai_dc&set=case")
        assert len(queries) == QUERIES_PER_CASE_PAGE


def test_dates_are_read_at_the_repositorys_granularity():
    start, end = oai.date_range("2020-01-01", "2020-01-01")
    assert (start, end) == (datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 1, 2, tzinfo=UTC))
    start, end = oai.date_range("2020-01-01T10:00:00Z", "2020-01-01T10:00:00Z")
    assert end - start == timedelta(seconds=1)
