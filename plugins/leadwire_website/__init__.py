"""leadwire's website channel: a site's form or chat widget, via the site's backend.

Configure it as ``[channels.<name>]`` with ``plugin = "website"``; see
``docs/plugins/website.md`` for the JSON format, the signing recipe and the
example widget in ``static/widget.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire import ConnectorType, hookimpl
from leadwire_website._parse import CONSENT_AGREE, CONSENT_REFUSE, consent_payload
from leadwire_website.channel import WebsiteChannel
from leadwire_website.settings import WebsiteSettings
from leadwire_website.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
    signed_headers,
)

__all__ = [
    "CONSENT_AGREE",
    "CONSENT_REFUSE",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WebsiteChannel",
    "WebsiteSettings",
    "consent_payload",
    "sign",
    "signed_headers",
]


@hookimpl
def leadwire_register_channels(
    register: Callable[[ConnectorType[Any, Any]], None],
) -> None:
    """Offer the ``website`` channel kind."""
    register(
        ConnectorType(
            "website", WebsiteSettings, WebsiteChannel, "Website form or chat widget"
        )
    )
