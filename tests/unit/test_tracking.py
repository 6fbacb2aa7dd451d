"""Tracked links: a stable, unique code per deliverable and a parameterised landing URL."""

from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

from domain.obligations import Tracking
from domain.tracking import is_tracking_code, landing_link, tracking_code


def test_the_code_is_stable_per_deliverable_and_differs_between_deliverables() -> None:
    ids = [str(uuid4()) for _ in range(2000)]

    codes = {tracking_code(i) for i in ids}

    assert len(codes) == len(ids)
    # Stable across processes and releases: printed QR codes and links must keep working.
    assert tracking_code("00000000-0000-0000-0000-000000000001") == "wme44f24ma"
    assert all(is_tracking_code(code) for code in codes)
    assert not is_tracking_code(ids[0])


def test_the_link_keeps_the_brands_parameters_and_adds_campaign_creator_and_deliverable() -> None:
    tracking = Tracking("https://shop.example.com/serum?lang=zh&utm_source=old", "winter-serum")

    link = landing_link(tracking, deliverable_id="d1", campaign="Winter serum launch",
                        creator_id="k1", deliverable_key="video", index=2, platform="douyin")

    parts = urlsplit(link)
    params = parse_qs(parts.query)
    assert parts.netloc == "shop.example.com" and parts.path == "/serum"
    assert params == {"lang": ["zh"], "utm_source": ["douyin"], "utm_medium": ["creator"],
                      "utm_campaign": ["winter-serum"], "utm_content": ["video-2"],
                      "kp_creator": ["k1"], "kp_code": [tracking_code("d1")]}


def test_without_a_campaign_code_the_campaign_name_is_used() -> None:
    link = landing_link(Tracking("https://shop.example.com/"), deliverable_id="d1",
                        campaign="冬季 Serum 发布", creator_id="k1", deliverable_key="video",
                        index=1, platform="douyin")

    assert parse_qs(urlsplit(link).query)["utm_campaign"] == ["冬季-serum-发布"]
