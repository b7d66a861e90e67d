"""What WhatsApp Cloud API error codes mean, for leadwire's exceptions.

The mapping itself is Meta's and shared (see :mod:`leadwire_meta`); the codes,
the advice and the words are WhatsApp's.
"""

from __future__ import annotations

from leadwire_meta import GraphProduct

OUTSIDE_WINDOW = frozenset({131047})
RATE_LIMITED = frozenset({4, 80007, 130429, 131056})
TEMPORARY = frozenset({1, 2, 131000, 131016, 133004})

#: What a refused call's code means, said in the exception.
REFUSALS = {
    100: "a parameter is invalid",
    131008: "a required parameter is missing",
    131009: "a parameter value is invalid",
    131021: "the recipient is the sender's own number",
    131026: "the message could not be delivered to this number",
    131048: "WhatsApp's spam limit for this number was reached",
    131051: "the message type is not supported",
    131052: "the media could not be downloaded",
    131053: "the media could not be uploaded",
}

WHATSAPP = GraphProduct(
    name="WhatsApp",
    api="the WhatsApp Cloud API",
    outside_window=lambda code, subcode: code in OUTSIDE_WINDOW,
    rate_limited=RATE_LIMITED,
    temporary=TEMPORARY,
    refusals=REFUSALS,
    outside_window_advice="only an approved template message may be sent now",
    new_token="permanent system-user token in Meta Business Settings",
    forbidden=(
        "the access token from environment variable {token_env} may not send "
        "for phone number id {account} ({what}). Give the system user the "
        "whatsapp_business_messaging permission on this WhatsApp Business "
        "Account and check phone_number_id"
    ),
)
