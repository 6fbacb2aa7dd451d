"""Contract terms: the payment schedule, references between terms, and fingerprints."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.terms import ContractTerms
from tests.builders import valid_terms


def schedule(amounts: list[int]) -> list[dict]:
    return [{"key": f"m{i}", "label": f"Milestone {i}", "amount": amount,
             "trigger": "on_signature"} for i, amount in enumerate(amounts)]


@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=12))
def test_a_schedule_that_sums_to_the_fee_is_accepted(amounts: list[int]) -> None:
    terms = ContractTerms.parse(valid_terms(fee=sum(amounts), milestones=schedule(amounts)))

    assert sum(m.amount for m in terms.milestones) == terms.fee.amount


@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=12),
       st.integers(min_value=-10**6, max_value=10**6).filter(lambda d: d != 0))
def test_a_schedule_that_misses_the_fee_is_refused(amounts: list[int], off_by: int) -> None:
    fee = max(sum(amounts) + off_by, 0)

    with pytest.raises(InvalidValue) as refused:
        ContractTerms.parse(valid_terms(fee=fee, milestones=schedule(amounts)))

    assert "milestones" in refused.value.errors


def test_a_milestone_must_name_a_deliverable_of_the_terms() -> None:
    milestones = [{"key": "m", "label": "On video", "amount": 100_000,
                   "trigger": "on_deliverable_accepted", "deliverable_key": "nope"}]

    with pytest.raises(InvalidValue) as refused:
        ContractTerms.parse(valid_terms(milestones=milestones))

    assert "'nope' is not one of the deliverables' keys" in refused.value.errors[
        "milestones[0].deliverable_key"]


def test_unknown_currency_and_territory_are_refused() -> None:
    rights = [{"key": "r", "channels": ["paid_ads"], "territories": ["XX"],
               "starts": "on_signature"}]

    with pytest.raises(InvalidValue) as refused:
        ContractTerms.parse(valid_terms(currency="ABC", usage_rights=rights))

    assert set(refused.value.errors) >= {"fee.currency", "usage_rights[0].territories[0]"}


def test_keys_must_be_unique() -> None:
    deliverable = valid_terms()["deliverables"][0]

    with pytest.raises(InvalidValue) as refused:
        ContractTerms.parse(valid_terms(deliverables=[deliverable, deliverable]))

    assert refused.value.errors["deliverables[1].key"] == "'video-1' is used twice"


def test_a_money_make_good_needs_exactly_one_of_amount_or_percent() -> None:
    rule = {"key": "views", "deliverable_key": "video-1", "metric": "views",
            "threshold": 1000, "window_days": 7, "remedy": "fee_reduction",
            "milestone_key": "accepted", "amount": 10, "percent": "10"}

    with pytest.raises(InvalidValue) as refused:
        ContractTerms.parse(valid_terms(make_goods=[rule]))

    assert "make_goods[0].amount" in refused.value.errors


def test_malformed_values_become_field_errors_not_crashes() -> None:
    with pytest.raises(InvalidValue) as refused:
        ContractTerms.parse(valid_terms(deliverables=[{"key": "x", "kind": "hologram",
                                                       "platform": "douyin",
                                                       "due_date": "2026-01-01"}]))

    assert "terms" in refused.value.errors


def test_fingerprint_changes_with_any_term_and_only_then() -> None:
    first = ContractTerms.parse(valid_terms())
    same = ContractTerms.parse(valid_terms())
    other = ContractTerms.parse(valid_terms(required_disclosures=["#ad", "广告"]))

    assert first.fingerprint() == same.fingerprint()
    assert first.fingerprint() != other.fingerprint()


def test_product_only_collaborations_need_no_payment_schedule() -> None:
    terms = ContractTerms.parse(valid_terms(fee=0, milestones=[]))

    assert terms.missing_for_signature() == []


def test_adding_an_empty_optional_term_keeps_the_fingerprint() -> None:
    without = ContractTerms.parse(valid_terms())
    with_empty = ContractTerms.parse(valid_terms(forbidden_terms=[], notes=""))

    assert without.fingerprint() == with_empty.fingerprint()
    assert ContractTerms.parse(valid_terms(forbidden_terms=["best"])).fingerprint() != \
        without.fingerprint()
