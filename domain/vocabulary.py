"""The business's words for kinds of content, platforms, channels and metrics."""

from enum import StrEnum


class DeliverableKind(StrEnum):
    POST = "post"
    SHORT_VIDEO = "short_video"
    ARTICLE = "article"
    LIVE_STREAM = "live_stream"
    MINI_PROGRAM_DEMO = "mini_program_demo"
    GROUP_BUY = "group_buy"
    GIVEAWAY = "giveaway"
    REVIEW = "review"
    STORY = "story"


class Platform(StrEnum):
    WECHAT = "wechat"
    WEIBO = "weibo"
    DOUYIN = "douyin"
    XIAOHONGSHU = "xiaohongshu"
    BILIBILI = "bilibili"
    KUAISHOU = "kuaishou"
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    FACEBOOK = "facebook"
    X = "x"


class Channel(StrEnum):
    """Where the brand may use a creator's content."""

    ORGANIC_REPOST = "organic_repost"
    PAID_ADS = "paid_ads"
    ALLOWLISTING = "allowlisting"
    ECOMMERCE = "ecommerce"
    OFFLINE = "offline"
    AI_TRAINING = "ai_training"


class Metric(StrEnum):
    VIEWS = "views"
    ENGAGED_VIEWS = "engaged_views"
    LIKES = "likes"
    COMMENTS = "comments"
    SHARES = "shares"
    SAVES = "saves"
    FOLLOWS = "follows"
    CLICKS = "clicks"
    QR_SCANS = "qr_scans"
    MINI_PROGRAM_OPENS = "mini_program_opens"
    ORDERS = "orders"
    REDEMPTIONS = "redemptions"
    REVENUE = "revenue"


class SensitiveCategory(StrEnum):
    """Categories whose claims need extra review."""

    HEALTH = "health"
    FINANCE = "finance"


SPEC_FIELDS = ("video_length_seconds", "live_duration_minutes", "word_count", "image_count")
