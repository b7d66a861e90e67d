"""Bitrix24 CRM for leadwire: leads through a portal's inbound webhook.

Registers the ``bitrix24`` CRM kind. See ``docs/plugins/bitrix24.md`` for the
settings, the rights the webhook needs, and how fields and duplicates are
handled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire import ConnectorType, Crm, hookimpl
from leadwire_bitrix24.auth import redact_webhook_url
from leadwire_bitrix24.crm import Bitrix24Crm
from leadwire_bitrix24.settings import Bitrix24Settings

__all__ = ["Bitrix24Crm", "Bitrix24Settings", "redact_webhook_url"]


@hookimpl
def leadwire_register_crms(register: Callable[[ConnectorType[Any, Crm]], None]) -> None:
    """Offer the ``bitrix24`` CRM kind."""
    register(
        ConnectorType(
            "bitrix24",
            Bitrix24Settings,
            Bitrix24Crm,
            "Bitrix24 CRM: leads, duplicates, erasure through an inbound webhook",
        )
    )
