"""The settings table of a Bitrix24 CRM connector, as written in the TOML file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from leadwire import Secret

__all__ = ["ERASURE_MODES", "MATCH_RULES", "Bitrix24Settings"]

#: How a returning client is recognised among existing records.
MATCH_RULES = frozenset({"phone", "email", "phone_or_email", "phone_and_email"})

#: What erasure does to a person's records.
ERASURE_MODES = frozenset({"delete", "blank"})

_FIELD_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def _one_of(allowed: frozenset[str]) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in allowed:
            choices = ", ".join(sorted(allowed))
            raise ValueError(
                f"{attribute.name} must be one of {choices}, got {value!r}"
            )

    return check


def _field_name(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not _FIELD_NAME.fullmatch(value):
        raise ValueError(
            f"{attribute.name} must be a Bitrix24 field code such as COMMENTS or "
            f"UF_CRM_1700000000, got {value!r}"
        )


def _positive(instance: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be above zero, got {value!r}")


def _not_negative(instance: Any, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value!r}")


@attrs.frozen
class Bitrix24Settings:
    """Settings of the ``bitrix24`` CRM connector; every key but one has a default.

    :param webhook_url: The portal's inbound webhook, written ``"env:NAME"``:
        ``https://<portal>/rest/<user id>/<code>/``. It is a credential.
    :param location: Country code of where the portal's data is kept.
    :param default_region: Region phones without a country code belong to.
    :param match_by: What makes two requests the same client: ``phone``,
        ``email``, ``phone_or_email`` or ``phone_and_email``.
    :param same_request_days: An open lead younger than this many days is the
        same request and is updated; 0 means any open lead, whatever its age.
    :param final_statuses: Lead statuses that close a lead, beside the
        portal's own success and failure semantics.
    :param source_ids: Channel name to the lead's SOURCE_ID.
    :param default_source_id: SOURCE_ID of channels missing from the mapping.
    :param service_field: Lead field for the service asked for.
    :param desired_time_field: Lead field for the desired time.
    :param comment_field: Lead field for the client's comment.
    :param idempotency_field: Lead field that carries the idempotency marker.
    :param originator_id: Written into ORIGINATOR_ID when the marker goes into
        ORIGIN_ID, so the portal knows which system the lead came from.
    :param erasure: ``delete`` the person's records or ``blank`` the personal
        fields and keep the records.
    :param blank_fields: The single-value fields ``blank`` empties; PHONE,
        EMAIL and IM values are always removed.
    :param burst: Requests the portal accepts at once (50; 250 on Enterprise).
    :param drain_per_second: Requests per second it drains (2; 5 on Enterprise).
    :param max_attempts: Attempts per call before the engine is asked to retry
        later.
    :param backoff_seconds: First wait after a server error; doubles each time.
    :param max_backoff_seconds: The longest wait between two attempts.
    :param max_wait_seconds: The longest the connector waits in place for an
        operation-time reset; a longer one goes back to the engine's outbox.
    """

    webhook_url: Secret
    location: str = "RU"
    default_region: str = "RU"
    match_by: str = attrs.field(
        default="phone_or_email", validator=_one_of(MATCH_RULES)
    )
    same_request_days: int = attrs.field(default=30, validator=_not_negative)
    final_statuses: tuple[str, ...] = ("CONVERTED", "JUNK")
    source_ids: Mapping[str, str] = attrs.field(factory=lambda: {"website": "WEB"})
    default_source_id: str = "OTHER"
    service_field: str = attrs.field(default="COMMENTS", validator=_field_name)
    desired_time_field: str = attrs.field(default="COMMENTS", validator=_field_name)
    comment_field: str = attrs.field(default="COMMENTS", validator=_field_name)
    idempotency_field: str = attrs.field(default="ORIGIN_ID", validator=_field_name)
    originator_id: str = "leadwire"
    erasure: str = attrs.field(default="delete", validator=_one_of(ERASURE_MODES))
    blank_fields: tuple[str, ...] = (
        "NAME",
        "SECOND_NAME",
        "LAST_NAME",
        "COMMENTS",
    )
    burst: int = attrs.field(default=50, validator=_positive)
    drain_per_second: float = attrs.field(default=2.0, validator=_positive)
    max_attempts: int = attrs.field(default=4, validator=_positive)
    backoff_seconds: float = attrs.field(default=1.0, validator=_not_negative)
    max_backoff_seconds: float = attrs.field(default=30.0, validator=_not_negative)
    max_wait_seconds: float = attrs.field(default=60.0, validator=_not_negative)

    def source_id(self, channel: str) -> str:
        """The SOURCE_ID for leads from *channel*."""
        return self.source_ids.get(channel, self.default_source_id)
