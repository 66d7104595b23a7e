"""factory-boy factories for every model. Defaults give valid, published-era data."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from commitments.models import Commitment, Dimension, Report, ReportSource, ReportStatus, SourceDocument, Theme
from commitments.staff_groups import all_staff_groups, sync_staff_groups
from recommendations.models import Assessment, Institution, Recommendation
from recommendations.services import recommendation_status_refresh
from states.models import Membership, State, StateGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if extracted and Group.objects.filter(name__in=extracted).count() != len(extracted):
            # A transactional test flushed the tables, and with them the groups of the data migration.
            sync_staff_groups(group_model=Group, permission_model=Permission, groups=all_staff_groups())
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ["code"]

    code = factory.Iterator(["AT", "BE", "CH", "DK", "FI", "IE", "NO", "SE", "PT", "ES", "IT", "FR", "DE", "NL"])
    iso3 = factory.LazyAttribute(
        lambda s: {
            "AT": "AUT",
            "BE": "BEL",
            "CH": "CHE",
            "DK": "DNK",
            "FI": "FIN",
            "IE": "IRL",
            "NO": "NOR",
            "SE": "SWE",
            "PT": "PRT",
            "ES": "ESP",
            "IT": "ITA",
            "FR": "FRA",
            "DE": "DEU",
            "NL": "NLD",
        }[s.code]
    )
    name = factory.LazyAttribute(lambda s: f"State {s.code}")
    admitted_on = datetime.date(1973, 6, 25)


class StateGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StateGroup
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.LazyAttribute(lambda g: f"Group {g.slug}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(StateGroupFactory)
    state = factory.SubFactory(StateFactory)
    joined_on = datetime.date(1995, 1, 1)
    left_on = None


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension
        django_get_or_create = ["slug"]

    slug = factory.Iterator(["politico-military", "economic-environmental", "human"])
    name = factory.LazyAttribute(lambda d: d.slug.replace("-", " ").capitalize())
    position = factory.Sequence(int)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.LazyAttribute(lambda t: f"Theme {t.slug}")


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceDocument
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"DOC-{1990 + n % 30}-{n}")
    title = factory.LazyAttribute(lambda d: f"Document {d.code}")
    adopted_on = datetime.date(1990, 6, 29)
    place = "Vienna"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TEST-{n}")
    document = factory.SubFactory(SourceDocumentFactory)
    paragraph = factory.Sequence(lambda n: f"{n}.1")
    title = factory.LazyAttribute(lambda c: f"Commitment {c.code}")
    summary = "States undertake to do the thing this test needs."
    dimension = factory.SubFactory(DimensionFactory, slug="human")
    weight = 1
    weight_reason = factory.LazyAttribute(lambda c: "" if c.weight == 1 else "Weighted for this test.")
    in_force_from = factory.LazyAttribute(lambda c: c.document.adopted_on)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class ReportFactory(factory.django.DjangoModelFactory):
    """A draft implementation report; use the traits for other states of the workflow."""

    class Meta:
        model = Report

    state = factory.SubFactory(StateFactory)
    commitment = factory.SubFactory(CommitmentFactory)
    kind = "implementation"
    level = "full"
    severity = ""
    observed_on = datetime.date(2010, 5, 4)
    summary = "Synthetic test report."
    source = ReportSource.ODIHR
    # Its own link by default, so reports a test makes alike are not duplicates of each other.
    source_url = factory.Sequence(lambda n: f"https://www.osce.org/odihr/test-report-{n}")
    status = ReportStatus.DRAFT
    created_by = factory.SubFactory(UserFactory)

    class Params:
        violation = factory.Trait(kind="violation", level="", severity="serious")
        submitted = factory.Trait(
            status=ReportStatus.SUBMITTED,
            submitted_by=factory.SelfAttribute("created_by"),
            submitted_at=factory.LazyFunction(lambda: datetime.datetime(2010, 6, 1, tzinfo=datetime.UTC)),
        )
        verified = factory.Trait(
            status=ReportStatus.VERIFIED,
            ever_verified=True,
            submitted_by=factory.SelfAttribute("created_by"),
            submitted_at=factory.LazyFunction(lambda: datetime.datetime(2010, 6, 1, tzinfo=datetime.UTC)),
            reviewed_by=factory.SubFactory(UserFactory),
            reviewed_at=factory.LazyFunction(lambda: datetime.datetime(2010, 6, 2, tzinfo=datetime.UTC)),
        )


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ["slug"]

    slug = "odihr"
    name = factory.LazyAttribute(lambda i: f"Institution {i.slug}")
    kind = "institution"


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A recommendation serving one commitment (in force on its source date)."""

    class Meta:
        model = Recommendation
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TEST-REC-{n}")
    state = factory.SubFactory(StateFactory)
    institution = factory.SubFactory(InstitutionFactory)
    source_title = "Final report of the election observation mission"
    source_date = datetime.date(2012, 3, 1)
    source_url = "https://www.osce.org/odihr/elections"
    number = factory.Sequence(str)
    text = "Synthetic test recommendation."
    priority = False
    addressee = "parliament"

    @factory.post_generation
    def commitments(self, create, extracted, **kwargs):
        if create:
            self.commitments.set(extracted or [CommitmentFactory()])

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment; `verified=True` for a published one."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    recommendation = factory.SubFactory(RecommendationFactory)
    rating = "partially"
    assessed_on = datetime.date(2014, 3, 1)
    source = "observation_mission"
    source_url = "https://www.osce.org/odihr/elections"
    summary = "Synthetic test assessment."
    status = ReportStatus.DRAFT
    created_by = factory.SubFactory(UserFactory)

    class Params:
        submitted = factory.Trait(
            status=ReportStatus.SUBMITTED,
            submitted_by=factory.SelfAttribute("created_by"),
            submitted_at=factory.LazyFunction(lambda: datetime.datetime(2014, 3, 2, tzinfo=datetime.UTC)),
        )
        verified = factory.Trait(
            status=ReportStatus.VERIFIED,
            submitted_by=factory.SelfAttribute("created_by"),
            submitted_at=factory.LazyFunction(lambda: datetime.datetime(2014, 3, 2, tzinfo=datetime.UTC)),
            reviewed_by=factory.SubFactory(UserFactory),
            reviewed_at=factory.LazyFunction(lambda: datetime.datetime(2014, 3, 3, tzinfo=datetime.UTC)),
        )

    @factory.post_generation
    def stored_status(self, create, extracted, **kwargs):
        # Created here without the verify step: store the recommendation's status as that step does.
        if create and self.status == ReportStatus.VERIFIED:
            recommendation_status_refresh(recommendation_ids=[self.recommendation_id])
