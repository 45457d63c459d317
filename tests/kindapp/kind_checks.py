"""Run by tests/test_registry.py with tests.kindapp.settings: a kind declared once is everywhere it should be."""

import gzip

import pytest
import reversion
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cases.core import registry
from cases.core.gate import public_rows_q
from cases.curation.backup import backup_labels
from cases.curation.roles import CURATORS, SENIOR_CURATORS
from cases.teaching import services
from cases.teaching.models import ReadingList
from tests.kindapp.models import Leaflet
from tests.teaching_helpers import make_instructor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def leaflets():
    shown = Leaflet.objects.create(slug="wage-leaflet", title="Minimum wage leaflet", status="published")
    hidden = Leaflet.objects.create(slug="draft-leaflet", title="Unfinished leaflet", status="draft")
    return shown, hidden


def test_the_kind_is_registered():
    kind = registry.kind_by_key("leaflet")
    assert kind.model_class is Leaflet
    assert registry.kind_for(Leaflet) is kind


def test_search_finds_published_leaflets_only(client, leaflets):
    page = client.get("/search/", {"q": "leaflet"}).content.decode()
    assert "/leaflets/wage-leaflet/" in page
    assert "Unfinished" not in page


def test_the_sitemap_and_the_feed_list_it(client, leaflets):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/leaflets/wage-leaflet/" in sitemap
    assert "/leaflets/draft-leaflet/" not in sitemap
    feed = client.get("/feed.atom").content.decode()
    assert "Leaflet: Minimum wage leaflet" in feed
    assert "Unfinished leaflet" not in feed


def test_its_pages_can_be_cited(client, leaflets):
    response = client.get(reverse("leaflet_cite", kwargs={"slug": "wage-leaflet", "fmt": "ris"}))
    assert response.status_code == 200
    assert "Minimum wage leaflet" in response.content.decode()
    assert client.get(reverse("leaflet_cite", kwargs={"slug": "draft-leaflet", "fmt": "ris"})).status_code == 404


def test_staff_preview_it_and_the_public_cannot(client, admin_client, leaflets):
    url = reverse("leaflet_preview", kwargs={"slug": "draft-leaflet"})
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Unfinished leaflet" in response.content.decode()
    assert client.get(url).status_code == 404


def test_it_is_versioned_and_backed_up():
    assert reversion.is_registered(Leaflet)
    assert "kindapp" in backup_labels()


def test_curators_may_edit_it_and_only_senior_curators_delete_it(db):
    call_command("setup_roles", verbosity=0)
    curators = set(Group.objects.get(name=CURATORS).permissions.values_list("codename", flat=True))
    seniors = set(Group.objects.get(name=SENIOR_CURATORS).permissions.values_list("codename", flat=True))
    assert {"add_leaflet", "change_leaflet", "view_leaflet"} <= curators
    assert "delete_leaflet" not in curators
    assert "delete_leaflet" in seniors
    assert Permission.objects.filter(codename="delete_leaflet").exists()


def test_the_gate_hides_its_drafts(leaflets):
    assert list(Leaflet.objects.filter(public_rows_q(Leaflet))) == [leaflets[0]]
    assert list(Leaflet.objects.published()) == [leaflets[0]]


def test_a_backup_holds_it(tmp_path, leaflets):
    services.add_entry(services.create_list(make_instructor(), title="Week 5"), leaflets[0])
    target = tmp_path / "backup.yaml.gz"
    call_command("backup_archive", output=str(target), verbosity=0)
    backup = gzip.decompress(target.read_bytes()).decode()
    assert "Minimum wage leaflet" in backup
    # A reading list names the leaflet's kind by natural key, which any database resolves to its own id.
    assert "content_type:\n    - kindapp\n    - leaflet\n" in backup


def test_an_instructor_puts_it_on_a_reading_list_and_students_see_it_while_it_is_published(client, leaflets):
    shown, hidden = leaflets
    instructor = make_instructor()
    client.force_login(instructor)
    page = client.get(shown.get_absolute_url()).content.decode()
    assert 'name="kind" value="leaflet"' in page and f'name="entry" value="{shown.pk}"' in page
    add = reverse("teaching:add_to_list")
    assert client.post(add, {"kind": "leaflet", "entry": shown.pk, "new_title": "Week 5"}).status_code == 302
    reading_list = ReadingList.objects.get(title="Week 5")
    refused = client.post(add, {"kind": "leaflet", "entry": hidden.pk, "reading_list": reading_list.pk})
    assert refused.status_code == 400 and "There is no published leaflet with that id" in refused.content.decode()

    owner = client.get(reading_list.get_absolute_url()).content.decode()
    assert "Leaflet" in owner and '<a href="/leaflets/wage-leaflet/">Minimum wage leaflet</a>' in owner
    services.share(reading_list)
    token = reading_list.share_token
    student = Client()
    shared = student.get(reverse("teaching:shared", args=[token])).content.decode()
    assert '<a href="/leaflets/wage-leaflet/">Minimum wage leaflet</a>' in shared
    assert "Minimum wage leaflet" in student.get(reverse("teaching:shared_print", args=[token])).content.decode()
    for fmt in ("bib", "ris", "json"):
        body = student.get(reverse("teaching:shared_export", args=[token, fmt]), {"pages": "1"}).content.decode()
        assert "Minimum wage leaflet" in body and "/leaflets/wage-leaflet/" in body, fmt

    # Back to draft: off the shared page and the exports, and not named on the owner's page.
    shown.status = "draft"
    shown.save()
    shared = student.get(reverse("teaching:shared", args=[token])).content.decode()
    assert "Minimum wage leaflet" not in shared and "1 item is not available" in shared
    for fmt in ("bib", "ris", "json"):
        body = student.get(reverse("teaching:shared_export", args=[token, fmt]), {"pages": "1"}).content.decode()
        assert "Minimum wage leaflet" not in body, fmt
    owner = client.get(reading_list.get_absolute_url()).content.decode()
    assert "Minimum wage leaflet" not in owner and "An entry the archive no longer publishes" in owner
    assert "1 item is no longer published" in owner
