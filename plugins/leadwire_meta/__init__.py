"""What leadwire's channels on Meta's messaging APIs share.

WhatsApp and Instagram speak to Meta the same way: one webhook handshake
(``hub.*``), one signature (``X-Hub-Signature-256``), one shape of Graph API
failure, one way of posting a message. This package holds that common part;
each channel keeps its own payload parsing and message shapes.

It is a library, not a plugin: it registers nothing and has no entry point.
Like a third-party package, it uses only the public ``leadwire`` API.
"""

from __future__ import annotations

from leadwire_meta._channel import MetaChannel, MetaSettings
from leadwire_meta._errors import GraphProduct, error_for_answer, error_for_transport
from leadwire_meta._payload import DeliveryReader, digest, loose, string, unnoticed
from leadwire_meta._titles import shorten
from leadwire_meta._webhook import SIGNATURE_HEADER, answer_handshake, check_signature

__all__ = [
    "SIGNATURE_HEADER",
    "DeliveryReader",
    "GraphProduct",
    "MetaChannel",
    "MetaSettings",
    "answer_handshake",
    "check_signature",
    "digest",
    "error_for_answer",
    "error_for_transport",
    "loose",
    "shorten",
    "string",
    "unnoticed",
]
