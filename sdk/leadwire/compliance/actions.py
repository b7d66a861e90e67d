"""The audit actions the compliance operations write (docs/operations.md)."""

from __future__ import annotations

#: An access or erasure request was registered, with its deadline.
REQUEST_RECEIVED = "request.received"
#: Everything held about a client was exported for an access request.
CLIENT_EXPORTED = "client.exported"
#: An erasure finished: every target erased (``ok``) or some failed (``failed``).
ERASURE_COMPLETED = "erasure.completed"
#: Marketing consent lapsed after the marketing retention period.
CONSENT_LAPSED = "consent.lapsed"
#: A retention purge ran: counts by category, never values.
RETENTION_PURGED = "retention.purged"
#: A staff member was refused an action their role does not allow.
STAFF_REFUSED = "staff.refused"

COMPLIANCE_ACTIONS = (
    REQUEST_RECEIVED,
    CLIENT_EXPORTED,
    ERASURE_COMPLETED,
    CONSENT_LAPSED,
    RETENTION_PURGED,
    STAFF_REFUSED,
)
