"""The settings table of a website channel."""

from __future__ import annotations

from typing import Any

import attrs

from leadwire import Secret

__all__ = ["WebsiteSettings"]


def _http_url(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.startswith(("https://", "http://")):
        raise ValueError(f"{attribute.name} must be an http(s) address of the site")


def _positive(instance: Any, attribute: attrs.Attribute[int], value: int) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be a positive number of seconds")


@attrs.frozen
class WebsiteSettings:
    """How leadwire talks with one website's form or chat widget.

    :param secret: The key shared with the site's backend; both sides sign
        their requests with it (HMAC-SHA256).
    :param callback_url: Where leadwire POSTs its replies, signed the same way.
    :param max_age_seconds: How old a signed request may be before it is
        refused as a replay.
    :param future_skew_seconds: How far ahead of leadwire's clock a request's
        timestamp may be (the two clocks are never quite equal).
    :param location: Where the site's backend keeps what it receives, as a
        country code, for the data map.
    :param phone_region: The country assumed for phone numbers written
        without a country code (``8 900 ...``).
    """

    secret: Secret
    callback_url: str = attrs.field(validator=_http_url)
    max_age_seconds: int = attrs.field(default=300, validator=_positive)
    future_skew_seconds: int = attrs.field(default=30, validator=_positive)
    location: str = "RU"
    phone_region: str = "RU"
