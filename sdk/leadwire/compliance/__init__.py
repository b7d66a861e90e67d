"""Compliance operations: access and erasure requests, retention, staff access.

See ``docs/operations.md``. Every function here works on a started
:class:`~leadwire.engine.Engine`: its database, keys, clock and connectors.
"""

from leadwire.compliance.access import export_client
from leadwire.compliance.actions import COMPLIANCE_ACTIONS
from leadwire.compliance.erasure import Destruction, erase_client, run_due_erasures
from leadwire.compliance.lookup import find_client
from leadwire.compliance.requests import SubjectRequest, list_requests, working_days
from leadwire.compliance.retention import PurgeReport, purge
from leadwire.compliance.staff import Refused, authorise, operator_name

__all__ = [
    "COMPLIANCE_ACTIONS",
    "Destruction",
    "PurgeReport",
    "Refused",
    "SubjectRequest",
    "authorise",
    "erase_client",
    "export_client",
    "find_client",
    "list_requests",
    "operator_name",
    "purge",
    "run_due_erasures",
    "working_days",
]
