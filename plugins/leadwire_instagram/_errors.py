"""What Instagram messaging API error codes mean, for leadwire's exceptions.

The mapping itself is Meta's and shared (see :mod:`leadwire_meta`); the codes,
the advice and the words are Instagram's.
"""

from __future__ import annotations

from leadwire_meta import GraphProduct

#: Code 10 with this subcode: the 24-hour window is closed.
OUTSIDE_WINDOW = (10, 2534022)
#: Graph API throttling: app, user, page, calls, Instagram and Messenger limits.
RATE_LIMITED = frozenset({4, 17, 32, 613, 80002, 80006, 80007})
TEMPORARY = frozenset({1, 2})

#: What a refused call's code means, said in the exception.
REFUSALS = {
    100: "a parameter is invalid or the recipient is unknown",
    551: "the recipient is not available",
}

INSTAGRAM = GraphProduct(
    name="Instagram",
    api="the Instagram API",
    outside_window=lambda code, subcode: (code, subcode) == OUTSIDE_WINDOW,
    rate_limited=RATE_LIMITED,
    temporary=TEMPORARY,
    refusals=REFUSALS,
    outside_window_advice=(
        "an automated reply may not be sent now, only a person may answer"
    ),
    new_token=(
        "new long-lived Instagram token with instagram_business_manage_messages"
    ),
    forbidden=(
        "the access token from environment variable {token_env} may not send "
        "messages for this account ({what}). Grant the app the "
        "instagram_business_manage_messages permission and turn on "
        "'Allow access to messages' in the Instagram app's settings"
    ),
)
