"""Whatever query string reaches the search page, it answers without a server error (SQLite and PostgreSQL)."""

from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import EventFactory, InterventionFactory

PARAM_NAMES = st.sampled_from(["q", "kind", "page", "Q", "q[]", ""])
VALUES = st.one_of(
    st.text(max_size=300),
    st.text(alphabet='"-()*:^ OR AND NOT NEAR \x00 wage cadmium', max_size=60),
    # Chinese in either script, with its punctuation and characters from beyond the basic block.
    st.text(alphabet='"- or 集体谈判廣州总工會工资，。「」、\u3400\U00020000\u200b', max_size=40),
    st.sampled_from(["case", "event", "evidence", "0", "-1", "99999999999999999999", "1e3", "wage", "-wage"]),
)


# How many examples, and how they are chosen, is the profile's (tests/conftest.py). The client and the on-commit
# capture are shared by the examples on purpose: the archive is built by the first one.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.lists(st.tuples(PARAM_NAMES, VALUES), max_size=5))
def test_any_query_string_gets_an_answer(client, django_capture_on_commit_callbacks, params):
    if not InterventionFactory._meta.model.objects.exists():
        with django_capture_on_commit_callbacks(execute=True):  # the index is written on commit
            case = InterventionFactory(
                title="Wage campaign in Guangdong", summary="A campaign over cadmium and wages."
            )
            EventFactory(intervention=case, title="Strike over wages")
    cache.clear()
    response = client.get(f"{reverse('search')}?{urlencode(params)}")
    assert response.status_code in (200, 400)
