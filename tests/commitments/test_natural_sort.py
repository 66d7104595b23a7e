"""Commitment codes sort naturally: paragraph 7.3 before paragraph 10."""

import pytest

from commitments.models import Commitment
from commitments.models.catalogue import natural_sort_key
from tests.factories import CommitmentFactory


def test_natural_sort_key_pads_every_number():
    assert natural_sort_key("COP-1990-7.3") < natural_sort_key("COP-1990-10")
    assert natural_sort_key("COP-1990-9.1") < natural_sort_key("COP-1990-9.10")


@pytest.mark.django_db
def test_commitments_list_in_natural_order():
    for code in ["COP-1990-10", "COP-1990-7.3", "COP-1990-9.10", "COP-1990-9.2"]:
        CommitmentFactory(code=code, document__code="COP-1990")
    assert list(Commitment.objects.values_list("code", flat=True)) == [
        "COP-1990-7.3",
        "COP-1990-9.2",
        "COP-1990-9.10",
        "COP-1990-10",
    ]


def test_fixture_loaded_commitments_get_their_sort_key(reference_data):
    # loaddata saves raw, skipping Commitment.save(): the pre_save receiver must set the key.
    assert not Commitment.objects.filter(sort_key="").exists()
    codes = list(Commitment.objects.filter(document__code="COP-1990").values_list("code", flat=True))
    assert codes.index("COP-1990-5.9") < codes.index("COP-1990-5.12")
    assert codes.index("COP-1990-9.4") < codes.index("COP-1990-10")
