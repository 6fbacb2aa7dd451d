"""Properties that hold for any sequence of commands."""

from collections.abc import Callable
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.contract import TERMINAL, Contract
from domain.errors import DomainError
from domain.signature import Party
from domain.terms import ContractTerms
from tests.builders import valid_terms

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
AMENDED = ContractTerms.parse(valid_terms(fee=300_000))

COMMANDS: dict[str, Callable[[Contract], None]] = {
    "revise": lambda c: c.revise_terms("legal", AMENDED),
    "send": lambda c: c.send_for_signature("legal", NOW),
    "sign_brand": lambda c: c.sign("legal2", Party.BRAND, "Lee", signed_at=NOW, now=NOW),
    "sign_creator": lambda c: c.sign("ops", Party.CREATOR, "Mia", signed_at=NOW, now=NOW),
    "amend": lambda c: c.propose_amendment("legal", ContractTerms.parse(
        valid_terms(fee=c.terms.fee.amount + 2)), NOW, reason="more"),
    "withdraw": lambda c: c.withdraw_amendment("legal", reason="no"),
    "terminate": lambda c: c.terminate("legal", reason="breach"),
    "cancel": lambda c: c.cancel("legal", reason="dropped"),
    "complete": lambda c: c.complete("ops", []),
}


def new_contract() -> Contract:
    return Contract.draft(actor="legal", brand_id="b", creator_id="c", title="T", campaign=None,
                          terms=ContractTerms.parse(valid_terms()))


def run(contract: Contract, name: str) -> bool:
    try:
        COMMANDS[name](contract)
    except DomainError:
        return False
    return True


@settings(max_examples=300)
@given(st.lists(st.sampled_from(sorted(COMMANDS)), max_size=25))
def test_no_command_leads_out_of_a_terminal_state(names: list[str]) -> None:
    contract = new_contract()
    for name in names:
        was_terminal = contract.status in TERMINAL
        version = contract.version

        accepted = run(contract, name)

        if was_terminal:
            assert not accepted and contract.version == version


@settings(max_examples=200)
@given(st.lists(st.sampled_from(sorted(COMMANDS)), max_size=25))
def test_terms_in_force_always_sum_to_the_fee_and_replay_to_the_same_state(
        names: list[str]) -> None:
    contract = new_contract()
    for name in names:
        run(contract, name)

    events = contract.collect_events()
    replayed = None
    for event in events:
        replayed = event.mutate(replayed)

    assert sum(m.amount for m in contract.terms.milestones) == contract.terms.fee.amount
    assert replayed is not None and vars(replayed) == vars(contract)
