"""Small archives for the filter, export and API tests, with hidden entries that must never count."""

import datetime

from tests.factories import (
    AuthorFactory,
    CitationFactory,
    InterventionFactory,
    IssueFactory,
    OrganisationFactory,
    PlaceFactory,
    PositionFactory,
    RoleFactory,
    SourceAuthorFactory,
    SourceFactory,
    StanceFactory,
    TacticFactory,
)

# Every list, export and API list URL, with filters of each kind active (used for query counts and fuzzing).
FILTERED_URLS = {
    "intervention_list": "/cases/?organisation=org-a&stage=campaign&place=shenzhen&issue=wages&tactic=strikes"
    "&outcome=won&kind=campaign&source=src-a&year_from=2000&year_to=2020&sort=latest",
    "organisation_list": "/organisations/?kind=lngo&base=hong_kong&pseudonymous=yes&sort=name",
    "position_list": "/debate/?scholar=scholar-a&stance=critical&year_from=2000&year_to=2020&sort=scholar",
    "source_list": "/sources/?type=article&seed=no&year_from=2000&year_to=2020&sort=latest",
}
LIST_URLS = ["/cases/", "/organisations/", "/debate/", "/sources/"]
EXPORT_URLS = [f"{base}export.{fmt}" for base in LIST_URLS for fmt in ("csv", "json")]  # /debate/export.csv...
API_URLS = ["/api/cases/", "/api/organisations/", "/api/positions/", "/api/sources/"]


def build(size=1):
    """An archive whose every list has `size` extra rows of each kind, and a hidden twin of each entry."""
    source = SourceFactory(slug="src-a", year=2018, kind="article")
    SourceAuthorFactory(source=source, author=AuthorFactory(slug="scholar-a", family_name="Lee"))
    org = OrganisationFactory(slug="org-a", name="HKA", is_pseudonym=True, source=source)
    shenzhen = PlaceFactory(slug="shenzhen", name="Shenzhen")
    wages = IssueFactory(slug="wages", name="Wages")
    strikes = TacticFactory(slug="strikes", name="Strike support")
    position = PositionFactory(slug="position-a", source=source, outlook=1)
    for n in range(size):
        case = InterventionFactory(
            source=source,
            stage="campaign",
            kind="campaign",
            outcome="won",
            start_date=datetime.date(2005 + n, 1, 1),
        )
        case.places.add(shenzhen, PlaceFactory())
        case.issues.add(wages, IssueFactory())
        case.tactics.add(strikes, TacticFactory())
        RoleFactory(intervention=case, organisation=org)
        RoleFactory(intervention=case, organisation=OrganisationFactory(source=source), kind="partner")
        StanceFactory(intervention=case, position=position, source=source)
        other_source = SourceFactory(year=2010 + n)
        SourceAuthorFactory(source=other_source, author=AuthorFactory())
        SourceAuthorFactory(source=other_source, author=AuthorFactory(), position=2)
        CitationFactory(citing=source, cited=other_source, locator=f"Section {n}")
        PositionFactory(source=other_source, outlook=n % 5 + 1)
    # Hidden entries, linked like the published ones: they must not be options, counts or rows anywhere.
    for status in ("draft", "review", "withdrawn"):
        hidden_case = InterventionFactory(
            source=source, stage="campaign", title=f"Hidden case {status}", status=status
        )
        hidden_case.places.add(shenzhen)
        RoleFactory(intervention=hidden_case, organisation=org)
        OrganisationFactory(slug=f"hidden-org-{status}", name=f"Hidden org {status}", status=status, source=source)
        PositionFactory(title=f"Hidden position {status}", source=source, status=status)
        SourceFactory(title=f"Hidden source {status}", status=status)
    return {"source": source, "organisation": org, "place": shenzhen, "issue": wages, "position": position}
