"""Generated query strings for every list, export and API URL: whatever a visitor types, never a server error.

Keys are the real filter names or anything; values are real slugs, numbers, any text (NUL bytes included),
very long strings and broken percent-escapes; parameters repeat. Runs on SQLite and PostgreSQL (which
rejects NUL bytes in queries, so a value that reached the database unchecked would fail there).
"""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.find_support import API_URLS, EXPORT_URLS, LIST_URLS, build

URLS = [*LIST_URLS, *EXPORT_URLS, *API_URLS, "/api/cases/case-0/"]
KEYS = [
    "organisation",
    "kind",
    "stage",
    "place",
    "issue",
    "tactic",
    "outcome",
    "source",
    "year_from",
    "year_to",
    "sort",
    "page",
    "page_size",
    "type",
    "seed",
    "base",
    "pseudonymous",
    "scholar",
    "stance",
    "format",
]
REAL_VALUES = [
    "org-a",
    "campaign",
    "shenzhen",
    "wages",
    "src-a",
    "scholar-a",
    "critical",
    "lngo",
    "hong_kong",
    "yes",
    "article",
    "latest",
    "title",
    "2010",
    "1799",
    "2101",
    "-1",
    "0",
    "1e3",
    "99999999999999999999999999",
    "",
]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
chunks = st.sampled_from(["x", "\x00", "é", "9", "-", "%"])
huge = st.builds(lambda chunk, n: chunk * n, chunks, st.integers(500, 20000))
values = st.one_of(st.sampled_from(REAL_VALUES), text, huge, st.just("\x00"), st.just("a\x00b"))
keys = st.one_of(st.sampled_from(KEYS), text)
pairs = st.lists(st.tuples(keys, values), max_size=8)
raw_tails = st.sampled_from(
    ["", "&", "&&==", "%", "%zz", "%00", "%ff%fe", "page=%00", "stage", "=x", "sort=title&sort="]
)


def query_string(items, tail):
    encoded = "&".join(f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in items)
    return "&".join(part for part in (encoded, tail) if part)


@pytest.mark.parametrize("url", URLS)
@settings(
    # Fewer than the profile's examples, deliberately: this runs once per URL (25 x 17 URLs = 425 query strings),
    # and each list's filters are reached by four of them (the page, two exports, the API): a hundred each.
    max_examples=25,
    # The client (and the archive built by the first example) is shared by the examples on purpose; the huge
    # values are meant to be huge.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(items=pairs, tail=raw_tails)
def test_no_query_string_gives_a_server_error(client, url, items, tail):
    if not hasattr(client, "_archive_built"):
        build(2)
        client._archive_built = True
    response = client.get(f"{url}?{query_string(items, tail)}")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # the rows are read while streaming: errors surface here
    assert response.status_code < 500
