"""Factories for behaviour tests: small data built per test, independent of the canonical fixtures."""

import datetime

import factory
from factory.django import DjangoModelFactory

from cases.core.models import Author, Citation, Place, ResearchMethod, Source, SourceAuthor
from cases.interventions.models import Event, Evidence, Figure, Intervention, Issue, Role, Tactic
from cases.organisations.models import Organisation, OrganisationRelation
from cases.scholarship.models import Concept, Position, Stance
from cases.teaching.models import DiscussionQuestion


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    family_name = factory.Sequence(lambda n: f"Scholar{n}")
    given_names = "Ann"
    slug = factory.Sequence(lambda n: f"scholar-{n}")


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    kind = "article"
    title = factory.Sequence(lambda n: f"A study of labour NGOs {n}")
    year = 2018
    container_title = "Critical Sociology"
    volume = "44"
    issue = "4-5"
    pages = "661–675"
    status = "published"


class SourceAuthorFactory(DjangoModelFactory):
    class Meta:
        model = SourceAuthor

    source = factory.SubFactory(SourceFactory)
    author = factory.SubFactory(AuthorFactory)
    position = 1


class CitationFactory(DjangoModelFactory):
    class Meta:
        model = Citation

    citing = factory.SubFactory(SourceFactory)
    cited = factory.SubFactory(SourceFactory)
    locator = "Introduction"


class ResearchMethodFactory(DjangoModelFactory):
    class Meta:
        model = ResearchMethod

    source = factory.SubFactory(SourceFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = "interviews"
    description = "Semi-structured interviews with LNGO staff"
    count = 29
    count_unit = "interviews"
    locator = "Methodology"


class PlaceFactory(DjangoModelFactory):
    class Meta:
        model = Place

    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Sequence(lambda n: f"Place {n}")
    kind = "city"
    latitude = "22.54000"
    longitude = "114.05000"
    status = "published"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "lngo"
    base = "hong_kong"
    summary = "A labour NGO."
    source = factory.SubFactory(SourceFactory)
    locator = "Introduction"
    status = "published"


class OrganisationRelationFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationRelation

    subject = factory.SubFactory(OrganisationFactory)
    kind = "partner"
    object = factory.SubFactory(OrganisationFactory)
    source = factory.SubFactory(SourceFactory)
    locator = "Introduction"


class IssueFactory(DjangoModelFactory):
    class Meta:
        model = Issue

    name = factory.Sequence(lambda n: f"Issue {n}")
    slug = factory.Sequence(lambda n: f"issue-{n}")


class TacticFactory(DjangoModelFactory):
    class Meta:
        model = Tactic

    name = factory.Sequence(lambda n: f"Tactic {n}")
    slug = factory.Sequence(lambda n: f"tactic-{n}")


class InterventionFactory(DjangoModelFactory):
    class Meta:
        model = Intervention
        skip_postgeneration_save = True  # `complete` adds rows; the case itself is saved already

    slug = factory.Sequence(lambda n: f"case-{n}")
    title = factory.Sequence(lambda n: f"Minimum wage campaign {n}")
    kind = "campaign"
    summary = "Workers and activists campaigned for a standard minimum wage."
    narrative = "The campaign began in **2011**."
    start_date = datetime.date(2011, 1, 1)
    start_precision = "year"
    stage = "local_rationality"
    outcome = "won"
    source = factory.SubFactory(SourceFactory)
    locator = "Building 'Local Rationality'"
    status = "published"

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        """`complete=True`: a lead organisation, an issue and a tactic, what a case needs to be published."""
        if create and extracted:
            RoleFactory(intervention=self, kind="lead")
            self.issues.add(IssueFactory())
            self.tactics.add(TacticFactory())


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    intervention = factory.SubFactory(InterventionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = "lead"
    source = factory.SelfAttribute("intervention.source")
    locator = "Building 'Local Rationality'"


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    intervention = factory.SubFactory(InterventionFactory)
    position = factory.Sequence(lambda n: n + 1)
    date = datetime.date(2012, 3, 31)
    precision = "day"
    title = "Officials meet five worker activists"
    source = factory.SelfAttribute("intervention.source")
    locator = "Building 'Local Rationality'"


class EvidenceFactory(DjangoModelFactory):
    class Meta:
        model = Evidence

    intervention = factory.SubFactory(InterventionFactory)
    position = factory.Sequence(lambda n: n + 1)
    quotation = "In practice nothing happened."
    source = factory.SelfAttribute("intervention.source")
    locator = "Building 'Local Rationality'"


class FigureFactory(DjangoModelFactory):
    class Meta:
        model = Figure

    intervention = factory.SubFactory(InterventionFactory)
    position = factory.Sequence(lambda n: n + 1)
    label = "Standardised minimum wage"
    value = "RMB 1550"
    source = factory.SelfAttribute("intervention.source")
    locator = "Building 'Local Rationality'"


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    slug = factory.Sequence(lambda n: f"position-{n}")
    title = factory.Sequence(lambda n: f"LNGOs as an anti-solidarity machine {n}")
    scholar = "Lee and Shen"
    claim = "LNGOs divert workers from class struggle."
    outlook = 1
    source = factory.SubFactory(SourceFactory)
    status = "published"


class StanceFactory(DjangoModelFactory):
    class Meta:
        model = Stance

    position = factory.SubFactory(PositionFactory)
    intervention = factory.SubFactory(InterventionFactory)
    relation = "challenges"
    sentence = (
        "It is difficult to equate this combination of mobilization and litigation with the lack of social capital."
    )
    source = factory.SubFactory(SourceFactory)
    locator = "Building 'Local Rationality'"


class ConceptFactory(DjangoModelFactory):
    class Meta:
        model = Concept

    slug = factory.Sequence(lambda n: f"concept-{n}")
    term = factory.Sequence(lambda n: f"Concept {n}")
    definition = "A term a student needs."
    source = factory.SubFactory(SourceFactory)
    locator = "Introduction"
    status = "published"


class DiscussionQuestionFactory(DjangoModelFactory):
    class Meta:
        model = DiscussionQuestion

    slug = factory.Sequence(lambda n: f"question-{n}")
    intervention = factory.SubFactory(InterventionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"What did the organisations in this case hope to achieve ({n})?")
    status = "published"


def one_of_each():
    """One saved row of every archive model, linked into one small case: {model: row}."""
    role = RoleFactory()
    case = role.intervention
    stance = StanceFactory(intervention=case, source=case.source)
    citation = CitationFactory(citing=case.source)
    rows = [
        SourceAuthorFactory(source=case.source),
        citation,
        ResearchMethodFactory(source=case.source),
        PlaceFactory(),
        OrganisationRelationFactory(subject=role.organisation, source=case.source),
        IssueFactory(),
        TacticFactory(),
        role,
        EventFactory(intervention=case),
        EvidenceFactory(intervention=case),
        FigureFactory(intervention=case),
        stance,
        ConceptFactory(source=case.source),
        DiscussionQuestionFactory(intervention=case),
    ]
    rows += [case, case.source, role.organisation, stance.position, rows[0].author]
    return {type(row): row for row in rows}
