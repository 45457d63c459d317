"""Discussion questions: curated per case, shown on the case page only when published, and the canonical set."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from cases.interventions.models import Intervention
from cases.teaching.models import DiscussionQuestion
from tests.factories import DiscussionQuestionFactory, InterventionFactory
from tests.teaching_helpers import add, make_instructor, make_list

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "06_teaching.yaml"


def test_the_case_page_shows_its_published_questions_in_order(client):
    case, other = InterventionFactory(), InterventionFactory()
    DiscussionQuestionFactory(intervention=case, position=2, text="Second question?")
    DiscussionQuestionFactory(intervention=case, position=1, text="First question?")
    for status in ["draft", "review", "withdrawn"]:
        DiscussionQuestionFactory(intervention=case, status=status, text=f"A {status} question?")
    DiscussionQuestionFactory(intervention=other, text="Another case's question?")
    html = client.get(case.get_absolute_url()).content.decode()
    assert html.index("First question?") < html.index("Second question?")
    assert "Questions for discussion" in html
    for hidden in ["A draft question?", "A review question?", "A withdrawn question?", "Another case's question?"]:
        assert hidden not in html


def test_a_case_without_questions_has_no_empty_section(client):
    case = InterventionFactory()
    DiscussionQuestionFactory(intervention=case, status="draft")
    assert "Questions for discussion" not in client.get(case.get_absolute_url()).content.decode()


def test_the_case_page_costs_one_query_more_however_many_questions(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bare = InterventionFactory()
    with CaptureQueriesContext(connection) as baseline:
        client.get(bare.get_absolute_url())
    for count in [1, 4]:
        case = InterventionFactory()
        DiscussionQuestionFactory.create_batch(count, intervention=case)
        with django_assert_num_queries(len(baseline)):
            assert client.get(case.get_absolute_url()).content.decode().count("<li>") >= count


def test_questions_of_an_unpublished_case_are_not_offered(client):
    make = make_instructor()
    case = InterventionFactory()
    DiscussionQuestionFactory(intervention=case, text="Offered question?")
    reading_list = make_list(make)
    (item,) = add(reading_list, case)
    case.status = "withdrawn"
    case.save()
    client.force_login(make)
    html = client.get(reverse("teaching:item_edit", args=[reading_list.pk, item.pk])).content.decode()
    assert "Offered question?" not in html


# --- The canonical questions ------------------------------------------------------------------------------------


@pytest.fixture(scope="class")
def archive(django_db_setup, django_db_blocker):
    """The canonical fixtures, loaded once for the class (rolled back after it; each test runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *sorted(str(p) for p in FIXTURE.parent.glob("[0-9][0-9]_*.yaml")), verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("archive")
class TestCanonicalQuestions:
    def test_every_main_published_case_has_two_to_four_questions(self, client):
        main_cases = Intervention.objects.published().filter(parent__isnull=True)
        assert main_cases.count() >= 8
        for case in main_cases:
            questions = DiscussionQuestion.objects.published().filter(intervention=case)
            assert 2 <= questions.count() <= 4, case.slug
            html = client.get(case.get_absolute_url()).content.decode()
            for question in questions:
                assert question.text.endswith("?"), question.slug
                assert question.text.replace("'", "&#x27;").replace('"', "&quot;") in html, question.slug

    def test_canonical_questions_validate_and_keep_the_pseudonyms(self):
        rows = yaml.safe_load(FIXTURE.read_text())
        assert len(rows) == DiscussionQuestion.objects.count()
        for question in DiscussionQuestion.objects.select_related("intervention"):
            question.full_clean()
            assert question.intervention.is_published
        # Each pseudonymous organisation named in a question is named in the case's title or summary too.
        for question in DiscussionQuestion.objects.select_related("intervention"):
            for pseudonym in ["HKA", "HKB", "HKC", "GMA"]:
                if pseudonym in question.text:
                    case = question.intervention
                    assert pseudonym in case.title + case.summary + case.narrative, question.slug
