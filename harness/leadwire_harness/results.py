"""What a replay found: one result per dialogue and fault, and their summary.

Everything here is already redacted: texts that came from a replay, and the
dialogue's own texts shown beside them (its title, its expected patterns),
pass through the dialogue's :class:`~leadwire_harness.privacy.Tracer` before
they are stored, so reports built from these classes carry no persona values.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

__all__ = ["Outcome", "Problem", "ReplayResult", "RunReport"]


class Outcome(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"  # the replay itself could not run the dialogue


@attrs.frozen
class Problem:
    """One thing that is not as it must be.

    :param check: Which check found it: ``replies``, ``crm``, ``consent``,
        ``audit``, ``audit-chain``, ``privacy``, ``before-consent``,
        ``recovery``, ``webhook``, ``delivery``, ``engine``, ``unmocked``.
    :param message: One line saying what is wrong and where to look.
    :param expected: What should have been, for the diff.
    :param actual: What was, for the diff (redacted).
    """

    check: str
    message: str
    expected: str = ""
    actual: str = ""


@attrs.frozen
class ReplayResult:
    """The outcome of one dialogue under one fault."""

    dialogue: str
    title: str
    channel: str
    fault: str
    fault_summary: str
    outcome: Outcome
    problems: tuple[Problem, ...] = ()
    reason: str = ""
    seconds: float = 0.0
    stats: Mapping[str, Any] = attrs.field(factory=dict)

    @property
    def name(self) -> str:
        """``dialogue [fault]``: how the result is named everywhere."""
        return f"{self.dialogue} [{self.fault}]"

    @property
    def passed(self) -> bool:
        return self.outcome in (Outcome.PASSED, Outcome.SKIPPED)


@attrs.frozen
class RunReport:
    """Every result of one ``leadwire replay`` run."""

    results: tuple[ReplayResult, ...]
    started: datetime
    seconds: float
    plan: str
    configuration: str

    @property
    def counts(self) -> Counter[str]:
        return Counter(result.outcome.value for result in self.results)

    @property
    def passed(self) -> bool:
        """True when nothing failed or errored (skips are fine)."""
        return all(result.passed for result in self.results)

    def by_dialogue(self) -> dict[str, Sequence[ReplayResult]]:
        grouped: dict[str, list[ReplayResult]] = {}
        for result in self.results:
            grouped.setdefault(result.dialogue, []).append(result)
        return grouped
