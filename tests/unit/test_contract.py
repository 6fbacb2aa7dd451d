"""Contract lifecycle: drafting, signature, amendments, closing."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.contract import Contract, ContractStatus
from domain.errors import InvalidTransition, InvalidValue, NotPermitted
from domain.signature import Party
from domain.terms import ContractTerms
from tests.builders import valid_terms

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def draft(**terms: object) -> Contract:
    return Contract.draft(actor="drafter", brand_id="b", creator_id="c", title="Launch",
                          campaign=None, terms=ContractTerms.parse(valid_terms(**terms)))


def sent(**terms: object) -> Contract:
    contract = draft(**terms)
    contract.send_for_signature("drafter", NOW)
    return contract


def signed_by_both(contract: Contract, brand_signer: str = "signer") -> None:
    contract.sign(brand_signer, Party.BRAND, "Lee Legal", signed_at=NOW, now=NOW)
    contract.sign("ops", Party.CREATOR, "Mia Chen", signed_at=NOW, now=NOW)


def active() -> Contract:
    contract = sent()
    signed_by_both(contract)
    return contract


def event_names(contract: Contract) -> list[str]:
    return [type(e).__name__ for e in contract.collect_events()]


def test_a_draft_becomes_active_once_both_parties_sign_the_sent_terms() -> None:
    contract = sent()

    signed_by_both(contract)

    assert contract.status is ContractStatus.ACTIVE
    assert event_names(contract) == ["Drafted", "SentForSignature", "Signed", "Signed"]
    assert {s.terms_hash for s in contract.signed.values()} == {contract.terms.fingerprint()}


def test_terms_cannot_be_sent_without_deliverables() -> None:
    contract = draft(deliverables=[], milestones=[], fee=0)

    with pytest.raises(InvalidTransition, match="at least one deliverable"):
        contract.send_for_signature("drafter", NOW)


def test_terms_cannot_be_sent_without_a_payment_schedule() -> None:
    contract = draft(milestones=[])

    with pytest.raises(InvalidTransition, match="payment schedule"):
        contract.send_for_signature("drafter", NOW)


def test_a_party_cannot_sign_twice() -> None:
    contract = sent()
    contract.sign("signer", Party.BRAND, "Lee", signed_at=NOW, now=NOW)

    with pytest.raises(InvalidTransition, match="already signed"):
        contract.sign("signer", Party.BRAND, "Lee", signed_at=NOW, now=NOW)


def test_with_dual_control_the_drafter_cannot_sign_for_the_brand() -> None:
    contract = sent()

    with pytest.raises(NotPermitted, match="dual control"):
        contract.sign("drafter", Party.BRAND, "Dee", signed_at=NOW, now=NOW, dual_control=True)
    contract.sign("someone-else", Party.BRAND, "Lee", signed_at=NOW, now=NOW, dual_control=True)

    assert Party.BRAND.value in contract.awaiting


def test_acceptance_cannot_predate_sending_or_lie_in_the_future() -> None:
    contract = sent()

    with pytest.raises(InvalidValue) as early:
        contract.sign("ops", Party.CREATOR, "Mia", signed_at=NOW - timedelta(days=1), now=NOW)
    with pytest.raises(InvalidValue) as future:
        contract.sign("ops", Party.CREATOR, "Mia", signed_at=NOW + timedelta(days=1), now=NOW)

    assert "before the terms were sent" in early.value.errors["signed_at"]
    assert future.value.errors["signed_at"] == "is in the future"


def test_revising_sent_terms_returns_to_draft_and_voids_signatures() -> None:
    contract = sent()
    contract.sign("signer", Party.BRAND, "Lee", signed_at=NOW, now=NOW)

    contract.revise_terms("drafter", ContractTerms.parse(valid_terms(fee=200_000)))

    assert contract.status is ContractStatus.DRAFT
    assert contract.awaiting == {}
    assert contract.terms_version == 2


def test_signed_terms_change_only_by_amendment() -> None:
    contract = active()

    with pytest.raises(InvalidTransition, match="only by an amendment"):
        contract.revise_terms("drafter", ContractTerms.parse(valid_terms(fee=200_000)))


def test_an_amendment_applies_once_both_parties_sign_it() -> None:
    contract = active()
    amended = ContractTerms.parse(valid_terms(fee=200_000))

    contract.propose_amendment("drafter", amended, NOW, reason="Second video added")
    assert contract.terms.fee.amount == 100_000  # the signed terms stay in force meanwhile
    signed_by_both(contract)

    assert contract.terms == amended
    assert contract.terms_version == 2
    assert contract.proposed_terms is None
    assert contract.status is ContractStatus.ACTIVE


def test_an_amendment_needs_a_reason_and_can_be_withdrawn() -> None:
    contract = active()
    amended = ContractTerms.parse(valid_terms(fee=200_000))

    with pytest.raises(InvalidValue, match="reason"):
        contract.propose_amendment("drafter", amended, NOW, reason=" ")
    contract.propose_amendment("drafter", amended, NOW, reason="More reach")
    contract.withdraw_amendment("drafter", reason="Creator declined")

    assert contract.proposed_terms is None
    assert contract.terms.fee.amount == 100_000


def test_only_unsigned_contracts_are_cancelled() -> None:
    contract = active()

    with pytest.raises(InvalidTransition, match="terminate a signed one"):
        contract.cancel("drafter", reason="Changed our mind")


def test_termination_requires_a_reason() -> None:
    contract = active()

    with pytest.raises(InvalidValue, match="reason"):
        contract.terminate("drafter", reason=None)
    contract.terminate("drafter", reason="Creator breached exclusivity")

    assert contract.status is ContractStatus.TERMINATED


def test_a_contract_cannot_complete_with_open_obligations() -> None:
    contract = active()

    with pytest.raises(InvalidTransition, match="video-1"):
        contract.complete("ops", open_obligations=["deliverable video-1"])
    contract.complete("ops", open_obligations=[])

    assert contract.status is ContractStatus.COMPLETED


def test_revising_to_identical_terms_records_nothing() -> None:
    contract = draft()
    contract.collect_events()

    contract.revise_terms("drafter", ContractTerms.parse(valid_terms()))

    assert contract.collect_events() == []
