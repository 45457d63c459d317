"""A backup loses nothing: load the canonical fixtures, back up, empty the database, restore, and every public
page is byte for byte the same; the history (revisions, workflow log) comes back too. Runs on SQLite and, with
DATABASE_URL, on PostgreSQL."""

import io
import re

import pytest
import reversion
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse
from reversion.models import Version

from cases.core.models import Status
from cases.curation import roles, workflow
from cases.curation.models import StatusChange
from cases.interventions.models import Intervention
from tests import surfaces


def every_public_page():
    """Every public URL for every published entry, and every page without parameters."""
    urls = []
    published = {}
    for model in surfaces.curated_models():
        published[model._meta.label_lower] = list(model.objects.published().values_list("slug", flat=True))
    for route in surfaces.all_routes():
        worlds = [surfaces.World("published")]
        if "slug" in route.params:
            model = surfaces.SLUG_MODELS.get(route.name.split(":")[-1].removeprefix("api-").split("_")[0])
            slugs = published.get(model, [])
            worlds = [surfaces.World("published", slugs={model: slug}) for slug in slugs]
        for world in worlds:
            for kwargs in surfaces.fill(route, world) or []:
                try:
                    urls.append(reverse(route.name, kwargs=kwargs))
                except NoReverseMatch:
                    continue
    return sorted(set(urls))


CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
# An OAI-PMH response says when it was made.
RESPONSE_DATE = re.compile(rb"<responseDate>[^<]+</responseDate>")


def snapshot(client):
    pages = {}
    for url in every_public_page():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        # A form's CSRF token is new on every response: the one part of a page that must differ.
        pages[url] = (response.status_code, RESPONSE_DATE.sub(b"", CSRF_TOKEN.sub(b"csrf", body)))
    return pages


# Not inside a test transaction: PostgreSQL refuses to TRUNCATE (flush) tables with pending deferred checks.
@pytest.mark.django_db(transaction=True)
def test_backup_flush_restore_gives_the_same_pages_and_history(client, tmp_path):
    call_command("load_archive", stdout=io.StringIO())
    call_command("setup_roles", stdout=io.StringIO())
    curator = User.objects.create_user("curator", password="x", is_staff=True)
    curator.groups.add(Group.objects.get(name=roles.SENIOR_CURATORS))
    case = Intervention.objects.published().order_by("slug").first()
    with reversion.create_revision():
        reversion.set_user(curator)
        case.curator_note = "Checked against the source."
        case.save()
    workflow.transition(case, Status.WITHDRAWN, curator, note="Round trip")
    workflow.transition(case, Status.PUBLISHED, curator, note="Round trip")

    before = snapshot(client)
    assert sum(1 for status, _ in before.values() if status == 200) > 50
    counts = {m: m.objects.count() for m in surfaces.curated_models()}
    history = (Version.objects.count(), StatusChange.objects.count())

    backup = tmp_path / "archive.yaml.gz"
    call_command("backup_archive", output=str(backup), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not Intervention.objects.exists() and not User.objects.exists()
    call_command("restore_archive", str(backup), stdout=io.StringIO())

    assert {m: m.objects.count() for m in surfaces.curated_models()} == counts
    assert (Version.objects.count(), StatusChange.objects.count()) == history
    restored = Intervention.objects.get(slug=case.slug)
    assert [c.note for c in StatusChange.objects.for_object(restored)][:2] == ["Round trip", "Round trip"]
    assert Version.objects.get_for_object(restored).first().revision.user.username == "curator"
    assert User.objects.get(username="curator").groups.filter(name=roles.SENIOR_CURATORS).exists()

    after = snapshot(client)
    assert after.keys() == before.keys()
    different = [url for url in before if before[url] != after[url]]
    assert not different, f"{len(different)} pages differ after the round trip, e.g. {different[:5]}"


def test_restore_refuses_a_database_that_holds_content(tmp_path):
    call_command("load_archive", stdout=io.StringIO())
    backup = tmp_path / "archive.json"
    call_command("backup_archive", output=str(backup), stdout=io.StringIO())
    with pytest.raises(CommandError, match="This database is not empty .* pass --force to merge"):
        call_command("restore_archive", str(backup), stdout=io.StringIO())
    call_command("restore_archive", str(backup), force=True, stdout=io.StringIO())
    assert Intervention.objects.published().exists()
