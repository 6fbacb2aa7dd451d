"""Tracked links: one code per creator and deliverable, and the landing URL it leads to.

The code is derived from the deliverable's id, so it never needs storing or
coordinating, and it reveals nothing about the creator.
"""

import base64
import hashlib
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent
from domain.obligations import Tracking

CODE_LENGTH = 10  # 50 bits: collisions are out of reach for any brand's campaigns
CODE_PATTERN = re.compile(rf"^[a-z2-7]{{{CODE_LENGTH}}}$")


def tracking_code(deliverable_id: str) -> str:
    return derived_code("tracking", deliverable_id)


def derived_code(purpose: str, record_id: str) -> str:
    """A short code for a record that cannot be turned back into its id."""
    digest = hashlib.sha256(f"kolpact {purpose}/{record_id}".encode()).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH].lower()


def is_tracking_code(text: str) -> bool:
    return bool(CODE_PATTERN.match(text))


class TrackedCode(Aggregate):
    """Which deliverable a tracking code stands for. The code is derived from the
    deliverable's id and cannot be turned back into it; this record, written with the
    deliverable, lets an import that names rows by code find the deliverable."""

    class Event(AttributedEvent):
        pass

    class Claimed(Event, Aggregate.Created):
        brand_id: str
        deliverable_id: str

    @event(Claimed)
    def __init__(self, actor: str, reason: str | None, brand_id: str,
                 deliverable_id: str) -> None:
        self.brand_id, self.deliverable_id = brand_id, deliverable_id

    @classmethod
    def claim(cls, *, actor: str, brand_id: str, deliverable_id: str,
              id: Any) -> "TrackedCode":
        return cls._create(cls.Claimed, id=id, actor=actor, reason=None, brand_id=brand_id,
                           deliverable_id=deliverable_id)


def landing_link(tracking: Tracking, *, deliverable_id: str, campaign: str | None,
                 creator_id: str, deliverable_key: str, index: int, platform: str) -> str:
    """The brand's landing URL with campaign, creator and deliverable parameters added
    (the brand's own query parameters are kept)."""
    code = tracking_code(deliverable_id)
    parts = urlsplit(tracking.landing_url)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
              if not k.startswith(("utm_", "kp_"))]
    params += [("utm_source", platform), ("utm_medium", "creator"),
               ("utm_campaign", tracking.campaign_code or slug(campaign or "kolpact")),
               ("utm_content", f"{deliverable_key}-{index}"),
               ("kp_creator", creator_id), ("kp_code", code)]
    return urlunsplit(parts._replace(query=urlencode(params)))


def slug(text: str) -> str:
    return re.sub(r"\W+", "-", text.casefold()).strip("-_") or "kolpact"
