"""The chain's rules, without a store: given events and links, the first break is named."""

from dataclasses import replace

from application.common.history import readable
from application.infrastructure.event_chain import (
    GENESIS,
    ChainedEvent,
    first_break,
    link_hash,
    links_for,
    seal_root,
)

AGGREGATE = "6f1c1a52-6c5e-4c62-9a7e-0d6a3f1d2b10"


def events(count: int = 4) -> list[ChainedEvent]:
    return [ChainedEvent.of("contracts", n, AGGREGATE, n, "domain.contract:Contract.Event",
                            f'{{"n":{n}}}'.encode()) for n in range(1, count + 1)]


def test_an_intact_log_has_no_break_and_ends_at_its_last_link() -> None:
    stored = events()
    links = list(links_for(GENESIS, stored))

    broken, head = first_break(stored, links)

    assert broken is None and head == links[-1]


def test_each_link_depends_on_everything_before_it() -> None:
    stored = events()
    changed = [stored[0], replace(stored[1], state=b'{"n":20}'), *stored[2:]]

    original, rewritten = list(links_for(GENESIS, stored)), list(links_for(GENESIS, changed))

    assert original[0] == rewritten[0]
    assert all(a.hash != b.hash for a, b in zip(original[1:], rewritten[1:], strict=True))


def test_a_changed_event_is_the_first_break() -> None:
    stored = events()
    links = list(links_for(GENESIS, stored))
    stored[2] = replace(stored[2], topic="domain.contract:Contract.Terminated")

    broken, head = first_break(stored, links)

    assert broken is not None and (broken.position, broken.version) == (3, 3)
    assert "altered" in broken.problem and head == links[1]


def test_a_missing_event_a_missing_link_and_a_moved_event_are_told_apart() -> None:
    stored = events()
    links = list(links_for(GENESIS, stored))

    removed, _ = first_break(stored[:1] + stored[2:], links)
    inserted, _ = first_break(stored, links[:3])
    moved, _ = first_break([stored[0], replace(stored[1], originator_version=9), *stored[2:]],
                           links)

    assert removed is not None and "removed" in removed.problem and removed.position == 2
    assert inserted is not None and "inserted" in inserted.problem and inserted.position == 4
    assert moved is not None and "out of place" in moved.problem and moved.position == 2


def test_removing_an_event_with_its_link_breaks_the_link_after_it() -> None:
    stored = events()
    links = list(links_for(GENESIS, stored))

    broken, _ = first_break(stored[:1] + stored[2:], links[:1] + links[2:])

    assert broken is not None and broken.position == 3


def test_the_canonical_form_does_not_depend_on_how_the_store_spells_ids() -> None:
    as_text = ChainedEvent.of("a", 1, AGGREGATE, 1, "t", b"{}")
    as_hex = ChainedEvent.of("a", 1, AGGREGATE.replace("-", ""), 1, "t", memoryview(b"{}"))

    assert link_hash(GENESIS, as_text) == link_hash(GENESIS, as_hex)


def test_a_seal_root_covers_every_head() -> None:
    heads = {"contracts": {"position": 4, "hash": "a" * 64},
             "payouts": {"position": 9, "hash": "b" * 64}}

    assert seal_root(heads) == seal_root(dict(reversed(heads.items())))
    assert seal_root(heads) != seal_root({**heads, "payouts": {"position": 8,
                                                               "hash": "b" * 64}})


def test_amended_terms_read_item_by_item() -> None:
    changes = {"terms.deliverables": {
        "from": [{"key": "video-1", "due_days": 14}],
        "to": [{"key": "video-1", "due_days": 21}, {"key": "story-1", "due_days": 7}]},
        "status": {"from": "draft", "to": "sent_for_signature"}}

    assert readable(changes) == [
        "terms.deliverables[0].due_days: 14 -> 21",
        'terms.deliverables[1]: added {"due_days": 7, "key": "story-1"}',
        'status: "draft" -> "sent_for_signature"']
