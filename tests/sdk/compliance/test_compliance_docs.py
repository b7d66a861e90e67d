"""docs/operations.md documents every compliance audit action."""

from __future__ import annotations

import re
from pathlib import Path

from leadwire.compliance import COMPLIANCE_ACTIONS

DOC = Path(__file__).parents[3] / "docs" / "operations.md"


def test_every_compliance_action_is_documented():
    """The audit actions table lists exactly the actions written here."""
    section = DOC.read_text(encoding="utf-8").split("## Audit actions", 1)[1]
    section = section.split("\n## ", 1)[0]
    names = re.findall(r"^\| `([a-z_.]+)` \|", section, flags=re.MULTILINE)

    assert names == list(COMPLIANCE_ACTIONS)
