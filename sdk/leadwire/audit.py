"""The tamper-evident audit log; see :mod:`leadwire.engine.audit`.

``leadwire audit verify`` and ``leadwire audit export`` use these functions.
"""

from leadwire.engine.audit import (
    AUDIT_ACTIONS,
    GENESIS,
    AuditProblem,
    append,
    entry_hash,
    trail,
    verify,
)

__all__ = [
    "AUDIT_ACTIONS",
    "GENESIS",
    "AuditProblem",
    "append",
    "entry_hash",
    "trail",
    "verify",
]
