"""Tracked links: one code per creator and deliverable, and the landing URL it leads to.

The code is derived from the deliverable's id, so it never needs storing or
coordinating, and it reveals nothing about the creator.
"""

import base64
import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from domain.obligations import Tracking

CODE_LENGTH = 10  # 50 bits: collisions are out of reach for any brand's campaigns
CODE_PATTERN = re.compile(rf"^[a-z2-7]{{{CODE_LENGTH}}}$")


def tracking_code(deliverable_id: str) -> str:
    digest = hashlib.sha256(f"kolpact tracking/{deliverable_id}".encode()).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH].lower()


def is_tracking_code(text: str) -> bool:
    return bool(CODE_PATTERN.match(text))


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
