"""How the console writes values for people."""

from application.common.wording import event_words, money, words
from domain.money import Money
from web.console.formatting import changes


def test_money_is_written_in_its_currency_from_minor_units() -> None:
    assert money(Money(1_234_550, "CNY")) == "CN¥12,345.50"
    assert money({"amount": 5_000, "currency": "JPY"}) == "¥5,000"  # no minor unit
    assert money(1999, "USD") == "$19.99"
    assert money(None) == "—"


def test_event_and_vocabulary_names_read_as_words() -> None:
    assert event_words("SentForSignature") == "Sent for signature"
    assert words("short_video") == "short video"


def test_history_changes_leave_out_ids_and_hashes_and_cut_long_values() -> None:
    shown = changes(['brand_id: added "b"', 'deliverable_ids[0]: added "d"',
                     'awaiting.brand.terms_hash: added "h"', 'status: "draft" -> "sent"',
                     "notes: " + "x" * 500])

    assert shown[0] == 'status: "draft" -> "sent"'
    assert len(shown) == 2 and shown[1].endswith("…") and len(shown[1]) == 161
