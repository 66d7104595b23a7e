"""Validation of recommendations and assessments: clean() names the field, the database refuses the rest."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recommendations import services
from recommendations.models import Assessment
from tests.factories import (
    AssessmentFactory,
    CommitmentFactory,
    InstitutionFactory,
    RecommendationFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def recommendation_fields(**overrides):
    fields = {
        "code": "ODIHR-EOM-AT-2012-1",
        "state": StateFactory(code="AT"),
        "institution": InstitutionFactory(slug="odihr"),
        "source_title": "Final report",
        "source_date": D(2012, 3, 1),
        "source_url": "https://www.osce.org/odihr/elections/at",
        "number": "1",
        "text": "Review the law.",
        "addressee": "parliament",
    }
    return fields | overrides


def test_recommendation_needs_at_least_one_commitment(admin_user):
    with pytest.raises(ValidationError) as error:
        services.recommendation_create(user=admin_user, commitments=[], **recommendation_fields())
    assert "commitments" in error.value.message_dict


def test_recommendation_refuses_a_commitment_not_in_force_on_its_source_date(admin_user):
    later = CommitmentFactory(code="LATER-1", document__adopted_on=D(2015, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.recommendation_create(user=admin_user, commitments=[later], **recommendation_fields())
    assert "LATER-1" in error.value.message_dict["commitments"][0]


def test_recommendation_refuses_a_duplicate_code(admin_user):
    commitment = CommitmentFactory()
    services.recommendation_create(user=admin_user, commitments=[commitment], **recommendation_fields())
    with pytest.raises(ValidationError) as error:
        services.recommendation_create(user=admin_user, commitments=[commitment], **recommendation_fields(number="2"))
    assert "code" in error.value.message_dict


def test_recommendation_source_date_cannot_be_in_the_future(admin_user):
    with pytest.raises(ValidationError) as error:
        services.recommendation_create(
            user=admin_user,
            commitments=[CommitmentFactory()],
            **recommendation_fields(source_date=datetime.date.today() + datetime.timedelta(days=1)),
        )
    assert "source_date" in error.value.message_dict


def test_failed_recommendation_create_saves_nothing(admin_user):
    later = CommitmentFactory(code="LATER-2", document__adopted_on=D(2015, 1, 1))
    with pytest.raises(ValidationError):
        services.recommendation_create(user=admin_user, commitments=[later], **recommendation_fields())
    from recommendations.models import Recommendation

    assert not Recommendation.objects.exists()


def test_catalogue_history_records_the_recommendation_change(admin_user):
    recommendation = services.recommendation_create(
        user=admin_user, commitments=[CommitmentFactory()], **recommendation_fields()
    )
    recommendation.text = "Review the election law."
    recommendation.save()
    texts = list(recommendation.history.order_by("history_id").values_list("text", flat=True))
    assert (texts[0], texts[-1]) == ("Review the law.", "Review the election law.")


def test_assessment_cannot_predate_the_recommendation():
    recommendation = RecommendationFactory(source_date=D(2012, 3, 1))
    assessment = AssessmentFactory.build(recommendation=recommendation, assessed_on=D(2012, 2, 28))
    with pytest.raises(ValidationError) as error:
        assessment.full_clean()
    assert "assessed_on" in error.value.message_dict


def test_assessment_cannot_be_in_the_future():
    assessment = AssessmentFactory.build(
        recommendation=RecommendationFactory(), assessed_on=datetime.date.today() + datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        assessment.full_clean()
    assert "assessed_on" in error.value.message_dict


def test_assessment_rating_outside_the_list_is_refused():
    assessment = AssessmentFactory.build(recommendation=RecommendationFactory(), rating="somewhat")
    with pytest.raises(ValidationError) as error:
        assessment.full_clean()
    assert "rating" in error.value.message_dict


def test_database_refuses_a_rating_outside_the_list():
    assessment = AssessmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(rating="somewhat")


def test_database_refuses_a_verified_assessment_reviewed_by_its_submitter():
    assessment = AssessmentFactory(submitted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(status="verified", reviewed_by=assessment.submitted_by)
