"""Creators: profile rules and status."""

import pytest

from domain.creator import Creator, CreatorStatus
from domain.creator_profile import CreatorProfile
from domain.errors import InvalidTransition, InvalidValue
from tests.builders import creator_profile


def registered() -> Creator:
    return Creator.register(actor="ops", brand_id="b",
                            profile=CreatorProfile.parse(creator_profile()))


def test_a_blocked_creator_cannot_be_contracted_until_reactivated() -> None:
    creator = registered()

    creator.block("ops", reason="Fake followers")
    with pytest.raises(InvalidTransition, match="blocked"):
        creator.ensure_can_be_contracted()
    creator.reactivate("ops", reason="Audit cleared them")

    creator.ensure_can_be_contracted()
    assert creator.status is CreatorStatus.ACTIVE


def test_blocking_requires_a_reason() -> None:
    with pytest.raises(InvalidValue, match="reason"):
        registered().block("ops", reason="")


def test_pausing_twice_is_refused() -> None:
    creator = registered()
    creator.pause("ops")

    with pytest.raises(InvalidTransition, match="paused"):
        creator.pause("ops")


def test_profile_updates_change_only_the_given_fields() -> None:
    creator = registered()

    creator.update_profile("ops", {"categories": ["beauty"]})

    assert creator.profile.categories == ("beauty",)
    assert creator.profile.display_name == "Mia Chen"


def test_profile_rules_are_enforced() -> None:
    bad = {**creator_profile(), "payout_account": "bank-123",
           "handles": [{"platform": "douyin", "handle": "x", "engagement_rate_bp": 20_000}],
           "contact": {"email": "not-an-email"}}

    with pytest.raises(InvalidValue) as refused:
        CreatorProfile.parse(bad)

    assert set(refused.value.errors) == {"payout_account", "handles[0].engagement_rate_bp",
                                         "contact.email"}
