"""Usage rights answer "may we use this, there, then?", as things stood on that day."""

import contextlib
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.money import Money
from domain.obligations import RightStart, UsageRightTerm
from domain.usage_right import RightStatus, UsageRight, answer, days_added
from domain.vocabulary import Channel

SIGNED = date(2026, 1, 1)
REPOST = UsageRightTerm("repost", (Channel.ORGANIC_REPOST, Channel.PAID_ADS), ("CN", "HK"),
                        RightStart.ON_SIGNATURE, duration_days=90)


def granted(term: UsageRightTerm = REPOST) -> UsageRight:
    return UsageRight.grant(actor="system", brand_id="b", contract_id="c", creator_id="k",
                            term=term, granted_on=SIGNED)


def test_a_right_allows_its_channels_and_territories_for_its_duration() -> None:
    right = granted()

    inside = right.verdict(Channel.PAID_ADS, "CN", SIGNED + timedelta(days=89))
    after = right.verdict(Channel.PAID_ADS, "CN", SIGNED + timedelta(days=90))
    other_channel = right.verdict(Channel.AI_TRAINING, "CN", SIGNED)
    other_place = right.verdict(Channel.PAID_ADS, "US", SIGNED)
    before = right.verdict(Channel.PAID_ADS, "CN", SIGNED - timedelta(days=1))

    assert inside.allowed and inside.until == SIGNED + timedelta(days=89)
    assert (after.allowed, after.why) == (False, f"expired on {SIGNED + timedelta(days=90)}")
    assert other_channel.why == "not granted for ai_training"
    assert other_place.why == "not granted in US"
    assert before.why.startswith("not yet started")


def test_a_right_starting_on_publication_waits_for_it() -> None:
    right = granted(UsageRightTerm("r", (Channel.ECOMMERCE,), ("WORLDWIDE",),
                                   RightStart.ON_PUBLICATION, duration_days=30))

    waiting = right.verdict(Channel.ECOMMERCE, "FR", SIGNED + timedelta(days=5))
    right.start("system", SIGNED + timedelta(days=10), "published")
    started = right.verdict(Channel.ECOMMERCE, "FR", SIGNED + timedelta(days=10))

    assert right.status is RightStatus.GRANTED
    assert waiting.why == "not yet started (starts on publication)"
    assert started.allowed and started.until == SIGNED + timedelta(days=39)
    assert not right.start("system", SIGNED + timedelta(days=20), "published again")


def test_an_extension_counts_from_the_day_it_was_agreed() -> None:
    right = granted()
    agreed_on = SIGNED + timedelta(days=100)  # after it had run out
    right.expire("system", SIGNED + timedelta(days=95))
    right.extend("legal", agreed_on, 60, Money(500_000, "CNY"), terms_version=2)

    back_then = right.verdict(Channel.PAID_ADS, "CN", SIGNED + timedelta(days=95))
    now = right.verdict(Channel.PAID_ADS, "CN", agreed_on)

    assert not back_then.allowed and back_then.why.startswith("expired")
    assert now.allowed and now.until == SIGNED + timedelta(days=149)
    assert right.status is RightStatus.GRANTED


def test_an_extension_taken_back_ends_it_from_that_day_and_only_once() -> None:
    right = granted()  # 90 days: last day SIGNED + 89
    right.extend("system", SIGNED + timedelta(days=20), 30, None, 1, cause="rule breached")
    taken_back_on = SIGNED + timedelta(days=25)

    withdrawn = right.withdraw_extension("system", taken_back_on, "rule breached",
                                         "rule waived")
    again = right.withdraw_extension("system", taken_back_on, "rule breached", "rule waived")
    never_given = right.withdraw_extension("system", taken_back_on, "other", "other waived")

    assert (withdrawn, again, never_given) == (True, False, False)
    assert right.last_day(SIGNED + timedelta(days=22)) == SIGNED + timedelta(days=119)
    assert right.last_day(taken_back_on) == SIGNED + timedelta(days=89)


def test_a_revoked_right_stops_from_its_revocation_day_only() -> None:
    right = granted()
    right.revoke("legal", SIGNED + timedelta(days=10), "Creator withdrew consent")

    assert right.verdict(Channel.PAID_ADS, "CN", SIGNED + timedelta(days=9)).allowed
    assert right.verdict(Channel.PAID_ADS, "CN", SIGNED + timedelta(days=10)).why == \
        f"revoked on {SIGNED + timedelta(days=10)}: Creator withdrew consent"


def test_the_answer_names_the_right_that_allows_or_the_closest_refusal() -> None:
    ads_only_cn = granted()
    worldwide_repost = granted(UsageRightTerm("global", (Channel.ORGANIC_REPOST,),
                                              ("WORLDWIDE",), RightStart.ON_SIGNATURE))

    allowed = answer([ads_only_cn, worldwide_repost], "video-1", Channel.ORGANIC_REPOST, "US",
                     SIGNED + timedelta(days=400))
    refused = answer([ads_only_cn, worldwide_repost], "video-1", Channel.PAID_ADS, "CN",
                     SIGNED + timedelta(days=400))

    assert (allowed.allowed, allowed.right_key, allowed.until) == (True, "global", None)
    assert (refused.allowed, refused.right_key) == (False, "repost")
    assert refused.why.startswith("expired")


CHANGES = st.lists(st.tuples(st.sampled_from(["extend", "revoke", "expire", "start"]),
                             st.integers(0, 400), st.integers(1, 200)), max_size=8)


@settings(max_examples=200, deadline=None)
@given(asked=st.integers(0, 400), changes=CHANGES,
       starts=st.sampled_from([RightStart.ON_SIGNATURE, RightStart.ON_PUBLICATION]))
def test_an_answer_for_a_day_never_changes_because_of_later_events(
        asked: int, changes: list[tuple[str, int, int]], starts: RightStart) -> None:
    right = granted(UsageRightTerm("r", (Channel.PAID_ADS,), ("CN",), starts,
                                   duration_days=60))
    day = SIGNED + timedelta(days=asked)
    before = right.verdict(Channel.PAID_ADS, "CN", day)
    for kind, offset, days in sorted(changes, key=lambda c: c[1]):
        on = day + timedelta(days=1 + offset)  # every change comes after the day asked
        with contextlib.suppress(DomainError):  # refused changes change nothing
            change(right, kind, on, days)

    assert right.verdict(Channel.PAID_ADS, "CN", day) == before


def change(right: UsageRight, kind: str, on: date, days: int) -> None:
    if kind == "extend":
        right.extend("legal", on, days, None, 2)
    elif kind == "revoke":
        right.revoke("legal", on, "why")
    elif kind == "expire":
        right.expire("system", on)
    else:
        right.start("system", on, "published")


def test_a_signed_amendment_adds_the_days_it_lengthens_a_timed_right_by_and_no_more() -> None:
    longer = replace(REPOST, duration_days=120)

    assert days_added(REPOST, longer) == 30
    assert days_added(longer, REPOST) == 0  # shortened: not taken back by an amendment
    assert days_added(None, longer) == 0  # a right the amendment brings in is granted
    assert days_added(replace(REPOST, duration_days=None), longer) == 0  # was perpetual
    assert days_added(REPOST, replace(REPOST, duration_days=None)) == 0


def test_a_make_goods_extra_time_goes_to_timed_rights_of_its_deliverable_still_in_force(
        ) -> None:
    timed = granted(replace(REPOST, deliverable_keys=("video-1",)))
    perpetual = granted(replace(REPOST, duration_days=None))
    revoked = granted()
    revoked.revoke("legal", SIGNED, "Consent withdrawn")

    assert timed.extendable_for("video-1") and not timed.extendable_for("video-2")
    assert not perpetual.extendable_for("video-1")
    assert not revoked.extendable_for("video-1")
