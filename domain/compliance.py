"""Checking an outline or draft against the contract's disclosure and claim rules.

- Every required disclosure must appear, tolerant of case, spacing and
  full-width characters (＃ＡＤ, "Paid  partnership", 广告).
- In flagged categories (health, finance) every claim-like sentence must be an
  approved claim: what is left of it once approved wording is taken out must
  claim nothing more.
- Forbidden terms must not appear at all.
Violations carry their positions in the submitted text, so an editor can
highlight them.
"""

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

SENTENCE = re.compile(r"[^.!?。！？;；\n]+[.!?。！？;；]*")
CLAIM_MARKERS = re.compile(
    r"\d+(\.\d+)?\s*(%|percent|x\b|times|hours?|days?|weeks?|小时|天|周|倍)|"
    r"\b(cures?|cured|heals?|treats?|prevents?|guarantee[sd]?|clinically|proven|"
    r"doctors?|dermatologists?|medical|fda|returns?|profits?|risk[- ]free|no risk|"
    r"interest|yields?|boosts?|eliminates?|reverses?|detox\w*|weight loss|lose weight|"
    r"anti[- ]aging|whiten\w*)\b|"
    r"治疗|治愈|根治|预防|疗效|临床|医生|药效|保证|保障|收益|回报|稳赚|无风险|利率|"
    r"减肥|瘦身|美白|祛斑|抗衰|排毒|增强免疫")


class ViolationKind(StrEnum):
    MISSING_DISCLOSURE = "missing_disclosure"
    UNAPPROVED_CLAIM = "unapproved_claim"
    FORBIDDEN_TERM = "forbidden_term"


@dataclass(frozen=True)
class Violation:
    kind: ViolationKind
    text: str  # the disclosure that is missing, or the offending words as submitted
    start: int | None = None  # character offsets in the submitted text
    end: int | None = None


@dataclass(frozen=True)
class ComplianceReport:
    violations: tuple[Violation, ...]

    @property
    def passed(self) -> bool:
        return not self.violations


class Normalized:
    """Text folded for matching (NFKC, casefold, one space for any run of white space),
    remembering where each folded character came from."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        self.origin: list[int] = []
        for index, char in enumerate(text):
            for folded in unicodedata.normalize("NFKC", char).casefold():
                if folded.isspace():
                    if chars and chars[-1] == " ":
                        continue
                    folded = " "
                chars.append(folded)
                self.origin.append(index)
        self.text = "".join(chars)

    def find_all(self, needle: str) -> Iterator[tuple[int, int]]:
        """Offsets in the original text of every whole-word occurrence of `needle`."""
        wanted = Normalized(needle).text.strip()
        start = self.text.find(wanted) if wanted else -1
        while start >= 0:
            end = start + len(wanted)
            if _bounded(self.text, start, end):
                yield self.origin[start], self.origin[end - 1] + 1
            start = self.text.find(wanted, start + 1)


def check(text: str, *, required_disclosures: Sequence[str], approved_claims: Sequence[str],
          claims_need_approval: bool, forbidden_terms: Sequence[str] = ()) -> ComplianceReport:
    folded = Normalized(text)
    violations = [Violation(ViolationKind.MISSING_DISCLOSURE, disclosure)
                  for disclosure in required_disclosures
                  if next(folded.find_all(disclosure), None) is None]
    violations += [Violation(ViolationKind.FORBIDDEN_TERM, text[start:end], start, end)
                   for term in forbidden_terms for start, end in folded.find_all(term)]
    if claims_need_approval:
        violations += unapproved_claims(text, approved_claims)
    return ComplianceReport(tuple(sorted(violations, key=_position)))


def unapproved_claims(text: str, approved_claims: Sequence[str]) -> list[Violation]:
    approved = [Normalized(claim).text.strip() for claim in approved_claims]
    violations = []
    for match in SENTENCE.finditer(text):
        sentence = Normalized(match.group()).text
        for claim in approved:
            sentence = sentence.replace(claim, " ")
        if CLAIM_MARKERS.search(sentence):
            start, end = _stripped(text, match.start(), match.end())
            violations.append(Violation(ViolationKind.UNAPPROVED_CLAIM, text[start:end],
                                        start, end))
    return violations


def _bounded(text: str, start: int, end: int) -> bool:
    """Latin words must not run on: '#ad' is not in '#adventure', 'paid' not in 'unpaid'."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (_latin(text[start]) and _latin(before)) and \
        not (_latin(text[end - 1]) and _latin(after))


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _position(violation: Violation) -> tuple[int, str]:
    return (-1 if violation.start is None else violation.start, violation.kind.value)
