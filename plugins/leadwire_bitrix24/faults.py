"""What the portal's error answers mean, and what the operator should do.

Bitrix24 answers errors as ``{"error": "CODE", "error_description": "..."}``
(the code can be empty) or, in front of an overloaded portal, as an HTML page.
Descriptions can echo the values sent, so messages here quote codes only.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

from leadwire import TemporaryError

__all__ = [
    "CREDENTIAL_ADVICE",
    "Fault",
    "OutcomeUnknownError",
    "is_not_found",
]

#: Codes that no retry can fix, each with what the operator has to do.
CREDENTIAL_ADVICE = {
    "NO_AUTH_FOUND": (
        "the portal does not know this webhook; it was deleted or its code "
        "changed: create a new inbound webhook with the crm scope and update "
        "the environment variable named in webhook_url"
    ),
    "expired_token": (
        "the access token expired; regenerate the webhook (or re-authorise the "
        "application) and update the environment variable named in webhook_url"
    ),
    "invalid_token": (
        "the access token is invalid; regenerate the webhook and update the "
        "environment variable named in webhook_url"
    ),
    "insufficient_scope": (
        "the webhook lacks the crm scope; edit the inbound webhook in Bitrix24 "
        "(Developer resources), tick the CRM (crm) permission and save"
    ),
    "ACCESS_DENIED": (
        "the portal refused access: REST may not be available on this plan, or "
        "the webhook's user lacks CRM rights to leads and contacts (add, edit, "
        "delete); check the plan and the user's CRM access rights"
    ),
    "WRONG_AUTH_TYPE": (
        "this method needs an OAuth application, not an inbound webhook"
    ),
    "INVALID_REQUEST": (
        "the portal requires HTTPS; the webhook URL must start with https://"
    ),
}

_GENERIC_AUTH_ADVICE = (
    "the portal refused the webhook; check that the inbound webhook still "
    "exists, has the crm scope, and that its user has CRM rights"
)


class OutcomeUnknownError(TemporaryError):
    """A write was sent but no answer came back: it may or may not have happened.

    Raised instead of retrying blindly, so the caller can look for the record
    before writing again.
    """


@attrs.frozen
class Fault:
    """One error answer of the portal, parsed without trusting its body."""

    status: int
    code: str = ""
    description: str = ""
    reset_at: float | None = None
    html: bool = False

    @classmethod
    def from_response(cls, status: int, content: bytes) -> Fault:
        """Parse an error answer; an HTML or empty body gives a Fault too."""
        try:
            body: Any = json.loads(content) if content else None
        except (ValueError, UnicodeDecodeError):
            return cls(status=status, html=True)

        if not isinstance(body, dict):
            return cls(status=status, html=content.lstrip()[:1] == b"<")

        return cls(
            status=status,
            code=str(body.get("error") or ""),
            description=str(body.get("error_description") or ""),
            reset_at=_reset_at(body),
        )

    @property
    def credentials(self) -> bool:
        """Whether only an operator can fix it."""
        return self.code in CREDENTIAL_ADVICE or self.status in (401, 403)

    def advice(self) -> str:
        """What the operator should do about a credentials fault."""
        return CREDENTIAL_ADVICE.get(self.code, _GENERIC_AUTH_ADVICE)

    def label(self) -> str:
        """The code and status, safe for messages: no description, no values."""
        code = self.code or ("an HTML page" if self.html else "no error code")
        return f"{code} (HTTP {self.status})"


def _reset_at(body: dict[str, Any]) -> float | None:
    """Find ``operating_reset_at`` at the top or in the ``time`` block."""
    for holder in (body, body.get("time")):
        if isinstance(holder, dict) and "operating_reset_at" in holder:
            try:
                return float(holder["operating_reset_at"])
            except (TypeError, ValueError):
                return None
    return None


def is_not_found(code: str, description: str) -> bool:
    """Whether an error says the record is not there (deleted already)."""
    return code in {"NOT_FOUND", "ERROR_NOT_FOUND"} or description.strip().lower() in {
        "not found",
        "not found.",
    }
