"""The compliance check on real-looking English and Chinese drafts."""

import pytest

from domain.compliance import ViolationKind, check

MISSING, CLAIM, FORBIDDEN = (ViolationKind.MISSING_DISCLOSURE, ViolationKind.UNAPPROVED_CLAIM,
                             ViolationKind.FORBIDDEN_TERM)

# draft, required disclosures, approved claims, claims need approval, forbidden, expected kinds
DRAFTS = [
    ("Obsessed with the new Glow Serum - hydrates for 24 hours and smells amazing. #ad",
     ["#ad"], ["Hydrates for 24 hours"], True, [], []),
    ("Morning routine with Glow Serum. Hydrates for 24 hours! ＃ＡＤ",
     ["#ad"], ["Hydrates for 24 hours"], True, [], []),
    ("Paid   Partnership with @glowlab: my honest first impressions.",
     ["paid partnership"], [], True, [], []),
    ("Weekend hike, new trail shoes. #adventure #outdoors",
     ["#ad"], [], False, [], [MISSING]),
    ("This is an unpaid partnership, I just love it.",
     ["paid partnership"], [], False, [], [MISSING]),
    ("It cured my eczema in 3 days! #ad",
     ["#ad"], ["Hydrates for 24 hours"], True, [], [CLAIM]),
    ("Hydrates for 24 hours and clinically proven to erase wrinkles. #ad",
     ["#ad"], ["Hydrates for 24 hours"], True, [], [CLAIM]),
    ("It cured my eczema in 3 days! #ad",
     ["#ad"], [], False, [], []),
    ("姐妹们冲！24小时保湿，真的好用～ #广告",
     ["广告"], ["24小时保湿"], True, [], []),
    ("用了一周就美白了，效果保证！广告",
     ["广告"], ["24小时保湿"], True, [], [CLAIM]),
    ("这个精华液质地很轻薄，推荐给干皮姐妹。",
     ["广告"], [], True, [], [MISSING]),
    ("This card gives 5% cashback on everything. Guaranteed returns! #ad",
     ["#ad"], [], True, [], [CLAIM, CLAIM]),
    ("The best serum ever, a bestseller for a reason. #ad",
     ["#ad"], [], False, ["best"], [FORBIDDEN]),
    ("第一次用就爱上了 广告 Paid partnership",
     ["广告", "paid partnership"], [], True, [], []),
]


@pytest.mark.parametrize(("draft", "disclosures", "approved", "flagged", "forbidden",
                          "expected"), DRAFTS)
def test_drafts_are_checked_against_the_contract(draft: str, disclosures: list[str],
                                                 approved: list[str], flagged: bool,
                                                 forbidden: list[str],
                                                 expected: list[ViolationKind]) -> None:
    report = check(draft, required_disclosures=disclosures, approved_claims=approved,
                   claims_need_approval=flagged, forbidden_terms=forbidden)

    assert [v.kind for v in report.violations] == expected
    assert report.passed == (not expected)


def test_violations_point_at_the_offending_words() -> None:
    draft = "Love it. It cured my acne in 3 days! The best. #ad"

    report = check(draft, required_disclosures=["#ad", "广告"], approved_claims=[],
                   claims_need_approval=True, forbidden_terms=["best"])

    missing, claim, forbidden = report.violations
    assert (missing.kind, missing.text, missing.start) == (MISSING, "广告", None)
    assert draft[claim.start:claim.end] == "It cured my acne in 3 days!" == claim.text
    assert draft[forbidden.start:forbidden.end] == "best"


def test_full_width_text_maps_back_to_its_own_positions() -> None:
    draft = "ＢＥＳＴ　ｓｅｒｕｍ"

    (violation,) = check(draft, required_disclosures=[], approved_claims=[],
                         claims_need_approval=False, forbidden_terms=["best"]).violations

    assert draft[violation.start:violation.end] == "ＢＥＳＴ"
