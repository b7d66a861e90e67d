"""Staff access: who acts, whether their role allows it, and the audit of both."""

from __future__ import annotations

import getpass
import os

from leadwire.compliance.actions import STAFF_REFUSED
from leadwire.config import Staff
from leadwire.engine import audit
from leadwire.engine.database import Database
from leadwire.errors import LeadwireError

__all__ = ["ENV_OPERATOR", "Refused", "authorise", "operator_name"]

#: Where the operator's name comes from when --operator is not given.
ENV_OPERATOR = "LEADWIRE_OPERATOR"


class Refused(LeadwireError):
    """The operator's role does not allow the action; the refusal is audited."""

    def __init__(self, operator: str, action: str) -> None:
        self.operator = operator
        self.action = action
        super().__init__(
            f"operator {operator!r} may not {action}: their role does not allow "
            "it (see [staff] in the configuration)"
        )


def operator_name(given: str | None) -> str:
    """The operator: *given*, else ``$LEADWIRE_OPERATOR``, else the OS user."""
    return given or os.environ.get(ENV_OPERATOR) or getpass.getuser()


async def authorise(
    database: Database,
    staff: Staff,
    operator: str,
    action: str,
    *,
    client_id: str | None = None,
    command: str,
) -> None:
    """Check that *operator* may perform *action*; audit and raise if not.

    :raises Refused: The role does not allow it (a ``staff.refused`` entry
        is written first).
    """
    if staff.allows(operator, action):
        return
    async with database.write() as write:
        await audit.append(
            write,
            at=audit.now(),
            actor=f"staff:{operator}",
            action=STAFF_REFUSED,
            client_id=client_id,
            outcome="refused",
            details={"staff_action": action, "command": command},
        )
    raise Refused(operator, action)
