"""A synthetic archive of any size, for measuring speed at scale. Never mixed into the real content.

Everything it creates is marked: slugs start with `synthetic-`, titles and names with "Synthetic",
and every fact cites one of the sources titled "Synthetic source …", whose curator note says the entry
is generated. Rows are written with bulk_create in batches (no per-row signals); the search index is
rebuilt once at the end.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cases.core.dates import Precision
from cases.core.models import Author, Citation, Place, PlaceKind, Source, SourceAuthor, SourceKind, Status
from cases.interventions.models import (
    Event,
    Evidence,
    Intervention,
    Issue,
    Kind,
    Outcome,
    Role,
    RoleKind,
    Stage,
    Tactic,
)
from cases.organisations.models import Base, Organisation, OrgKind
from cases.scholarship.models import Concept, Outlook, Position, Relation, Stance
from cases.search.synthetic_words import GIVEN, SURNAMES, SYLLABLES, WORDS

PREFIX = "synthetic-"
NOTE = "Synthetic entry generated for load testing; not part of the archive."
BATCH = 2000
VOCABULARY = 20_000
COMMONEST = 50


@dataclass
class Sizes:
    interventions: int = 10_000
    organisations: int = 2_000
    events: int = 100_000
    evidence: int = 50_000
    positions: int = 200
    sources: int = 500
    places: int = 200
    issues: int = 30
    tactics: int = 30
    concepts: int = 100
    roles_per_case: int = 3
    draft_share: float = 0.05


class ArchiveNotEmpty(Exception):
    """The database holds entries that are not synthetic (or a synthetic archive already)."""


def real_content_exists():
    models = (Source, Place, Organisation, Intervention, Position, Concept)
    return any(model.objects.exclude(slug__startswith=PREFIX).exists() for model in models)


def synthetic_content_exists():
    return Source.objects.filter(slug__startswith=PREFIX).exists()


class Generator:
    def __init__(self, sizes, seed=1, stdout=None):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.stdout = stdout
        self.now = timezone.now()
        self.vocab, self.cum_weights = self.vocabulary()

    def say(self, text):
        if self.stdout:
            self.stdout.write(text)

    def vocabulary(self):
        """The domain words among many made-up ones, drawn with Zipf's law as in real text.

        Otherwise every long text would hold every word, and any search would match the whole archive.
        """
        made_up = {"".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4))) for _ in range(VOCABULARY)}
        made_up = sorted(made_up - set(WORDS))
        self.rng.shuffle(made_up)
        domain = list(WORDS)
        self.rng.shuffle(domain)
        # Made-up words are the commonest (like "the", "of"), then the domain words, then the long tail.
        vocabulary = made_up[:COMMONEST] + domain + made_up[COMMONEST:]
        weights, total = [], 0.0
        for rank in range(1, len(vocabulary) + 1):
            total += 1 / rank
            weights.append(total)
        return vocabulary, weights

    def words(self, low, high):
        return " ".join(self.rng.choices(self.vocab, cum_weights=self.cum_weights, k=self.rng.randint(low, high)))

    def sentence(self, low=8, high=20):
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def curated(self, slug):
        # A share of drafts, so the generated archive exercises the publication gate too.
        published = self.rng.random() >= self.sizes.draft_share
        status = Status.PUBLISHED if published else Status.DRAFT
        return {
            "slug": f"{PREFIX}{slug}",
            "status": status,
            "published_at": self.now if published else None,
            "curator_note": NOTE,
        }

    def bulk(self, model, rows):
        created = []
        for start in range(0, len(rows), BATCH):
            created += model.objects.bulk_create(rows[start : start + BATCH])
        self.say(f"  {model._meta.verbose_name_plural}: {len(rows)}")
        return created

    def source_ref(self):
        return {"source_id": self.rng.choice(self.source_ids), "locator": f"p. {self.rng.randint(1, 400)}"}

    def date(self, start=1995, end=2020):
        return datetime.date(self.rng.randint(start, end), self.rng.randint(1, 12), self.rng.randint(1, 28))

    @transaction.atomic
    def run(self):
        s, rng = self.sizes, self.rng
        authors = self.bulk(
            Author,
            [
                Author(
                    family_name=f"Synthetic {rng.choice(SURNAMES)}",
                    given_names=rng.choice(GIVEN),
                    slug=f"{PREFIX}author-{i}",
                )
                for i in range(max(s.sources // 2, 1))
            ],
        )
        sources = self.bulk(
            Source,
            [
                Source(
                    kind=rng.choice(SourceKind.values),
                    title=f"Synthetic source {i}: {self.words(3, 8)}",
                    year=rng.randint(1995, 2024),
                    container_title=f"Synthetic Journal of {rng.choice(WORDS).title()} Studies",
                    abstract=" ".join(self.sentence() for _ in range(3)),
                    **self.curated(f"source-{i}"),
                )
                for i in range(s.sources)
            ],
        )
        self.source_ids = [src.pk for src in sources]
        links = []
        for src in sources:
            for position, author in enumerate(rng.sample(authors, k=min(len(authors), rng.randint(1, 3))), start=1):
                links.append(SourceAuthor(source_id=src.pk, author_id=author.pk, position=position))
        self.bulk(SourceAuthor, links)
        # The first few sources cite the others, as the archive's texts cite the works they draw on (without the
        # random generator, so the rest of the archive comes out as before).
        citing = sources[:3]
        self.bulk(
            Citation,
            [
                Citation(citing_id=citing[i % len(citing)].pk, cited_id=src.pk, locator=f"p. {i}")
                for i, src in enumerate(sources[len(citing) :], start=len(citing))
            ],
        )

        places = self.bulk(
            Place,
            [
                Place(
                    name=f"Synthetic {rng.choice(WORDS).title()} {i}",
                    kind=rng.choice(PlaceKind.values),
                    latitude=round(rng.uniform(21.5, 24.0), 5),
                    longitude=round(rng.uniform(112.0, 115.0), 5),
                    description=self.sentence(),
                    **self.source_ref(),
                    **self.curated(f"place-{i}"),
                )
                for i in range(s.places)
            ],
        )
        issues = self.bulk(
            Issue,
            [
                Issue(name=f"Synthetic issue {i}: {self.words(1, 3)}", slug=f"{PREFIX}issue-{i}")
                for i in range(s.issues)
            ],
        )
        tactics = self.bulk(
            Tactic,
            [
                Tactic(name=f"Synthetic tactic {i}: {self.words(1, 3)}", slug=f"{PREFIX}tactic-{i}")
                for i in range(s.tactics)
            ],
        )
        organisations = self.bulk(
            Organisation,
            [
                Organisation(
                    name=f"Synthetic {rng.choice(SURNAMES)} {rng.choice(WORDS).title()} Organisation {i}",
                    short_name=f"SYN{i}",
                    kind=rng.choice(OrgKind.values),
                    base=rng.choice(Base.values),
                    base_place_id=rng.choice(places).pk,
                    summary=" ".join(self.sentence() for _ in range(2)),
                    **self.source_ref(),
                    **self.curated(f"organisation-{i}"),
                )
                for i in range(s.organisations)
            ],
        )
        cases = []
        for i in range(s.interventions):
            start = self.date()
            end = start + datetime.timedelta(days=rng.randint(30, 3000)) if rng.random() < 0.7 else None
            cases.append(
                Intervention(
                    title=f"Synthetic case {i}: {self.words(3, 7)}",
                    kind=rng.choice(Kind.values),
                    summary=self.sentence(12, 30),
                    narrative="\n\n".join(" ".join(self.sentence() for _ in range(4)) for _ in range(3)),
                    start_date=start,
                    start_precision=Precision.DAY,
                    end_date=end,
                    end_precision=Precision.DAY,
                    stage=rng.choice(["", *Stage.values]),
                    outcome=rng.choice(Outcome.values),
                    outcome_note=self.sentence() if rng.random() < 0.3 else "",
                    **self.source_ref(),
                    **self.curated(f"case-{i}"),
                )
            )
        cases = self.bulk(Intervention, cases)
        self.bulk(
            Intervention.places.through,
            [
                Intervention.places.through(intervention_id=case.pk, place_id=place.pk)
                for case in cases
                for place in rng.sample(places, k=min(len(places), rng.randint(1, 2)))
            ],
        )
        self.bulk(
            Intervention.issues.through,
            [
                Intervention.issues.through(intervention_id=case.pk, issue_id=issue.pk)
                for case in cases
                for issue in rng.sample(issues, k=min(len(issues), rng.randint(1, 3)))
            ],
        )
        self.bulk(
            Intervention.tactics.through,
            [
                Intervention.tactics.through(intervention_id=case.pk, tactic_id=tactic.pk)
                for case in cases
                for tactic in rng.sample(tactics, k=min(len(tactics), rng.randint(1, 3)))
            ],
        )
        roles = []
        for case in cases:
            chosen = rng.sample(organisations, k=min(len(organisations), rng.randint(1, s.roles_per_case * 2 - 1)))
            for n, org in enumerate(chosen):
                kind = RoleKind.LEAD if n == 0 else rng.choice(RoleKind.values[1:])
                roles.append(Role(intervention_id=case.pk, organisation_id=org.pk, kind=kind, **self.source_ref()))
        self.bulk(Role, roles)
        self.bulk(Event, list(self.parts(cases, s.events, self.event)))
        self.bulk(Evidence, list(self.parts(cases, s.evidence, self.evidence)))
        positions = self.bulk(
            Position,
            [
                Position(
                    title=f"Synthetic position {i}: {self.words(3, 6)}",
                    scholar=f"Synthetic {rng.choice(SURNAMES)}",
                    claim=" ".join(self.sentence() for _ in range(3)),
                    key_quotation=self.sentence(),
                    outlook=rng.choice(Outlook.values),
                    rank=rng.randint(1, 99),
                    source_id=rng.choice(self.source_ids),
                    **self.curated(f"position-{i}"),
                )
                for i in range(s.positions)
            ],
        )
        stances = []
        for position in positions:
            for case in rng.sample(cases, k=min(len(cases), 3)):
                stances.append(
                    Stance(
                        position_id=position.pk,
                        intervention_id=case.pk,
                        relation=rng.choice(Relation.values),
                        sentence=self.sentence(),
                        **self.source_ref(),
                    )
                )
        self.bulk(Stance, stances)
        self.bulk(
            Concept,
            [
                Concept(
                    term=f"Synthetic concept {i} {rng.choice(WORDS)}",
                    definition=" ".join(self.sentence() for _ in range(2)),
                    **self.source_ref(),
                    **self.curated(f"concept-{i}"),
                )
                for i in range(s.concepts)
            ],
        )

    def parts(self, cases, total, make):
        """`total` rows spread over the cases, numbered 1, 2, ... within each case."""
        if not cases:
            return
        per_case, extra = divmod(total, len(cases))
        for index, case in enumerate(cases):
            for position in range(1, per_case + (1 if index < extra else 0) + 1):
                yield make(case, position)

    def event(self, case, position):
        date = case.start_date + datetime.timedelta(days=position * self.rng.randint(1, 60))
        return Event(
            intervention_id=case.pk,
            position=position,
            date=date,
            precision=Precision.DAY,
            title=f"Synthetic event: {self.words(3, 8)}",
            description=self.sentence() if self.rng.random() < 0.6 else "",
            **self.source_ref(),
        )

    def evidence(self, case, position):
        return Evidence(
            intervention_id=case.pk,
            position=position,
            quotation=f"Synthetic quotation: {self.words(8, 24)}",
            attribution=f"Interview, synthetic {self.rng.choice(WORDS)} {position}",
            note=self.sentence(5, 12) if self.rng.random() < 0.5 else "",
            **self.source_ref(),
        )
